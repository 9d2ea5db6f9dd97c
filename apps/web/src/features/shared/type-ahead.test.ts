import { describe, expect, it } from "vitest";
import { TypeAhead } from "./type-ahead";

const names = ["Inbox", "Drafts", "Sent", "Archive", "Računi", "Računi/2026", "Radno", "Trash"];

function typeAll(keys: string, from = 0, gapMs = 100): number | null {
  const t = new TypeAhead();
  let at: number | null = from;
  keys.split("").forEach((key, i) => {
    at = t.next(key, names, at ?? from, i * gapMs);
  });
  return at;
}

describe("TypeAhead", () => {
  it("spells the start of a name, letters typed in quick succession", () => {
    expect(typeAll("rač")).toBe(4);
    expect(typeAll("rad")).toBe(6);
    expect(typeAll("arch")).toBe(3);
  });

  it("folds case, diacritics and Cyrillic as local search does", () => {
    expect(typeAll("RAC")).toBe(4);
    expect(typeAll("рач")).toBe(4);
  });

  it("goes through the names starting with a letter typed again and again", () => {
    expect(typeAll("r")).toBe(4);
    expect(typeAll("rr")).toBe(5);
    expect(typeAll("rrr")).toBe(6);
    expect(typeAll("rrrr")).toBe(4);
  });

  it("starts again after a pause, and stays where it is when nothing fits", () => {
    const t = new TypeAhead(700);
    expect(t.next("r", names, 0, 0)).toBe(4);
    expect(t.next("s", names, 4, 2_000)).toBe(2);
    expect(t.next("x", names, 2, 2_100)).toBeNull();
  });

  it("takes a space typed while spelling as part of the name, and says when one is spelled", () => {
    const folders = ["Inbox", "Stari računi", "Stari projekti", "Trash"];
    const t = new TypeAhead(700);
    expect(t.spelling(0)).toBe(false);
    let at = 0;
    for (const [i, key] of Array.from("stari p").entries()) {
      if (key === " ") expect(t.spelling(i * 100)).toBe(true);
      at = t.next(key, folders, at, i * 100) ?? at;
    }
    expect(at).toBe(2);
    expect(t.spelling(5_000), "after the pause a space chooses again").toBe(false);
  });

  it("forgets what was typed when reset (the menu opened again)", () => {
    const t = new TypeAhead(700);
    expect(t.next("j", names, 0, 0)).toBeNull();
    t.reset();
    expect(t.next("r", names, 0, 100)).toBe(4);
    expect(t.next("a", names, 4, 150)).toBe(4);
    expect(t.next("d", names, 4, 200)).toBe(6);
  });
});
