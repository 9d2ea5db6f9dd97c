import { describe, expect, it } from "vitest";
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
});

describe("keepsKeyword", () => {
  it("reads PERMANENTFLAGS: \\* or the keyword itself", () => {
    expect(keepsKeyword(["\\Seen", "\\*"], "$Junk")).toBe(true);
    expect(keepsKeyword(["\\Seen", "$junk"], "$Junk")).toBe(true);
    expect(keepsKeyword(["\\Seen", "\\Deleted"], "$Junk")).toBe(false);
  });
});
