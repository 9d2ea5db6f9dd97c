import { describe, expect, it } from "vitest";
import { defaultVacation, type Rule, type RuleCondition, type Vacation } from "@pismo/protocol/rules";
import { lacking, sieveExtensions, unsupportedIn, UnsupportedBySieve } from "./sieve-support";

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

  it("counts a rule turned off (it stays in the script) and a name the server spells otherwise", () => {
    const off = rule({ enabled: false, actions: [{ type: "reject", message: "Ne." }] });
    expect(unsupportedIn({ rules: [off], vacation: defaultVacation }, pigeonholeWithoutReject)).toEqual([
      { part: "rule", rule: off, index: 0, extensions: ["reject"] },
    ]);
    expect(
      unsupportedIn({ rules: [off], vacation: defaultVacation }, sieveExtensions(["FileInto", "REJECT"])),
    ).toEqual([]);
  });

  it("refuses a save naming each extension lacking once", () => {
    const refusing = rule({ id: "a", actions: [{ type: "reject", message: "Ne." }] });
    const parts = unsupportedIn(
      { rules: [refusing, refusing], vacation: defaultVacation },
      sieveExtensions(["fileinto"]),
    );
    expect(new UnsupportedBySieve(parts).message).toBe("The server does not run the Sieve extensions reject");
  });
});
