import type { FetchMessageObject } from "imapflow";
import { describe, expect, it } from "vitest";
import { ShownParts, shownSection } from "./shown-parts";

const alternative = {
  type: "multipart/alternative",
  childNodes: [
    { part: "1", type: "text/plain", parameters: { charset: "utf-8" }, size: 10 },
    { part: "2", type: "text/html", parameters: { charset: "utf-8" }, size: 20 },
  ],
};
const row = (uid: number, bodyStructure: unknown) =>
  ({ uid, seq: uid, bodyStructure }) as unknown as FetchMessageObject;

describe("the part each listed message shows", () => {
  it("is the HTML of an alternative, the body of a single part, nothing for an attachment alone", () => {
    expect(shownSection(alternative)).toBe("2");
    expect(shownSection({ type: "text/plain", size: 5 })).toBe("1");
    expect(shownSection({ type: "application/pdf", disposition: "attachment", size: 5 })).toBeNull();
  });

  it("is kept per folder and UID, for the latest rows only", () => {
    const parts = new ShownParts();
    parts.remember("INBOX", [row(1, alternative), row(2, { type: "text/plain", size: 5 })]);
    expect(parts.section("INBOX", 1)).toBe("2");
    expect(parts.section("INBOX", 2)).toBe("1");
    expect(parts.section("Archive", 1)).toBeUndefined();
    parts.remember(
      "Archive",
      Array.from({ length: 500 }, (_, i) => row(i + 1, alternative)),
    );
    // The Inbox's rows were the oldest: gone, the 500 newest kept.
    expect(parts.section("INBOX", 1)).toBeUndefined();
    expect(parts.section("Archive", 500)).toBe("2");
    expect(parts.section("Archive", 1)).toBe("2");
  });
});
