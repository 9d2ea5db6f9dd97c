import { describe, expect, it } from "vitest";
import { notesShown } from "./display-message";

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
