import { describe, expect, it } from "vitest";
import {
  defaultVacation,
  type Rule,
  type RuleAction,
  type RuleActionType,
  type RuleCondition,
  type Vacation,
} from "./schema";
import { compileSieve } from "./sieve";
import { ruleNeeds, sieveNeeds, vacationNeeds, type SieveExtension } from "./sieve-needs";
import { parseSieve, type SieveArgument, type SieveCommand, type SieveTest } from "./sieve-syntax";

// What each command, test and tag Pismo writes belongs to, by the RFCs and not by sieveNeeds:
// null for RFC 5228's own. Anything else the compiler starts to write fails `used` until it
// is named here, and so in sieveNeeds.
const COMMANDS: Readonly<Record<string, SieveExtension | null>> = {
  require: null,
  if: null,
  elsif: null,
  stop: null,
  discard: null,
  redirect: null,
  fileinto: "fileinto", // RFC 5228 section 4.1
  addflag: "imap4flags", // RFC 5232
  reject: "reject", // RFC 5429
  vacation: "vacation", // RFC 5230
};
const TESTS: Readonly<Record<string, SieveExtension | null>> = {
  allof: null,
  anyof: null,
  not: null,
  true: null,
  false: null,
  header: null,
  size: null,
  hasflag: "imap4flags", // RFC 5232
  currentdate: "date", // RFC 5260
};
const TAGS: Readonly<Record<string, SieveExtension | null>> = {
  is: null,
  contains: null,
  matches: null,
  over: null,
  under: null,
  copy: "copy", // RFC 3894
  mime: "mime", // RFC 5703
  anychild: "mime",
  value: "relational", // RFC 5231
  // RFC 5230's own tags of vacation.
  days: "vacation",
  subject: "vacation",
  addresses: "vacation",
};

function named(table: Readonly<Record<string, SieveExtension | null>>, name: string): SieveExtension | null {
  const extension = table[name];
  if (extension === undefined) throw new Error(`"${name}" is not known to this test`);
  return extension;
}

/** The extensions a script's commands, tests and tags belong to, in `require`'s order. */
function used(script: string): string[] {
  const found = new Set<string>();
  const note = (extension: SieveExtension | null) => extension !== null && found.add(extension);
  const args = (list: readonly SieveArgument[]) =>
    list.forEach((a) => a.kind === "tag" && note(named(TAGS, a.name)));
  const test = (t: SieveTest): void => {
    note(named(TESTS, t.name));
    args(t.args);
    t.tests.forEach(test);
  };
  const command = (c: SieveCommand): void => {
    note(named(COMMANDS, c.name));
    args(c.args);
    c.tests.forEach(test);
    c.block?.forEach(command);
  };
  parseSieve(script).forEach(command);
  return [...found].sort();
}

/** What the script's `require` lists. */
function required(script: string): string[] {
  const [head] = parseSieve(script);
  if (head?.name !== "require") return [];
  const [list] = head.args;
  return list?.kind === "strings" ? list.values : list?.kind === "string" ? [list.value] : [];
}

const sorted = (list: readonly string[]) => [...list].sort();

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

// Every kind, by its type: a kind added to the schema does not compile here until it is.
const actions: { [T in RuleActionType]: Extract<RuleAction, { type: T }> } = {
  markRead: { type: "markRead" },
  flag: { type: "flag" },
  move: { type: "move", folder: "Bills" },
  copy: { type: "copy", folder: "Bills" },
  forward: { type: "forward", address: "ana@primer.rs" },
  discard: { type: "discard" },
  reject: { type: "reject", message: "Ne." },
  stop: { type: "stop" },
};
const conditions: { [K in RuleCondition["kind"]]: Array<Extract<RuleCondition, { kind: K }>> } = {
  text: [
    subject,
    { kind: "text", field: "to", match: "matches", not: false, value: "*@firma.rs" },
    { kind: "text", field: "header", header: "X-Spam", match: "is", not: true, value: "yes" },
  ],
  size: [
    { kind: "size", over: true, bytes: 2048 },
    { kind: "size", over: false, bytes: 10 },
  ],
  attachment: [
    { kind: "attachment", not: false },
    { kind: "attachment", not: true },
  ],
};

/** Compiled as for a server with imap4flags, and as for one without; each must require what
 * it uses, and `needs`. */
function expectScripts(set: { rules: Rule[]; vacation: Vacation }, needs: readonly string[]) {
  for (const imap4flags of [true, false]) {
    const script = compileSieve(set, { imap4flags });
    expect(required(script), script).toEqual(sorted(needs));
    expect(used(script), script).toEqual(required(script));
  }
}

describe("sieveNeeds, the table of what Pismo's rules need of a Sieve server", () => {
  it("has every action and every kind of condition", () => {
    expect(sorted(Object.keys(sieveNeeds.action))).toEqual(sorted(Object.keys(actions)));
    expect(sorted(Object.keys(sieveNeeds.condition))).toEqual(sorted(Object.keys(conditions)));
  });

  it("is, for each action, what the compiled script requires and uses for it, on or off", () => {
    for (const action of Object.values(actions))
      for (const enabled of [true, false])
        expectScripts(
          { rules: [rule({ enabled, actions: [action] })], vacation: defaultVacation },
          sieveNeeds.action[action.type],
        );
  });

  it("is, for each kind of condition, what the compiled script requires and uses for it", () => {
    for (const condition of Object.values(conditions).flat())
      expectScripts(
        { rules: [rule({ conditions: [condition] })], vacation: defaultVacation },
        sieveNeeds.condition[condition.kind],
      );
  });

  it("is, for the out-of-office reply, nothing until it is set up, and the dates' extensions with days", () => {
    const away: Vacation = { ...defaultVacation, enabled: true, message: "Back on Monday." };
    const cases: Array<[Vacation, readonly string[]]> = [
      [defaultVacation, []],
      [away, sieveNeeds.vacation],
      // Written but off: still in the script, so still needed.
      [{ ...away, enabled: false }, sieveNeeds.vacation],
      [{ ...away, firstDay: "2026-07-01" }, [...sieveNeeds.vacation, ...sieveNeeds.vacationDays]],
      [{ ...away, lastDay: "2026-07-14" }, [...sieveNeeds.vacation, ...sieveNeeds.vacationDays]],
      [
        { ...away, firstDay: "2026-07-01", lastDay: "2026-07-14", subject: "Away", addresses: ["a@b.rs"] },
        [...sieveNeeds.vacation, ...sieveNeeds.vacationDays],
      ],
    ];
    for (const [vacation, needs] of cases) {
      expect(sorted(vacationNeeds(vacation))).toEqual(sorted(needs));
      expectScripts({ rules: [], vacation }, needs);
    }
  });

  it("adds the refusal chain's needs only to the form that writes it", () => {
    const filing = rule({ id: "a", actions: [actions.move] });
    const refusing = rule({ id: "b", actions: [actions.reject] });
    const set = { rules: [filing, refusing], vacation: defaultVacation };
    const withChain = compileSieve(set);
    expect(withChain).toContain("# refusal");
    expect(required(withChain)).toEqual(
      sorted([...ruleNeeds(filing), ...ruleNeeds(refusing), ...sieveNeeds.refusal]),
    );
    expect(used(withChain)).toEqual(required(withChain));
    const without = compileSieve(set, { imap4flags: false });
    expect(without).not.toContain("# refusal");
    expect(required(without)).toEqual(sorted([...ruleNeeds(filing), ...ruleNeeds(refusing)]));
    expect(used(without)).toEqual(required(without));
  });

  it("gives a rule's needs in the order of its parts, each once, as the page names them", () => {
    const both = rule({
      conditions: [{ kind: "attachment", not: false }, subject],
      actions: [actions.markRead, actions.copy, actions.forward],
    });
    expect(ruleNeeds(both)).toEqual(["mime", "imap4flags", "fileinto", "copy"]);
    expect(vacationNeeds({ ...defaultVacation, enabled: true, message: "x", lastDay: "2026-07-14" })).toEqual(
      ["vacation", "date", "relational"],
    );
    expectScripts({ rules: [both], vacation: defaultVacation }, ruleNeeds(both));
  });
});
