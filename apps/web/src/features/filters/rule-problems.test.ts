import { describe, expect, it } from "vitest";
import { ruleSchema, vacationSchema, defaultVacation, type Rule } from "@pismo/protocol/rules";
import { en } from "@/i18n/en";
import { sr } from "@/i18n/sr";
import { translate, type TOptions } from "@/i18n/translate";
import { ruleProblem, unsupportedInRule, unsupportedInSet, vacationProblem } from "./rule-problems";
import { sieveExtensions, unsupportedIn } from "./sieve-support";

const tEn = (key: string, o?: TOptions) => translate(en, "en", key, o);
const tSr = (key: string, o?: TOptions) => translate(sr, "sr", key, o);

const rule = (patch: Partial<Rule>): Rule => ({
  id: "r1",
  name: "Računi",
  enabled: true,
  match: "all",
  conditions: [{ kind: "text", field: "subject", match: "contains", not: false, value: "račun" }],
  actions: [{ type: "markRead" }],
  ...patch,
});

const problemOf = (r: Rule, t = tEn) => {
  const parsed = ruleSchema.safeParse(r);
  if (parsed.success) throw new Error("accepted");
  return ruleProblem(parsed.error.issues[0], t);
};

describe("a refused rule, in the words of the form and the user's language", () => {
  it("names the condition or action and what it lacks, never a schema path", () => {
    const empty = { kind: "text", field: "subject", match: "contains", not: false, value: " " } as const;
    expect(problemOf(rule({ conditions: [rule({}).conditions[0]!, empty] }))).toBe(
      "Condition 2: write what to look for (on one line).",
    );
    expect(problemOf(rule({ conditions: [] }))).toBe("Add a condition.");
    expect(problemOf(rule({ actions: [] }))).toBe("Choose what to do with the message.");
    expect(problemOf(rule({ actions: [{ type: "forward", address: "ana at primer" }] }))).toBe(
      "Forward to: write one email address, such as ana@primer.rs.",
    );
    expect(problemOf(rule({ actions: [{ type: "reject", message: "Ne." }, { type: "markRead" }] }))).toBe(
      "A rule that rejects the message can do nothing else with it.",
    );
    // Each pair that cannot go together says which, not that of a refusal.
    expect(problemOf(rule({ actions: [{ type: "discard" }, { type: "move", folder: "Bills" }] }))).toBe(
      "A rule that deletes the message cannot also move, copy or forward it.",
    );
    expect(
      problemOf(rule({ actions: [{ type: "discard" }, { type: "forward", address: "ana@primer.rs" }] }), tSr),
    ).toBe("Pravilo koje briše poruku ne može i da je premesti, kopira ili prosledi.");
    expect(problemOf(rule({ actions: [{ type: "flag" }, { type: "flag" }] }))).toMatch(/chosen twice/);
    expect(problemOf(rule({ actions: [{ type: "move", folder: "" }] }))).toBe(
      "Choose the folder to move or copy to.",
    );
    const header = {
      kind: "text",
      field: "header",
      header: "X:Bad",
      match: "is",
      not: false,
      value: "x",
    } as const;
    expect(problemOf(rule({ conditions: [header] }), tSr)).toBe(
      "Uslov 1: navedite polje zaglavlja (slova, cifre i crtice, bez dvotačke).",
    );
  });

  it("says the same of an out-of-office reply, naming the address that is not one", () => {
    const problem = (v: typeof defaultVacation, t = tEn) => {
      const parsed = vacationSchema.safeParse(v);
      if (parsed.success) throw new Error("accepted");
      return vacationProblem(parsed.error.issues[0], v.addresses, t);
    };
    expect(problem({ ...defaultVacation, enabled: true, message: " " })).toBe(
      "An out-of-office reply needs a message.",
    );
    expect(problem({ ...defaultVacation, firstDay: "2026-12-10", lastDay: "2026-12-01" })).toBe(
      "The last day is before the first.",
    );
    expect(problem({ ...defaultVacation, addresses: ["ana@primer.rs", "marko"] }, tSr)).toBe(
      "„marko“ nije adresa e-pošte.",
    );
  });
});

describe("a rule set that needs what the server does not run, said before it is sent", () => {
  // A Sieve server that names its extensions, without reject, mime, date and relational.
  const server = sieveExtensions(["fileinto", "copy", "imap4flags", "vacation"]);

  it("names the condition or action in the editor, and what to do, in the user's language", () => {
    const refusing = rule({ actions: [{ type: "reject", message: "Ne." }] });
    expect(unsupportedInRule(refusing, server, tEn)).toBe(
      "Reject with message: this server does not run it (Sieve “reject”). Turn it off to save the rule.",
    );
    expect(unsupportedInRule(refusing, server, tSr)).toBe(
      "Odbij uz poruku: ovaj server to ne izvršava (Sieve „reject“). Isključite to da biste sačuvali pravilo.",
    );
    const attachments = rule({ conditions: [rule({}).conditions[0]!, { kind: "attachment", not: false }] });
    expect(unsupportedInRule(attachments, server, tEn)).toBe(
      "Condition 2: this server does not run this test (Sieve “mime”). Choose another field.",
    );
    expect(unsupportedInRule(rule({}), server, tEn)).toBeNull();
    // Extensions not known: nothing is said, the server answers.
    expect(unsupportedInRule(refusing, null, tEn)).toBeNull();
  });

  it("names the rule (or the reply) and the extensions when the whole set is saved", () => {
    const [first] = unsupportedIn(
      {
        rules: [rule({ name: "", actions: [{ type: "reject", message: "Ne." }] })],
        vacation: defaultVacation,
      },
      server,
    );
    expect(unsupportedInSet(first!, tEn)).toBe(
      "Not saved: this server does not run Sieve “reject”, which the rule “Rule 1” uses. Edit that rule or delete it.",
    );
    const [reply] = unsupportedIn(
      {
        rules: [],
        vacation: { ...defaultVacation, enabled: true, message: "Tu sam.", firstDay: "2026-07-01" },
      },
      server,
    );
    expect(unsupportedInSet(reply!, tSr)).toBe(
      "Nije sačuvano: automatski odgovor koristi Sieve „date“, „relational“, a ovaj server to ne izvršava. Izmenite ili uklonite odgovor.",
    );
  });
});
