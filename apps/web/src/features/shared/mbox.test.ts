import { describe, expect, it } from "vitest";
import { asctime, emlFileName, fromMbox, importedMessages, toMbox } from "./mbox";

const enc = new TextEncoder();
const dec = new TextDecoder();

describe("toMbox", () => {
  it("writes mboxrd: separator lines, LF line ends, From quoting, 8-bit bytes untouched", () => {
    const raw = new Uint8Array([
      ...enc.encode("Subject: a\r\n\r\nFrom here\r\n>From there\r\n"),
      0x8a,
      0x0d,
      0x0a,
    ]);
    const out = toMbox([
      { raw, fromAddress: "a@b.rs", date: Date.UTC(2026, 0, 2, 15, 4, 5) },
      { raw: enc.encode("Subject: b\r\n\r\nx"), fromAddress: "", date: 0 },
    ]);
    const text = dec.decode(out.subarray(0, out.indexOf(0x8a)));
    expect(text).toBe("From a@b.rs Fri Jan  2 15:04:05 2026\nSubject: a\n\n>From here\n>>From there\n");
    expect(out[out.indexOf(0x8a) + 1]).toBe(0x0a);
    expect(
      dec.decode(out).endsWith("\n\nFrom MAILER-DAEMON Thu Jan  1 00:00:00 1970\nSubject: b\n\nx\n\n"),
    ).toBe(true);
  });

  it("formats asctime and safe file names", () => {
    expect(asctime(Date.UTC(2026, 10, 25, 1, 2, 3))).toBe("Wed Nov 25 01:02:03 2026");
    expect(emlFileName('Re: "plan" / 2026?', "u1")).toBe("Re plan 2026.eml");
    expect(emlFileName("", "u1")).toBe("u1.eml");
    // Controls and direction marks, which the gateway refuses in an attachment's name or which
    // disguise one: none is left.
    expect(emlFileName("Ra\u007fčun\u0085 \u202Efdp.exe\u2069", "u1")).toBe("Ra čun fdp.exe.eml");
  });
});

describe("fromMbox and importedMessages", () => {
  const text = (b: Uint8Array) => dec.decode(b);
  const first = "From: ana@primer.rs\r\nSubject: Prva\r\n\r\nFrom here on, čćšđž.\r\n>From the quote\r\n";
  const second =
    "From: bob@primer.rs\r\nSubject: Druga\r\n\r\nTekst.\r\n\r\nFrom a line after a blank one\r\n";

  it("reads back what toMbox wrote, byte for byte (CRLF line ends)", () => {
    const file = toMbox([
      { raw: enc.encode(first), fromAddress: "ana@primer.rs", date: 0 },
      { raw: enc.encode(second), fromAddress: "bob@primer.rs", date: 0 },
    ]);
    expect(fromMbox(file).map(text)).toEqual([first, second]);
    expect(importedMessages(file)?.map(text)).toEqual([first, second]);
  });

  it("takes an older writer's unescaped From in a paragraph as text, and a file of one message as .eml", () => {
    const mboxo =
      "From x Mon Jan  1 00:00:00 2026\nSubject: A\n\nline\nFrom inside a paragraph\n\nFrom y Mon Jan  1 00:00:00 2026\nSubject: B\n\nb\n";
    expect(fromMbox(enc.encode(mboxo)).map(text)).toEqual([
      "Subject: A\r\n\r\nline\r\nFrom inside a paragraph\r\n",
      "Subject: B\r\n\r\nb\r\n",
    ]);
    const eml = enc.encode("\r\nReceived: by x\r\nSubject: Jedna\r\n\r\nTelo.\r\n");
    expect(importedMessages(eml)?.map(text)).toEqual(["Received: by x\r\nSubject: Jedna\r\n\r\nTelo.\r\n"]);
  });

  it("splits at a separator written as one even without a blank line before it, and not at a body's From paragraph", () => {
    const tight =
      "From - Mon Jan  1 00:00:00 2026\nSubject: A\n\nFirst.\n\nFrom the team, with thanks:\nall of us.\n" +
      "From - Tue Jan  2 00:00:00 2026\nSubject: B\n\nSecond.\n";
    expect(fromMbox(enc.encode(tight)).map(text)).toEqual([
      "Subject: A\r\n\r\nFirst.\r\n\r\nFrom the team, with thanks:\r\nall of us.\r\n",
      "Subject: B\r\n\r\nSecond.\r\n",
    ]);
    // An .eml with LF line ends is kept with CRLF, as servers take messages.
    expect(importedMessages(enc.encode("From: a@b\nSubject: s\n\nx"))?.map(text)).toEqual([
      "From: a@b\r\nSubject: s\r\n\r\nx\r\n",
    ]);
  });

  it("refuses a file that is neither", () => {
    expect(importedMessages(enc.encode("%PDF-1.4 not mail"))).toBeNull();
    expect(importedMessages(enc.encode(""))).toBeNull();
    expect(importedMessages(enc.encode("<html><body>hi</body></html>"))).toBeNull();
  });
});
