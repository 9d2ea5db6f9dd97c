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

describe("catalogs", () => {
  it("have the same keys in English and Serbian", () => {
    expect(keys(sr).sort()).toEqual(keys(en).sort());
  });
  it("have no empty strings and the same placeholders", () => {
    const enFlat = Object.fromEntries(keys(en).map((k, i) => [k, leaves(en)[i]]));
    const srFlat = Object.fromEntries(keys(sr).map((k, i) => [k, leaves(sr)[i]]));
    for (const key of Object.keys(enFlat)) {
      expect(srFlat[key], key).toBeTruthy();
      const ph = (s: string | undefined) => (s?.match(/\{\{\w+\}\}/g) ?? []).sort();
      expect(ph(srFlat[key]), key).toEqual(ph(enFlat[key]));
    }
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
