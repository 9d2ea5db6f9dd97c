import { describe, expect, it } from "vitest";
import { mimeNoteCodeSchema } from "@pismo/protocol/schemas";
import { en } from "./en";
import { sr } from "./sr";

function keys(obj: object, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === "object" && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function leaves(obj: object): string[] {
  return Object.values(obj).flatMap((v) => (typeof v === "object" && v !== null ? leaves(v) : [String(v)]));
}

/** A text's key without its plural form (`_one`, `_few`, `_other`): each language has its own forms. */
const base = (key: string) => key.replace(/_(one|few|other)$/, "");

describe("catalogs", () => {
  it("have the same texts in English and Serbian, each language with its own plural forms", () => {
    expect([...new Set(keys(sr).map(base))].sort()).toEqual([...new Set(keys(en).map(base))].sort());
    // A plural form is a form of a text that is there without one (the fallback, "other").
    for (const catalog of [en, sr])
      for (const key of keys(catalog)) expect(keys(catalog), key).toContain(base(key));
  });
  it("have no empty strings and the same placeholders", () => {
    const enFlat = Object.fromEntries(keys(en).map((k, i) => [k, leaves(en)[i]]));
    const srFlat = Object.fromEntries(keys(sr).map((k, i) => [k, leaves(sr)[i]]));
    const ph = (s: string | undefined) => (s?.match(/\{\{\w+\}\}/g) ?? []).sort();
    for (const key of Object.keys(enFlat)) {
      if (base(key) !== key) continue;
      expect(srFlat[key], key).toBeTruthy();
      expect(ph(srFlat[key]), key).toEqual(ph(enFlat[key]));
    }
    for (const flat of [enFlat, srFlat])
      for (const [key, text] of Object.entries(flat)) expect(ph(text), key).toEqual(ph(enFlat[base(key)]));
  });
});

describe("message problems", () => {
  it("have a sentence in both languages for every note code a parsed message can carry", () => {
    for (const code of mimeNoteCodeSchema.options) {
      if (code === "UNKNOWN_CHARSET" || code === "CHARSET_GUESSED" || code === "TRUNCATED_BODY") continue;
      expect(en.mail.problem[code], code).toBeTruthy();
      expect(sr.mail.problem[code], code).toBeTruthy();
    }
  });
});
