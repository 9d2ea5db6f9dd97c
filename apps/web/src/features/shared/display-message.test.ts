import { describe, expect, it } from "vitest";
import { notesShown } from "./display-message";

describe("a parse's notes as the message shows them", () => {
  it("keeps the charset's detail (only) for its own line, and gives the rest as codes to be said in the user's words", () => {
    expect(
      notesShown([
        { code: "UNKNOWN_CHARSET", detail: 'Unknown charset "x-mac-serbian"; decoded as windows-1252' },
        { code: "DECODING_ERRORS", detail: "3 bytes were not valid" },
        { code: "DECODING_ERRORS", detail: "again" },
        { code: "TRUNCATED_BODY", detail: "cut at 1000000 characters" },
      ]),
    ).toEqual({
      charsetNote: 'Unknown charset "x-mac-serbian"; decoded as windows-1252',
      truncated: true,
      problems: ["DECODING_ERRORS"],
    });
    expect(notesShown([])).toEqual({ charsetNote: null, truncated: false, problems: [] });
  });
});
