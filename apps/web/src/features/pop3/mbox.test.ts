import { describe, expect, it } from "vitest";
import { asctime, emlFileName, toMbox } from "./mbox";

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
