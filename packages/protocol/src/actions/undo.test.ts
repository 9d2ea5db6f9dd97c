import { describe, expect, it } from "vitest";
import { mailActionResultSchema } from "./schema";
import { keepsKeyword, undoRequest } from "./undo";

describe("undoRequest", () => {
  it("moves the messages back by their new UIDs, taking back the junk keyword", () => {
    expect(
      undoRequest(
        { kind: "spam", folder: "INBOX", uids: [7, 9], spam: true },
        {
          to: "Junk",
          moved: [
            { uid: 7, newUid: 31 },
            { uid: 9, newUid: 32 },
          ],
          keyword: "$Junk",
          created: false,
        },
      ),
    ).toEqual({ kind: "move", folder: "Junk", uids: [31, 32], to: "INBOX", clearKeyword: "$Junk" });
  });

  it("has no undo when deleted for good or when the server did not say the new UIDs", () => {
    const done = { kind: "delete" as const, folder: "Trash", uids: [3] };
    expect(undoRequest(done, { to: null, moved: [], keyword: null, created: false })).toBeNull();
    expect(
      undoRequest(
        { kind: "move", folder: "INBOX", uids: [3], to: "Old" },
        { to: "Old", moved: [{ uid: 3, newUid: null }], keyword: null, created: false },
      ),
    ).toBeNull();
  });

  it("after an action stopped part-way, takes back only the messages it moved", () => {
    const result = mailActionResultSchema.parse({
      to: "Archive",
      moved: [{ uid: 7, newUid: 40 }],
      keyword: null,
      created: false,
      stopped: { code: "QUOTA_EXCEEDED", message: "The mailbox is full" },
    });
    expect(undoRequest({ kind: "archive", folder: "INBOX", uids: [7, 8, 9] }, result)).toEqual({
      kind: "move",
      folder: "Archive",
      uids: [40],
      to: "INBOX",
    });
    // The reason is one of the protocol's codes, so the page can say it in its language.
    expect(() =>
      mailActionResultSchema.parse({ ...result, stopped: { code: "OOPS", message: "" } }),
    ).toThrow();
  });
});

describe("keepsKeyword", () => {
  it("reads PERMANENTFLAGS: \\* or the keyword itself", () => {
    expect(keepsKeyword(["\\Seen", "\\*"], "$Junk")).toBe(true);
    expect(keepsKeyword(["\\Seen", "$junk"], "$Junk")).toBe(true);
    expect(keepsKeyword(["\\Seen", "\\Deleted"], "$Junk")).toBe(false);
  });
});
