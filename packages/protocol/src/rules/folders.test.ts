import { describe, expect, it } from "vitest";
import { followFolderRename, missingFolders } from "./folders";
import { defaultVacation, ruleSetSchema, type RuleAction } from "./schema";

const ruleInto = (id: string, actions: RuleAction[]) => ({
  id,
  name: id,
  enabled: true,
  match: "all" as const,
  conditions: [
    { kind: "text" as const, field: "subject" as const, match: "contains" as const, not: false, value: id },
  ],
  actions,
});

const set = ruleSetSchema.parse({
  rules: [
    ruleInto("receipts", [{ type: "move", folder: "Receipts" }]),
    ruleInto("year", [{ type: "markRead" }, { type: "move", folder: "Receipts/2026" }]),
    ruleInto("copy", [
      { type: "copy", folder: "Receipts" },
      { type: "copy", folder: "Other" },
    ]),
    // Only the folder and the folders inside it: a sibling that begins with the same letters stays.
    ruleInto("sibling", [{ type: "move", folder: "Receipts old" }]),
    ruleInto("flag", [{ type: "flag" }]),
  ],
  vacation: defaultVacation,
});

describe("rules follow a folder's rename", () => {
  it("points moves and copies into the folder, and into the folders inside it, at the new path", () => {
    const after = followFolderRename(set, "Receipts", "Bills", "/");
    expect(after?.rules.map((r) => r.actions)).toEqual([
      [{ type: "move", folder: "Bills" }],
      [{ type: "markRead" }, { type: "move", folder: "Bills/2026" }],
      [
        { type: "copy", folder: "Bills" },
        { type: "copy", folder: "Other" },
      ],
      [{ type: "move", folder: "Receipts old" }],
      [{ type: "flag" }],
    ]);
    // Rules it did not touch are the same objects, and the vacation is kept.
    expect(after?.rules[3]).toBe(set.rules[3]);
    expect(after?.vacation).toBe(set.vacation);
  });

  it("follows the server's own delimiter, and a folder inside another renamed alone", () => {
    const dotted = ruleSetSchema.parse({
      rules: [ruleInto("a", [{ type: "move", folder: "INBOX.Receipts.2026" }])],
      vacation: defaultVacation,
    });
    expect(followFolderRename(dotted, "INBOX.Receipts", "INBOX.Bills", ".")?.rules[0]?.actions).toEqual([
      { type: "move", folder: "INBOX.Bills.2026" },
    ]);
    expect(followFolderRename(set, "Receipts/2026", "Receipts/This year", "/")?.rules[1]?.actions).toEqual([
      { type: "markRead" },
      { type: "move", folder: "Receipts/This year" },
    ]);
  });

  it("says there is nothing to save when no rule names the folder", () => {
    expect(followFolderRename(set, "Work", "Job", "/")).toBeNull();
    expect(followFolderRename(set, "Receipts/20", "Receipts/19", "/")).toBeNull();
  });
});

describe("rules into folders that are gone", () => {
  it("names each folder a rule files into that is not there, once", () => {
    const exists = (path: string) => ["INBOX", "Other"].includes(path);
    expect(missingFolders(set.rules[2]!, exists)).toEqual(["Receipts"]);
    expect(missingFolders(set.rules[4]!, exists)).toEqual([]);
    const twice = ruleSetSchema.parse({
      rules: [
        ruleInto("twice", [
          { type: "move", folder: "Gone" },
          { type: "copy", folder: "Gone" },
        ]),
      ],
      vacation: defaultVacation,
    }).rules[0]!;
    expect(missingFolders(twice, exists)).toEqual(["Gone"]);
  });
});
