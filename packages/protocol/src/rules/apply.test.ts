import { describe, expect, it } from "vitest";
import { runRules, conditionHolds, type RuleMessage } from "./apply";
import { headerValues } from "./headers";
import { ruleFromLegacyFilter } from "./legacy";
import { ruleSchema, type RuleInput } from "./schema";

/** A message as the POP3 store hands it over: parsed fields, and its header to read them from. */
const message = (headers: string, extra: Partial<RuleMessage> = {}): RuleMessage => ({
  from: headerValues(headers, "from").join(", "),
  to: [...headerValues(headers, "to"), ...headerValues(headers, "cc")],
  subject: headerValues(headers, "subject").join(" "),
  header: (name) => headerValues(headers, name),
  ...extra,
});

const msg = message(
  'From: "Saša Đorđević" <sasa@primer.rs>\r\nTo: Ana <ana@primer.rs>\r\nCc: posao@firma.rs\r\n' +
    "Subject: [INVOICE] Račun za NOVEMBAR\r\nX-Spam-Flag: YES\r\n\r\n",
  { size: 5000, hasAttachment: true },
);

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
      // Read is set after the move to friends (RFC 5232), for a later move or the keeping.
      markRead: false,
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

  // What Pigeonhole does with each, shown in apps/gateway/test/sieve-dovecot.test.ts.
  const holds = (
    m: RuleMessage,
    field: "from" | "to" | "subject",
    match: "contains" | "is" | "matches",
    value: string,
  ) => conditionHolds({ kind: "text", field, match, value, not: false }, m);

  it("counts ? in a pattern as one octet of UTF-8, as Pigeonhole's comparator does", () => {
    const subject = (text: string) => message(`Subject: ${text}\r\n\r\n`);
    expect(holds(subject("Đorđe"), "subject", "matches", "?orđe")).toBe(false);
    expect(holds(subject("Đorđe"), "subject", "matches", "??orđe")).toBe(true);
    expect(holds(subject("Đorđe"), "subject", "matches", "??ordje")).toBe(true);
    expect(holds(subject("Ђорђе"), "subject", "matches", "??????????")).toBe(true);
    expect(holds(subject("Ђорђе"), "subject", "matches", "?????")).toBe(false);
    expect(holds(subject("Šta 𝒳 x"), "subject", "matches", "?ta ? x")).toBe(false);
    expect(holds(subject("Šta 𝒳 x"), "subject", "matches", "??ta ???? x")).toBe(true);
    expect(holds(subject("Šta 𝒳 x"), "subject", "matches", "??ta ??*")).toBe(true);
    expect(holds(subject("Šta 𝒳 x"), "subject", "matches", "*??? x")).toBe(true);
    expect(holds(subject("Šta 𝒳 x"), "subject", "matches", "??ta ??? x")).toBe(false);
    // Folding stays (case, diacritics, Cyrillic, đ as "dj"), and a letter never starts inside an octet.
    expect(holds(subject("Šta 𝒳 x"), "subject", "matches", "sTA*")).toBe(true);
    expect(holds(subject("Саша"), "subject", "matches", "sa*")).toBe(true);
    expect(holds(subject("Đorđe"), "subject", "matches", "dj?rdje")).toBe(true);
    expect(holds(subject("Đorđe"), "subject", "matches", "?jordje")).toBe(false);
    expect(holds(subject("a*b?"), "subject", "matches", "a\\*b\\?")).toBe(true);
    expect(holds(subject("aXb?"), "subject", "matches", "a\\*b\\?")).toBe(false);
    // A combining mark is part of its letter's octets.
    expect(holds(subject("e\u0301x"), "subject", "matches", "???x")).toBe(true);
    expect(holds(subject("e\u0301x"), "subject", "matches", "?x")).toBe(false);
  });

  it("compares a value's spaces as written, and the field without its ends' spaces", () => {
    const subject = (text: string) => message(`Subject: ${text}\r\n\r\n`);
    expect(holds(subject("foo bar"), "subject", "contains", "foo ")).toBe(true);
    expect(holds(subject("xx foo   "), "subject", "contains", "foo ")).toBe(false);
    expect(holds(subject("xx foo   "), "subject", "is", "xx foo")).toBe(true);
    expect(holds(subject("foo"), "subject", "is", "foo ")).toBe(false);
    expect(holds(subject("foo"), "subject", "is", " foo")).toBe(false);
    expect(holds(subject("foo"), "subject", "matches", "foo *")).toBe(false);
    expect(holds(subject("foo"), "subject", "matches", "foo*")).toBe(true);
  });

  it("compares From, To and Cc as whole fields, as a Sieve header test does", () => {
    const m = message('From: "Saša" <sasa@primer.rs>\r\nTo: Ana <ana@primer.rs>, posao@firma.rs\r\n\r\n');
    expect(holds(m, "to", "is", "posao@firma.rs")).toBe(false);
    expect(holds(m, "to", "contains", "posao@firma.rs")).toBe(true);
    expect(holds(m, "to", "is", "Ana <ana@primer.rs>, posao@firma.rs")).toBe(true);
    expect(holds(m, "to", "matches", "*, posao@firma.rs")).toBe(true);
    expect(holds(m, "from", "is", "sasa@primer.rs")).toBe(false);
    // A field the message does not have matches nothing, not even "*" (RFC 5228 5.7).
    expect(holds(m, "subject", "matches", "*")).toBe(false);
    // Callers without the header still compare what they have.
    expect(holds({ from: "", to: ["posao@firma.rs"], subject: "" }, "to", "is", "posao@firma.rs")).toBe(true);
  });

  it("adds actions up as Sieve does: a later delete or flag does not undo or reach an earlier move", () => {
    const on = (id: string, actions: RuleInput["actions"]) =>
      rule({ id, conditions: [{ kind: "size", over: true, bytes: 1 }], actions });
    const run = (...rules: ReturnType<typeof on>[]) => {
      const { folder, markRead, flag, discard } = runRules(rules, msg);
      return { folder, markRead, flag, discard };
    };
    const move = { type: "move" as const, folder: "Bills" };
    expect(run(on("a", [move]), on("b", [{ type: "discard" }]))).toEqual({
      folder: "Bills",
      markRead: false,
      flag: false,
      discard: false,
    });
    expect(run(on("a", [{ type: "discard" }]), on("b", [move]))).toMatchObject({
      folder: "Bills",
      discard: false,
    });
    expect(run(on("a", [{ type: "discard" }]), on("b", [{ type: "flag" }]))).toMatchObject({
      folder: null,
      discard: true,
    });
    expect(run(on("a", [move]), on("b", [{ type: "flag" }, { type: "markRead" }]))).toMatchObject({
      folder: "Bills",
      markRead: false,
      flag: false,
    });
    expect(run(on("a", [{ type: "flag" }]), on("b", [move]), on("c", [{ type: "markRead" }]))).toMatchObject({
      folder: "Bills",
      markRead: false,
      flag: true,
    });
    // Kept where it arrives: the keeping takes the flags set by the end.
    expect(run(on("a", [{ type: "flag" }]), on("b", [{ type: "markRead" }]))).toMatchObject({
      folder: null,
      markRead: true,
      flag: true,
    });
    // A refusal ends the run, as the script's implied stop does.
    expect(run(on("a", [{ type: "reject", message: "No." }]), on("b", [move]))).toMatchObject({
      folder: null,
    });
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
