import { describe, expect, it } from "vitest";
import type { AddressBook } from "../contacts/address-book";
import type { IdentitySettings } from "../identities/schema";
import type { Rule } from "../rules";
import { mergeImportedSettings, type ImportableSettings } from "./settings-import";

// A settings file imported on a computer that has settings of its own adds to them; nothing
// that was only there is lost.

const rule = (id: string, folder: string): Rule => ({
  id,
  name: id,
  enabled: true,
  match: "all",
  conditions: [{ kind: "text", field: "from", match: "contains", not: false, value: id }],
  actions: [{ type: "move", folder }],
});

const identity = (id: string, address: string) => ({
  id,
  name: id,
  address,
  replyTo: "",
  signature: { text: "", html: null },
});

const identities = (...list: ReturnType<typeof identity>[]): IdentitySettings => ({
  version: 1,
  identities: list,
  signaturePlacement: "below",
});

const book = (...people: [string, string, number][]): AddressBook => ({
  contacts: people.map(([id, email, edited]) => ({
    id,
    name: id,
    emails: [email],
    note: "",
    groups: [],
    edited,
  })),
  usage: [],
});

const here: ImportableSettings = {
  folders: [
    { id: "f-here", name: "Samo ovde" },
    { id: "f-work-here", name: "Posao " },
    { id: "f-shared", name: "Stari naziv" },
  ],
  rules: [rule("r-here", "f-here"), rule("r-work", "f-work-here"), rule("r-shared", "f-shared")],
  contacts: book(["ana", "ana@pismo.test", 1], ["vesna", "vesna@pismo.test", 1]),
  identities: identities(identity("primary", "me@pismo.test"), identity("club", "club@pismo.test")),
};

const file = {
  folders: [
    { id: "f-work-file", name: "posao" },
    { id: "f-shared", name: "Novi naziv" },
  ],
  rules: [rule("r-shared", "f-work-file"), rule("r-file", "f-shared")],
  contacts: book(["ana", "ana@pismo.test", 2], ["bojan", "bojan@pismo.test", 1]),
  identities: identities(identity("work", "me@firma.test"), identity("primary", "me@pismo.test")),
};

describe("importing a settings file into a browser with settings of its own", () => {
  it("adds the file's folders, keeps the ones only here, and folds a same-named folder into the file's", () => {
    const merged = mergeImportedSettings(here, file);
    expect(merged.folders).toEqual([
      { id: "f-work-file", name: "posao" },
      { id: "f-shared", name: "Novi naziv" },
      { id: "f-here", name: "Samo ovde" },
    ]);
    expect([...merged.renamed]).toEqual([["f-work-here", "f-work-file"]]);
  });

  it("runs the file's rules first, keeps the ones only here, pointed at the folder their mail went to", () => {
    const merged = mergeImportedSettings(here, file);
    expect(merged.rules.map((r) => [r.id, r.actions[0]])).toEqual([
      ["r-shared", { type: "move", folder: "f-work-file" }],
      ["r-file", { type: "move", folder: "f-shared" }],
      ["r-here", { type: "move", folder: "f-here" }],
      ["r-work", { type: "move", folder: "f-work-file" }],
    ]);
  });

  it("merges the address books and keeps the file's identities first, then the others from here", () => {
    const merged = mergeImportedSettings(here, file);
    expect(merged.contacts?.contacts.map((c) => [c.id, c.edited])).toEqual([
      ["ana", 2],
      ["vesna", 1],
      ["bojan", 1],
    ]);
    expect(merged.identities?.identities.map((i) => i.id)).toEqual(["work", "primary", "club"]);
  });

  it("leaves what an older file does not carry as it is here, and takes it whole into an empty browser", () => {
    const older = mergeImportedSettings(here, { folders: [], rules: [] });
    expect(older.contacts).toBe(here.contacts);
    expect(older.identities).toBe(here.identities);
    expect(older.folders).toEqual(here.folders);
    expect(older.rules).toEqual(here.rules);
    const empty = mergeImportedSettings({ folders: [], rules: [], contacts: null, identities: null }, file);
    expect(empty.contacts).toBe(file.contacts);
    expect(empty.identities).toBe(file.identities);
    expect(empty.renamed.size).toBe(0);
  });
});
