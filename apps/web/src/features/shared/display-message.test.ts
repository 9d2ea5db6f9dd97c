import { describe, expect, it } from "vitest";
import { notesShown, receiptAsked } from "./display-message";

describe("a parse's notes as the message shows them", () => {
  it("names the charsets not known (once each) for the charset's line, and gives the rest as codes; no English detail is said", () => {
    expect(
      notesShown([
        { code: "UNKNOWN_CHARSET", detail: "Unknown charset", charset: "x-mac-serbian" },
        {
          code: "UNKNOWN_CHARSET",
          detail: "The Subject header uses unknown charset",
          charset: "x-mac-serbian",
        },
        { code: "UNKNOWN_CHARSET", detail: "The From header uses unknown charset", charset: "x-yu" },
        { code: "DECODING_ERRORS", detail: "3 bytes were not valid" },
        { code: "DECODING_ERRORS", detail: "again" },
        { code: "TRUNCATED_BODY", detail: "cut at 1000000 characters" },
      ]),
    ).toEqual({
      charsetNote: { unknown: ["x-mac-serbian", "x-yu"] },
      truncated: true,
      problems: ["DECODING_ERRORS"],
    });
    expect(notesShown([{ code: "CHARSET_GUESSED", detail: "windows-1252" }]).charsetNote).toEqual({
      unknown: [],
    });
    expect(notesShown([])).toEqual({ charsetNote: null, truncated: false, problems: [] });
  });
});

describe("when a read receipt is asked about", () => {
  const asked = { to: ["a@b.rs"], elsewhere: true };
  it("once, where mail from others is read", () => {
    expect(receiptAsked({ ...asked, answered: false }, "inbox")).toEqual(asked);
    expect(receiptAsked(asked, "inbox"), "POP3 keeps no answered flag on the request").toEqual(asked);
    expect(receiptAsked({ ...asked, answered: true }, "inbox")).toBeNull();
    expect(receiptAsked(null, "inbox")).toBeNull();
  });
  it("never in Junk, Sent or Drafts", () => {
    for (const use of ["junk", "sent", "drafts"]) expect(receiptAsked(asked, use)).toBeNull();
    expect(receiptAsked(asked, "archive")).toEqual(asked);
    expect(receiptAsked(asked, undefined), "a folder of the reader's own").toEqual(asked);
  });
});
