import { describe, expect, it } from "vitest";
import { runRules, conditionHolds } from "./apply";
import { ruleFromLegacyFilter } from "./legacy";
import { ruleSchema, type RuleInput } from "./schema";

const msg = {
  from: '"Saša Đorđević" <sasa@primer.rs>',
  to: ["Ana <ana@primer.rs>", "posao@firma.rs"],
  subject: "[INVOICE] Račun za NOVEMBAR",
  header: (name: string) => (name.toLowerCase() === "x-spam-flag" ? ["YES"] : []),
  size: 5000,
  hasAttachment: true,
};

const rule = (r: Partial<RuleInput> & Pick<RuleInput, "conditions">) =>
  ruleSchema.parse({ id: "r", name: "", enabled: true, match: "all", actions: [{ type: "markRead" }], ...r });

describe("runRules", () => {
  it("matches each kind of condition, folded like the POP3 filters were", () => {
    const t = (
      field: "from" | "to" | "subject",
      match: "contains" | "is" | "matches",
      value: string,
      not = false,
    ) => conditionHolds({ kind: "text", field, match, value, not }, msg);
    expect(t("from", "contains", "sasa")).toBe(true);
    expect(t("from", "contains", "Саша")).toBe(true);
    expect(t("subject", "contains", "[invoice]")).toBe(true);
    expect(t("subject", "contains", "[invoice]", true)).toBe(false);
    expect(t("to", "is", "posao@firma.rs")).toBe(true);
    expect(t("to", "is", "posao@firma")).toBe(false);
    expect(t("to", "matches", "*@FIRMA.rs")).toBe(true);
    expect(t("subject", "matches", "?invoice] *")).toBe(true);
    expect(t("subject", "matches", "invoice*")).toBe(false);
    expect(
      conditionHolds(
        { kind: "text", field: "header", header: "X-Spam-Flag", match: "is", not: false, value: "yes" },
        msg,
      ),
    ).toBe(true);
    expect(conditionHolds({ kind: "size", over: true, bytes: 4999 }, msg)).toBe(true);
    expect(conditionHolds({ kind: "size", over: false, bytes: 4999 }, msg)).toBe(false);
    expect(conditionHolds({ kind: "attachment", not: true }, msg)).toBe(false);
  });

  it("runs rules in order: all/any, the first move wins, stop ends, disabled rules sleep", () => {
    const rules = [
      rule({
        id: "off",
        enabled: false,
        conditions: [{ kind: "size", over: true, bytes: 1 }],
        actions: [{ type: "move", folder: "never" }],
      }),
      rule({
        id: "any",
        match: "any",
        conditions: [
          { kind: "text", field: "subject", match: "contains", not: false, value: "nope" },
          { kind: "text", field: "from", match: "contains", not: false, value: "sasa" },
        ],
        actions: [{ type: "move", folder: "friends" }, { type: "flag" }],
      }),
      rule({
        id: "second",
        conditions: [{ kind: "size", over: true, bytes: 1 }],
        actions: [{ type: "move", folder: "bills" }, { type: "stop" }, { type: "markRead" }],
      }),
      rule({
        id: "after-stop",
        conditions: [{ kind: "size", over: true, bytes: 1 }],
        actions: [{ type: "discard" }],
      }),
    ];
    expect(runRules(rules, msg)).toEqual({
      folder: "friends",
      markRead: true,
      flag: true,
      discard: false,
      matchedRuleIds: ["any", "second"],
    });
    const all = rule({
      conditions: [
        { kind: "text", field: "subject", match: "contains", not: false, value: "nope" },
        { kind: "text", field: "from", match: "contains", not: false, value: "sasa" },
      ],
    });
    expect(runRules([all], msg).matchedRuleIds).toEqual([]);
  });

  it("reads the old POP3 filters as rules", () => {
    const r = ruleFromLegacyFilter({
      id: "f 1",
      field: "to",
      contains: "posao",
      action: { moveTo: "work", markRead: true },
    });
    expect(ruleSchema.parse(r)).toEqual(r);
    expect(r).toMatchObject({ id: "f_1", actions: [{ type: "markRead" }, { type: "move", folder: "work" }] });
    expect(runRules([r], msg).folder).toBe("work");
  });
});
