import { describe, expect, it } from "vitest";
import { applyFilters, ruleMatches } from "./apply";
import { foldForMatch } from "./normalize";
import { filterRuleSchema, makeSettingsFile, parseSettingsFile } from "./schema";
import type { FilterRule } from "./schema";

const msg = {
  from: '"Saša Đorđević" <sasa@primer.rs>',
  to: ["Ana <ana@primer.rs>", "posao@firma.rs"],
  subject: "Račun za NOVEMBAR — ČAČAK",
};

const rule = (r: Partial<FilterRule> & Pick<FilterRule, "field" | "contains">): FilterRule =>
  filterRuleSchema.parse({
    id: r.id ?? `${r.field}-${r.contains}`,
    action: r.action ?? { markRead: true },
    ...r,
  });

describe("foldForMatch", () => {
  it("folds case, diacritics, đ and Serbian Cyrillic", () => {
    expect(foldForMatch("Saša")).toBe("sasa");
    expect(foldForMatch("ČAČAK ćevap ŽELJKO")).toBe("cacak cevap zeljko");
    expect(foldForMatch("Đorđe")).toBe("djordje");
    expect(foldForMatch("Саша Ђорђе Љубица Џон")).toBe("sasa djordje ljubica dzon");
    expect(foldForMatch("José  Müller")).toBe("jose muller");
  });
});

describe("applyFilters", () => {
  it("matches case- and diacritics-insensitively on each field", () => {
    expect(ruleMatches(rule({ field: "from", contains: "sasa" }), msg)).toBe(true);
    expect(ruleMatches(rule({ field: "from", contains: "DJORDJEVIC" }), msg)).toBe(true);
    expect(ruleMatches(rule({ field: "from", contains: "Саша" }), msg)).toBe(true);
    expect(ruleMatches(rule({ field: "from", contains: "@primer.rs" }), msg)).toBe(true);
    expect(ruleMatches(rule({ field: "subject", contains: "racun" }), msg)).toBe(true);
    expect(ruleMatches(rule({ field: "subject", contains: "čačak" }), msg)).toBe(true);
    expect(ruleMatches(rule({ field: "to", contains: "posao@firma" }), msg)).toBe(true);
    expect(ruleMatches(rule({ field: "to", contains: "sasa" }), msg)).toBe(false);
    expect(ruleMatches(rule({ field: "subject", contains: "sasa" }), msg)).toBe(false);
    expect(ruleMatches(rule({ field: "to", contains: "ana@" }), { ...msg, to: "Ana <ana@primer.rs>" })).toBe(
      true,
    );
  });

  it("applies every matching rule: the first move wins, any markRead marks read", () => {
    const rules = [
      rule({ id: "r1", field: "subject", contains: "nema", action: { moveTo: "never" } }),
      rule({ id: "r2", field: "from", contains: "sasa", action: { moveTo: "friends" } }),
      rule({ id: "r3", field: "subject", contains: "racun", action: { moveTo: "bills", markRead: true } }),
    ];
    expect(applyFilters(rules, msg)).toEqual({
      folderId: "friends",
      markRead: true,
      matchedRuleIds: ["r2", "r3"],
    });
    expect(applyFilters(rules, { from: "x@y", to: [], subject: "hello" })).toEqual({
      folderId: null,
      markRead: false,
      matchedRuleIds: [],
    });
    expect(applyFilters([], msg).folderId).toBeNull();
  });
});

describe("rule and settings schemas", () => {
  it("rejects empty text and rules that do nothing", () => {
    expect(
      filterRuleSchema.safeParse({ id: "a", field: "from", contains: "  ", action: { markRead: true } })
        .success,
    ).toBe(false);
    expect(filterRuleSchema.safeParse({ id: "a", field: "from", contains: "x", action: {} }).success).toBe(
      false,
    );
    expect(
      filterRuleSchema.safeParse({ id: "a", field: "cc", contains: "x", action: { markRead: true } }).success,
    ).toBe(false);
  });

  it("round-trips an exported file, filling the policy defaults", () => {
    const file = makeSettingsFile({
      policy: { leaveOnServer: true, deleteAfterDays: 7 },
      folders: [{ id: "bills", name: "Računi" }],
      filters: [{ id: "f1", field: "subject", contains: "račun", action: { moveTo: "bills" } }],
    });
    expect(file.policy).toEqual({
      leaveOnServer: true,
      deleteAfterDays: 7,
      deleteWhenDeletedLocally: false,
      headersOnlyAboveBytes: null,
    });
    const back = parseSettingsFile(JSON.stringify(file));
    expect(back).toEqual({ ok: true, settings: file });
  });

  it("gives a readable error for bad input", () => {
    expect(parseSettingsFile("{nope")).toEqual({
      ok: false,
      code: "not-json",
      error: "The file is not valid JSON.",
    });
    expect(parseSettingsFile({ version: 2 })).toEqual({
      ok: false,
      code: "version",
      error: "Unsupported settings version 2; this app reads version 1.",
    });
    const missing = parseSettingsFile({
      version: 1,
      policy: {},
      folders: [{ id: "a", name: "A" }],
      filters: [{ id: "f1", field: "from", contains: "x", action: { moveTo: "work" } }],
    });
    expect(missing).toEqual({
      ok: false,
      code: "invalid",
      error: 'Invalid settings file: filters[0].action.moveTo: no folder with id "work"',
    });
    const bad = parseSettingsFile({ version: 1, policy: { deleteAfterDays: -3 }, folders: "x", filters: [] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error).toMatch(/^Invalid settings file: /);
      expect(bad.error).toContain("policy.deleteAfterDays");
      expect(bad.error).toContain("folders");
    }
    const dupes = parseSettingsFile({
      version: 1,
      policy: {},
      folders: [{ id: "inbox", name: "Mine" }],
      filters: [
        { id: "f", field: "from", contains: "x", action: { markRead: true } },
        { id: "f", field: "from", contains: "y", action: { markRead: true } },
      ],
    });
    expect(dupes.ok).toBe(false);
    if (!dupes.ok)
      expect(dupes.error).toBe(
        'Invalid settings file: folders[0].id: duplicate folder id "inbox"; filters[1].id: duplicate filter id "f"',
      );
    // The local Drafts and Sent are no folder of a file, and so no filter's target: a pulled
    // message filed into Drafts and deleted there would be gone without Trash.
    const reserved = parseSettingsFile({
      version: 1,
      policy: {},
      folders: [{ id: "drafts", name: "Drafts" }],
      filters: [{ id: "d", field: "from", contains: "x", action: { moveTo: "drafts" } }],
    });
    expect(reserved).toMatchObject({ ok: false, code: "invalid" });
    if (!reserved.ok)
      expect(reserved.error).toContain(`folders[0].id: folder id "drafts" is the local Drafts's`);
    expect(
      parseSettingsFile({
        version: 1,
        policy: {},
        folders: [],
        filters: [{ id: "s", field: "from", contains: "x", action: { moveTo: "sent" } }],
      }),
    ).toMatchObject({
      ok: false,
      error: 'Invalid settings file: filters[0].action.moveTo: no folder with id "sent"',
    });
    // Moving into a built-in folder needs no folder entry.
    expect(
      parseSettingsFile({
        version: 1,
        policy: {},
        folders: [],
        filters: [{ id: "t", field: "subject", contains: "spam", action: { moveTo: "trash" } }],
      }).ok,
    ).toBe(true);
  });
});
