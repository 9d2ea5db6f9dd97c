import { describe, expect, it } from "vitest";
import {
  compileSieve,
  defaultVacation,
  parseSieve,
  type Rule,
  type RuleAction,
  type RuleCondition,
  type Vacation,
} from "@pismo/protocol/rules";
import {
  actionNeeds,
  conditionNeeds,
  lacking,
  ruleNeeds,
  sieveExtensions,
  unsupportedIn,
  vacationNeeds,
} from "./sieve-support";

const subject: RuleCondition = { kind: "text", field: "subject", match: "contains", not: false, value: "x" };

const rule = (patch: Partial<Rule> = {}): Rule => ({
  id: "r1",
  name: "Računi",
  enabled: true,
  match: "all",
  conditions: [subject],
  actions: [{ type: "stop" }],
  ...patch,
});

/** What the script the gateway sends `require`s (as written for a server with imap4flags). */
function required(set: { rules: Rule[]; vacation: Vacation }): string[] {
  const [head] = parseSieve(compileSieve(set));
  if (head?.name !== "require") return [];
  const [list] = head.args;
  return list?.kind === "strings" ? list.values : list?.kind === "string" ? [list.value] : [];
}

const sorted = (list: readonly string[]) => [...list].sort();

describe("what Pismo's rules need of a Sieve server", () => {
  const actions: RuleAction[] = [
    { type: "move", folder: "Bills" },
    { type: "copy", folder: "Bills" },
    { type: "markRead" },
    { type: "flag" },
    { type: "forward", address: "ana@primer.rs" },
    { type: "discard" },
    { type: "reject", message: "Ne." },
    { type: "stop" },
  ];

  it("is, for each action, what the compiled script requires for it", () => {
    for (const action of actions)
      expect([action.type, sorted(actionNeeds(action.type))]).toEqual([
        action.type,
        sorted(required({ rules: [rule({ actions: [action] })], vacation: defaultVacation })),
      ]);
    expect(actionNeeds("reject")).toEqual(["reject"]);
    expect(sorted(actionNeeds("copy"))).toEqual(["copy", "fileinto"]);
  });

  it("is, for each kind of condition, what the compiled script requires for it", () => {
    const conditions: RuleCondition[] = [
      subject,
      { kind: "text", field: "header", header: "X-Spam", match: "is", not: true, value: "yes" },
      { kind: "size", over: true, bytes: 2048 },
      { kind: "attachment", not: false },
    ];
    for (const condition of conditions)
      expect([condition.kind, sorted(conditionNeeds(condition.kind))]).toEqual([
        condition.kind,
        sorted(required({ rules: [rule({ conditions: [condition] })], vacation: defaultVacation })),
      ]);
    expect(conditionNeeds("attachment")).toEqual(["mime"]);
  });

  it("is, for the out-of-office reply, nothing until it is set up, and the dates' extensions with days", () => {
    const away: Vacation = { ...defaultVacation, enabled: true, message: "Back on Monday." };
    const days: Vacation = { ...away, firstDay: "2026-07-01", lastDay: "2026-07-14" };
    // Written but off: still in the script, so still needed.
    const off: Vacation = { ...away, enabled: false };
    for (const vacation of [defaultVacation, away, days, off])
      expect(sorted(vacationNeeds(vacation))).toEqual(sorted(required({ rules: [], vacation })));
    expect(vacationNeeds(defaultVacation)).toEqual([]);
    expect(sorted(vacationNeeds(days))).toEqual(["date", "relational", "vacation"]);
  });

  it("counts a rule turned off: it stays in the script", () => {
    const off = rule({ enabled: false, actions: [{ type: "reject", message: "Ne." }] });
    expect(ruleNeeds(off)).toEqual(["reject"]);
    expect(required({ rules: [off], vacation: defaultVacation })).toEqual(["reject"]);
  });
});

describe("what the server lacks", () => {
  const pigeonholeWithoutReject = sieveExtensions(["fileinto", "copy", "imap4flags", "vacation"]);

  it("is nothing when the server named no extensions (unknown: everything is offered)", () => {
    expect(sieveExtensions([])).toBeNull();
    expect(lacking(null, ["reject", "mime"])).toEqual([]);
    const set = {
      rules: [rule({ actions: [{ type: "reject", message: "Ne." }] })],
      vacation: { ...defaultVacation, enabled: true, message: "Away." },
    };
    expect(unsupportedIn(set, sieveExtensions([]))).toEqual([]);
  });

  it("names each part of a rule set that needs what the server lacks, the reply first", () => {
    const refusing = rule({ id: "a", name: "", actions: [{ type: "reject", message: "Ne." }] });
    const filing = rule({ id: "b", name: "Bills", actions: [{ type: "move", folder: "Bills" }] });
    const attachments = rule({
      id: "c",
      name: "Big",
      conditions: [{ kind: "attachment", not: false }],
      actions: [{ type: "flag" }],
    });
    const vacation: Vacation = { ...defaultVacation, enabled: true, message: "Away.", lastDay: "2026-07-14" };
    expect(
      unsupportedIn({ rules: [refusing, filing, attachments], vacation }, pigeonholeWithoutReject),
    ).toEqual([
      { part: "vacation", extensions: ["date", "relational"] },
      { part: "rule", rule: refusing, index: 0, extensions: ["reject"] },
      { part: "rule", rule: attachments, index: 2, extensions: ["mime"] },
    ]);
    expect(unsupportedIn({ rules: [filing], vacation: defaultVacation }, pigeonholeWithoutReject)).toEqual(
      [],
    );
  });
});
