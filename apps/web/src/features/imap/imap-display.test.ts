import { describe, expect, it } from "vitest";
import { displayImapMessage } from "./imap-display";
import { messageDetail as detail } from "./message-detail-fixture";

describe("displayImapMessage", () => {
  it("carries the header, flags and body as the gateway sent them", () => {
    const d = displayImapMessage(detail());
    expect(d).toMatchObject({
      subject: "Izveštaj",
      from: { name: "Ana", address: "ana@primer.rs" },
      fromText: "",
      to: [{ name: "", address: "me@pismo.test" }],
      seen: false,
      flagged: true,
      body: { kind: "html", content: '<p>Vidi <img src="cid:logo@x"></p>' },
      charsetNote: null,
      truncated: false,
    });
  });

  it("does not offer an image the HTML shows by cid: as an attachment, but loads it inline", () => {
    const d = displayImapMessage(detail());
    expect(d.attachments.map((a) => a.id)).toEqual(["3", "4"]);
    expect(d.inlineImages.map((a) => a.id)).toEqual(["2"]);
    // A part without a file name has none (the chip then shows its type).
    expect(d.attachments[0]?.filename).toBeNull();
    expect(d.attachments[1]?.isMessage).toBe(true);
  });

  it("offers an inline image as an attachment when a text body cannot show it", () => {
    const d = displayImapMessage(
      detail({
        body: {
          kind: "text",
          content: "cid:logo@x",
          charsetNote: { code: "UNKNOWN_CHARSET", detail: "Unknown charset", charset: "x-koi8-q" },
          truncated: true,
        },
      }),
    );
    expect(d.attachments.map((a) => a.id)).toEqual(["2", "3", "4"]);
    expect([d.charsetNote, d.truncated]).toEqual([{ unknown: ["x-koi8-q"] }, true]);
  });

  it("says bytes the body's charset could not read with the message's other problems, not as a charset guess", () => {
    const d = displayImapMessage(
      detail({
        body: {
          kind: "text",
          content: "ab\uFFFD",
          charsetNote: { code: "DECODING_ERRORS", detail: "Some bytes are not valid", charset: "utf-8" },
          truncated: false,
        },
        notes: [{ code: "MALFORMED", detail: "no boundary" }],
      }),
    );
    expect(d.charsetNote).toBeNull();
    expect(d.problems).toEqual(["MALFORMED", "DECODING_ERRORS"]);
  });
});
