import { describe, expect, it } from "vitest";
import { defaultVacation, type Rule, type RuleSet, type ServerRules } from "@pismo/protocol/rules";
import { RuleSaves, type PismoRules, type RuleSetChange } from "./rule-saves";

// The saves' own choices where the Filters section's test does not reach: a save refused for
// another reason, rules changed elsewhere again while being made, another client's script.

const rule = (id: string): Rule => ({
  id,
  name: id,
  enabled: true,
  match: "all",
  conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: id }],
  actions: [{ type: "flag" }],
});

const off =
  (id: string): RuleSetChange =>
  (set) => ({ ...set, rules: set.rules.map((r) => (r.id === id ? { ...r, enabled: false } : r)) });

const coded = (code: string) => Object.assign(new Error(code), { code });

/** How a change's save ended: "saved" (over others' changes or not), or the refusal's code. */
const outcome = (made: Promise<{ overOthers: boolean }>) =>
  made.then(
    (saved) => (saved.overOthers ? "saved over others" : "saved"),
    (error: { code?: string }) => error.code,
  );

/** The page's cache and a server whose answers the test gives, one save at a time. */
function setUp(rules: Rule[]) {
  let cache: ServerRules = {
    kind: "pismo",
    set: { rules, vacation: defaultVacation },
    extensions: [],
    version: "v1",
  };
  const saved: Array<{ set: RuleSet; version: string }> = [];
  const answers: Array<(version: string | Error) => void> = [];
  let fresh: ServerRules = cache;
  const saves = new RuleSaves({
    shown: () => cache,
    show: (rules: PismoRules) => {
      cache = rules;
    },
    stopReading: () => undefined,
    save: (set, version) => {
      saved.push({ set, version });
      return new Promise((resolve, reject) =>
        answers.push((answer) => (answer instanceof Error ? reject(answer) : resolve({ version: answer }))),
      );
    },
    reread: () => {
      cache = fresh;
      return Promise.resolve(fresh);
    },
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    saves,
    saved,
    shownRules: () =>
      cache.kind === "pismo" ? cache.set.rules.map((r) => `${r.id} ${r.enabled}`) : cache.kind,
    answer: async (answer: string | Error) => {
      answers.shift()!(answer);
      await settle();
    },
    serverHas: (next: ServerRules) => {
      fresh = next;
    },
  };
}

describe("saving the filters' changes one after another", () => {
  it("drops a refused change from what is shown, and still saves the one made after it", async () => {
    const s = setUp([rule("a"), rule("b")]);
    const first = outcome(s.saves.make(off("a")));
    const second = outcome(s.saves.make(off("b")));
    expect(s.shownRules()).toEqual(["a false", "b false"]);
    await s.answer(coded("SERVER_REFUSED"));
    expect(await first).toBe("SERVER_REFUSED");
    expect(s.shownRules()).toEqual(["a true", "b false"]);
    // Made to the rules the server has, with the version they were read at.
    expect(s.saved[1]).toMatchObject({ version: "v1" });
    expect(s.saved[1]?.set.rules.map((r) => r.enabled)).toEqual([true, false]);
    await s.answer("v2");
    expect(await second).toBe("saved");
    expect(s.shownRules()).toEqual(["a true", "b false"]);
  });

  it("shows a form's change (not shown before it is saved) once it is saved", async () => {
    const s = setUp([rule("a")]);
    const made = outcome(s.saves.make(off("a"), { shown: false }));
    expect(s.shownRules()).toEqual(["a true"]);
    await s.answer("v2");
    expect(await made).toBe("saved");
    expect(s.shownRules()).toEqual(["a false"]);
  });

  it("gives up when the rules change elsewhere again while its change is made to them", async () => {
    const s = setUp([rule("a")]);
    const made = outcome(s.saves.make(off("a")));
    s.serverHas({
      kind: "pismo",
      set: { rules: [rule("a"), rule("x")], vacation: defaultVacation },
      extensions: [],
      version: "v7",
    });
    await s.answer(coded("CHANGED"));
    expect(s.saved[1]).toMatchObject({ version: "v7" });
    expect(s.shownRules()).toEqual(["a false", "x true"]);
    s.serverHas({
      kind: "pismo",
      set: { rules: [rule("a"), rule("x"), rule("y")], vacation: defaultVacation },
      extensions: [],
      version: "v8",
    });
    await s.answer(coded("CHANGED"));
    expect(await made).toBe("CHANGED");
    // What the server has now, without the change.
    expect(s.shownRules()).toEqual(["a true", "x true", "y true"]);
    expect(s.saved).toHaveLength(2);
  });

  it("makes nothing of its changes to another client's script, and shows that script", async () => {
    const s = setUp([rule("a")]);
    const made = outcome(s.saves.make(off("a")));
    s.serverHas({
      kind: "foreign",
      scriptName: "roundcube",
      script: "keep;",
      reason: "notPismo",
      extensions: [],
      version: "v9",
    });
    await s.answer(coded("CHANGED"));
    expect(await made).toBe("CHANGED");
    expect(s.shownRules()).toBe("foreign");
    expect(s.saved).toHaveLength(1);
  });
});
