import { describe, expect, it } from "vitest";
import { encodeModifiedUtf7, folderDirName, maildirBaseName, maildirFlags, virtualSize } from "./maildir";

describe("maildir naming", () => {
  it("encodes folder names like Dovecot's Maildir++ layout (modified UTF-7, '.' separator)", () => {
    expect(encodeModifiedUtf7("Računi")).toBe("Ra&AQ0-uni");
    expect(encodeModifiedUtf7("Stara pošta")).toBe("Stara po&AWE-ta");
    expect(encodeModifiedUtf7("A&B")).toBe("A&-B");
    expect(folderDirName("INBOX")).toBe("");
    expect(folderDirName("Računi/2026")).toBe(".Ra&AQ0-uni.2026");
  });

  it("writes info flags in ASCII order and counts bare LFs in the virtual size", () => {
    expect(maildirFlags(["\\Seen", "\\Flagged", "\\Answered", "$Junk"])).toBe("FRS");
    expect(virtualSize(Buffer.from("a\nb\r\nc\n"))).toBe(9);
    expect(maildirBaseName(new Date(1_700_000_000_000), 7, 10, 12)).toMatch(
      /^1700000000\.M7P\d+Q7\.[^/:]+,S=10,W=12$/,
    );
  });
});
