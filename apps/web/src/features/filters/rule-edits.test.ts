import { describe, expect, it } from "vitest";
import type { Rule, RuleCondition } from "@pismo/protocol/rules";
import { ruleEdited, toggleAction, withField, type ConditionAside } from "./rule-edits";

const rule = (patch: Partial<Rule> = {}): Rule => ({
  id: "r1",
  name: "Računi",
  enabled: true,
  match: "all",
  conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: "račun" }],
  actions: [{ type: "markRead" }, { type: "move", folder: "Bills" }],
  ...patch,
});

/** The field changed to each of `fields` in turn, as the editor's list does. */
function changeFields(c: RuleCondition, ...fields: Parameters<typeof withField>[1][]): RuleCondition {
  let aside: ConditionAside = {};
  for (const field of fields) ({ condition: c, aside } = withField(c, field, aside));
  return c;
}

describe("whether the rule editor holds a change", () => {
  it("is not the case for an action turned off and on again: it comes back as it was", () => {
    const opened = rule();
    const moveOff = toggleAction(opened, {}, { type: "move", folder: "INBOX" }, false);
    expect(ruleEdited(moveOff.rule, opened)).toBe(true);
    const moveOn = toggleAction(moveOff.rule, moveOff.aside, { type: "move", folder: "INBOX" }, true);
    // Into Bills again, not the first folder a new move takes.
    expect(moveOn.rule.actions).toEqual(opened.actions);
    expect(ruleEdited(moveOn.rule, opened)).toBe(false);
    const readOff = toggleAction(opened, {}, { type: "markRead" }, false);
    const readOn = toggleAction(readOff.rule, readOff.aside, { type: "markRead" }, true);
    // Last in the list now: the order a save sends them in is the order they run in.
    expect(readOn.rule.actions).toEqual([{ type: "move", folder: "Bills" }, { type: "markRead" }]);
    expect(ruleEdited(readOn.rule, opened)).toBe(false);
  });

  it("is not the case for the same rule with its actions in another order, or its keys", () => {
    const opened = rule();
    expect(ruleEdited({ ...opened, actions: [...opened.actions].reverse() }, opened)).toBe(false);
    const { id, name, ...rest } = opened;
    expect(ruleEdited({ ...rest, name, id } as Rule, opened)).toBe(false);
    // Not valid yet (no value): compared all the same, as typed.
    const half = rule({
      conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: "" }],
    });
    expect(ruleEdited({ ...half, actions: [...half.actions].reverse() }, half)).toBe(false);
  });

  it("is not the case for a field changed and changed back: the value and header come back", () => {
    const header: RuleCondition = {
      kind: "text",
      field: "header",
      header: "X-Spam",
      match: "is",
      not: true,
      value: "yes",
    };
    expect(changeFields(header, "subject", "header")).toEqual(header);
    expect(changeFields(header, "size", "attachment", "header")).toEqual(header);
    const size: RuleCondition = { kind: "size", over: false, bytes: 5 * 1024 };
    expect(changeFields(size, "from", "size")).toEqual(size);
    const opened = rule({ conditions: [header, size] });
    const back = rule({ conditions: [changeFields(header, "to", "size", "header"), size] });
    expect(ruleEdited(back, opened)).toBe(false);
  });

  it("is the case for a real change: a name, a value, a folder, an action more or less", () => {
    const opened = rule();
    expect(ruleEdited(rule({ name: "Računi 2" }), opened)).toBe(true);
    expect(ruleEdited(rule({ enabled: false }), opened)).toBe(true);
    expect(ruleEdited(rule({ match: "any" }), opened)).toBe(true);
    expect(
      ruleEdited(
        rule({
          conditions: [{ kind: "text", field: "subject", match: "contains", not: true, value: "račun" }],
        }),
        opened,
      ),
    ).toBe(true);
    expect(
      ruleEdited(rule({ actions: [{ type: "markRead" }, { type: "move", folder: "INBOX" }] }), opened),
    ).toBe(true);
    expect(ruleEdited(rule({ actions: [{ type: "markRead" }] }), opened)).toBe(true);
    expect(ruleEdited(toggleAction(opened, {}, { type: "flag" }, true).rule, opened)).toBe(true);
    // A field changed to one that keeps the value is still another condition.
    expect(ruleEdited(rule({ conditions: [changeFields(opened.conditions[0]!, "from")] }), opened)).toBe(
      true,
    );
  });
});
