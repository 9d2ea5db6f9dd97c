// @vitest-environment node
// Messages the project writes itself: the Serbian case the shared corpus lacks
// (windows-1250 and iso-8859-2 bodies, encoded words with č ć š đ ž, raw 8-bit
// headers), the charsets TextDecoder lacks, the limits, and structure.

import { describe, expect, it } from "vitest";
import {
  DEFAULT_MIME_LIMITS,
  decodeTextPart,
  decodeUtf7,
  extractPart,
  messageViewSchema,
  parseAttachedMessage,
  parseMessage,
} from "./index";

const SERBIAN = "Ćao Đorđe, šta radiš? Čačak, Šabac, Žabalj: č ć š đ ž Č Ć Š Đ Ž";

/** Encodes text in a single-byte charset by inverting TextDecoder's table. */
function encodeLegacy(text: string, charset: string): Uint8Array {
  const decoder = new TextDecoder(charset);
  const table = new Map<string, number>();
  for (let byte = 0; byte < 256; byte++) table.set(decoder.decode(new Uint8Array([byte])), byte);
  return Uint8Array.from(
    [...text].map((char) => {
      const byte = table.get(char);
      if (byte === undefined) throw new Error(`${char} is not in ${charset}`);
      return byte;
    }),
  );
}

const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);
const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");
const qEncode = (bytes: Uint8Array): string =>
  [...bytes]
    .map((b) =>
      b === 0x20
        ? "_"
        : b < 0x80 && /[A-Za-z0-9]/.test(String.fromCharCode(b))
          ? String.fromCharCode(b)
          : `=${b.toString(16).toUpperCase().padStart(2, "0")}`,
    )
    .join("");
const qpEncode = (bytes: Uint8Array): string =>
  [...bytes]
    .map((b) =>
      b >= 0x80 || b === 0x3d ? `=${b.toString(16).toUpperCase().padStart(2, "0")}` : String.fromCharCode(b),
    )
    .join("");

/** Builds raw bytes from header/body text where each char below 256 is one byte. */
function raw(...lines: Array<string | Uint8Array>): Uint8Array {
  const parts = lines.map((line) =>
    typeof line === "string" ? Uint8Array.from([...line].map((c) => c.charCodeAt(0))) : line,
  );
  const out: number[] = [];
  for (const part of parts) out.push(...part, 0x0d, 0x0a);
  return Uint8Array.from(out);
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe("Serbian charsets", () => {
  it("decodes a windows-1250 quoted-printable body and B-encoded subject", async () => {
    const message = raw(
      "From: =?windows-1250?B?" +
        base64(encodeLegacy("Đorđe Šćekić", "windows-1250")) +
        "?= <djordje@example.rs>",
      "To: ana@example.rs",
      "Subject: =?windows-1250?B?" + base64(encodeLegacy("Čačak i Šabac", "windows-1250")) + "?=",
      "Date: Tue, 5 Mar 2024 10:00:00 +0100",
      "Message-ID: <a1@example.rs>",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=windows-1250",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      qpEncode(encodeLegacy(SERBIAN, "windows-1250")),
    );
    const view = await parseMessage(message);
    expect(view.subject).toBe("Čačak i Šabac");
    expect(view.from).toEqual({ name: "Đorđe Šćekić", address: "djordje@example.rs" });
    expect(view.text?.trim()).toBe(SERBIAN);
    expect(view.html).toBeNull();
    expect(view.date).toBe("2024-03-05T09:00:00.000Z");
    expect(view.messageId).toBe("<a1@example.rs>");
    expect(view.notes).toEqual([]);
    expect(() => messageViewSchema.parse(view)).not.toThrow();
  });

  it("decodes an iso-8859-2 base64 HTML body and Q-encoded subject split over words", async () => {
    const first = qEncode(encodeLegacy("Žuto ", "iso-8859-2"));
    const second = qEncode(encodeLegacy("cveće", "iso-8859-2"));
    const message = raw(
      "From: ana@example.rs",
      `Subject: =?ISO-8859-2?Q?${first}?=`,
      ` =?iso-8859-2?q?${second}?=`,
      "MIME-Version: 1.0",
      'Content-Type: text/html; charset="iso-8859-2"',
      "Content-Transfer-Encoding: base64",
      "",
      base64(encodeLegacy(`<p>${SERBIAN}</p>`, "iso-8859-2")),
    );
    const view = await parseMessage(message);
    expect(view.subject).toBe("Žuto cveće");
    expect(view.html?.trim()).toBe(`<p>${SERBIAN}</p>`);
    expect(view.text).toBeNull();
  });

  it("reads a raw 8-bit windows-1250 Subject in the body's charset, with a note", async () => {
    const message = raw(
      "From: pera@example.rs",
      Uint8Array.from([...utf8("Subject: "), ...encodeLegacy("Pozdrav iz Niša, đače", "windows-1250")]),
      "Content-Type: text/plain; charset=windows-1250",
      "",
      latin1(encodeLegacy("žaba", "windows-1250")),
    );
    const view = await parseMessage(message);
    expect(view.subject).toBe("Pozdrav iz Niša, đače");
    expect(view.text?.trim()).toBe("žaba");
    expect(view.notes.map((n) => n.code)).toEqual(["RAW_8BIT_HEADER"]);
  });

  it("reads raw UTF-8 headers (RFC 6532) without a note", async () => {
    const message = raw(
      Uint8Array.from(utf8("Subject: Ćirilica i latinica: Ђорђе")),
      "From: a@example.rs",
      "",
      "x",
    );
    const view = await parseMessage(message);
    expect(view.subject).toBe("Ćirilica i latinica: Ђорђе");
    expect(view.notes).toEqual([]);
  });

  it("decodes RFC 2231 and encoded-word attachment names", async () => {
    const pct = [...encodeLegacy("račun-šećer.pdf", "windows-1250")]
      .map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`)
      .join("");
    const message = raw(
      "From: a@example.rs",
      "Content-Type: multipart/mixed; boundary=XX",
      "",
      "--XX",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Prilog.",
      "--XX",
      "Content-Type: application/pdf",
      `Content-Disposition: attachment; filename*=windows-1250''${pct}`,
      "Content-Transfer-Encoding: base64",
      "",
      base64(utf8("%PDF-1.4")),
      "--XX",
      'Content-Type: text/plain; name="=?utf-8?B?' + base64(utf8("žurka.txt")) + '?="',
      "Content-Disposition: attachment",
      "",
      "tekst",
      "--XX--",
    );
    const view = await parseMessage(message);
    expect(view.text?.trim()).toBe("Prilog.");
    expect(view.attachments).toEqual([
      {
        id: "2",
        filename: "račun-šećer.pdf",
        mimeType: "application/pdf",
        size: 8,
        disposition: "attachment",
        contentId: null,
        isMessage: false,
      },
      // postal-mime keeps the line break before the boundary in an unencoded part.
      {
        id: "3",
        filename: "žurka.txt",
        mimeType: "text/plain",
        size: 6,
        disposition: "attachment",
        contentId: null,
        isMessage: false,
      },
    ]);
    const part = await extractPart(message, "2");
    expect(part && new TextDecoder().decode(part.bytes)).toBe("%PDF-1.4");
  });
});

describe("other charsets", () => {
  it("decodes UTF-7 (RFC 2152 examples)", () => {
    expect(decodeUtf7(utf8("Hi Mom -+Jjo--!"))).toBe("Hi Mom -☺-!");
    expect(decodeUtf7(utf8("+ZeVnLIqe-"))).toBe("日本語");
    expect(decodeUtf7(utf8("A+ImIDkQ."))).toBe("A≢Α.");
    expect(decodeUtf7(utf8("1 +- 1 = 2"))).toBe("1 + 1 = 2");
    expect(decodeUtf7(utf8("+2D3eAA-"))).toBe("😀");
  });

  it("decodes a UTF-7 body", async () => {
    const view = await parseMessage(raw("Content-Type: text/plain; charset=UTF-7", "", "Hi Mom -+Jjo--!"));
    expect(view.text?.trim()).toBe("Hi Mom -☺-!");
    expect(view.notes).toEqual([]);
  });

  it.each([
    ["koi8-r", Uint8Array.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]), "Привет"],
    ["iso-2022-jp", Uint8Array.from([0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x1b, 0x28, 0x42]), "日本"],
    ["shift_jis", Uint8Array.from([0x93, 0xfa, 0x96, 0x7b]), "日本"],
    ["euc-kr", Uint8Array.from([0xc7, 0xd1, 0xb1, 0xb9]), "한국"],
    ["big5", Uint8Array.from([0xa4, 0xa4, 0xa4, 0xe5]), "中文"],
    ["windows-1251", Uint8Array.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]), "Привет"],
    ["cp1250", encodeLegacy("đak", "windows-1250"), "đak"],
    ["x-sjis", Uint8Array.from([0x93, 0xfa, 0x96, 0x7b]), "日本"],
    ["ks_c_5601-1987", Uint8Array.from([0xc7, 0xd1, 0xb1, 0xb9]), "한국"],
  ])("decodes %s", (charset, bytes, expected) => {
    expect(decodeTextPart(bytes, charset)).toEqual({ text: expected });
  });

  it("reports an unknown charset and still shows the text", async () => {
    const view = await parseMessage(raw("Content-Type: text/plain; charset=x-martian-42", "", "plain ascii"));
    expect(view.text?.trim()).toBe("plain ascii");
    expect(view.notes).toEqual([
      {
        code: "UNKNOWN_CHARSET",
        detail: 'Unknown charset "x-martian-42"; shown as UTF-8.',
        charset: "x-martian-42",
      },
    ]);
  });

  it("guesses windows-1252 for undeclared 8-bit text, with a note", () => {
    const result = decodeTextPart(Uint8Array.from([0x63, 0x61, 0x66, 0xe9]), undefined);
    expect(result.text).toBe("café");
    expect(result.note?.code).toBe("CHARSET_GUESSED");
  });

  it("notes invalid bytes in the declared charset", () => {
    const result = decodeTextPart(Uint8Array.from([0x61, 0xff, 0x62]), "utf-8");
    expect(result.text).toBe("a\uFFFDb");
    expect(result.note?.code).toBe("DECODING_ERRORS");
  });

  it("notes an encoded word in an unknown charset", async () => {
    const view = await parseMessage(raw("Subject: =?x-klingon?Q?Qapla=27?=", "", "x"));
    expect(view.notes.map((n) => n.code)).toContain("UNKNOWN_CHARSET");
  });
});

describe("structure", () => {
  const related = raw(
    'From: "Pera" <pera@example.rs>',
    "To: a@example.rs, Grupa: b@example.rs, c@example.rs;",
    "Cc: d@example.rs",
    "References: <r1@x> <r2@x>",
    "In-Reply-To: <r2@x>",
    "Content-Type: multipart/mixed; boundary=OUT",
    "",
    "--OUT",
    "Content-Type: multipart/alternative; boundary=ALT",
    "",
    "--ALT",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Zdravo",
    "--ALT",
    "Content-Type: multipart/related; boundary=REL",
    "",
    "--REL",
    "Content-Type: text/html; charset=utf-8",
    "",
    '<p>Zdravo <img src="cid:logo@x"></p>',
    "--REL",
    "Content-Type: image/png",
    "Content-ID: <logo@x>",
    "Content-Transfer-Encoding: base64",
    "",
    "iVBORw0KGgo=",
    "--REL--",
    "--ALT--",
    "--OUT",
    "Content-Type: message/rfc822",
    "",
    "From: inner@example.rs",
    utf8("Subject: Unutrašnja poruka"),
    "Content-Type: text/plain; charset=utf-8",
    "",
    "unutra",
    "--OUT--",
  );

  it("prefers HTML in multipart/alternative and keeps both bodies", async () => {
    const view = await parseMessage(related);
    expect(view.text?.trim()).toBe("Zdravo");
    expect(view.html?.trim()).toBe('<p>Zdravo <img src="cid:logo@x"></p>');
    expect(view.to.map((a) => a.address)).toEqual(["a@example.rs", "b@example.rs", "c@example.rs"]);
    expect(view.cc).toEqual([{ name: "", address: "d@example.rs" }]);
    expect(view.references).toEqual(["<r1@x>", "<r2@x>"]);
    expect(view.inReplyTo).toBe("<r2@x>");
    expect(view.attachments).toEqual([
      {
        id: "1.2.2",
        filename: null,
        mimeType: "image/png",
        size: 8,
        disposition: "inline",
        contentId: "logo@x",
        isMessage: false,
      },
      {
        id: "2",
        filename: null,
        mimeType: "message/rfc822",
        size: expect.any(Number),
        disposition: "attachment",
        contentId: null,
        isMessage: true,
      },
    ]);
  });

  it("opens an attached message", async () => {
    const inner = await parseAttachedMessage(related, "2");
    expect(inner?.subject).toBe("Unutrašnja poruka");
    expect(inner?.text?.trim()).toBe("unutra");
    expect(await parseAttachedMessage(related, "9")).toBeNull();
  });

  it("strips bidi overrides from display names but keeps the real address", async () => {
    const view = await parseMessage(
      raw(Uint8Array.from(utf8('From: "Banka \u202Egro.evil\u202C" <phish@evil.example>')), "", "x"),
    );
    expect(view.from).toEqual({ name: "Banka gro.evil", address: "phish@evil.example" });
  });
});

describe("a multipart without a boundary", () => {
  const head = ["From: Marko <marko@example.rs>", "Subject: bez granice", "MIME-Version: 1.0"];

  it("shows the body as plain text, with a note that names the missing parameter", async () => {
    const view = await parseMessage(
      raw(
        ...head,
        "Content-Type: multipart/mixed; charset=windows-1250",
        "",
        latin1(encodeLegacy("Šaljem ti račun.", "windows-1250")),
      ),
    );
    expect(view.text).toBe("Šaljem ti račun.\n");
    expect(view.html).toBeNull();
    expect(view.notes).toEqual([
      {
        code: "MALFORMED",
        detail:
          "A multipart/mixed part has no parts (it has no boundary parameter); its body is shown as plain text.",
      },
    ]);
  });

  it("says so when the body is empty too, instead of showing a blank", async () => {
    const view = await parseMessage(raw(...head, "Content-Type: multipart/alternative", ""));
    expect(view.subject).toBe("bez granice");
    expect(view.text).toBeNull();
    expect(view.notes.map((n) => n.code)).toEqual(["MALFORMED"]);
    expect(view.notes[0]?.detail).toMatch(/multipart\/alternative .*no boundary parameter.*empty/);
  });

  it("handles a nested multipart without a boundary beside good parts", async () => {
    const view = await parseMessage(
      raw(
        ...head,
        "Content-Type: multipart/mixed; boundary=B",
        "",
        "--B",
        "Content-Type: multipart/alternative",
        "",
        "Unutrasnji tekst.",
        "--B",
        "Content-Type: application/pdf; name=racun.pdf",
        "Content-Transfer-Encoding: base64",
        "",
        base64(utf8("%PDF-1.4")),
        "--B--",
      ),
    );
    expect(view.text).toBe("Unutrasnji tekst.\n");
    expect(view.attachments.map((a) => a.filename)).toEqual(["racun.pdf"]);
    expect(view.notes.map((n) => n.detail)).toEqual([
      "A multipart/alternative part has no parts (it has no boundary parameter); its body is shown as plain text.",
    ]);
  });

  it("tells a boundary that never occurs from a missing one", async () => {
    const view = await parseMessage(
      raw(...head, "Content-Type: multipart/mixed; boundary=NEMA", "", "Samo tekst."),
    );
    expect(view.text).toBe("Samo tekst.\n");
    expect(view.notes[0]?.detail).toContain("its boundary never occurs");
  });
});

describe("limits and broken input", () => {
  it("documents its defaults", () => {
    expect(DEFAULT_MIME_LIMITS).toEqual({
      maxRawBytes: 25 * 1024 * 1024,
      maxParts: 500,
      maxDepth: 20,
      maxHeaderBytes: 256 * 1024,
      maxTotalHeaderBytes: 2 * 1024 * 1024,
      maxBodyChars: 2 * 1024 * 1024,
    });
  });

  it("truncates long bodies with a note", async () => {
    const view = await parseMessage(raw("Subject: dugo", "", "x".repeat(5000)), { maxBodyChars: 1000 });
    expect(view.text?.length).toBe(1000);
    expect(view.notes.map((n) => n.code)).toEqual(["TRUNCATED_BODY"]);
  });

  it("reads only the headers of an oversized message", async () => {
    const view = await parseMessage(raw("Subject: veliko", "From: a@example.rs", "", "y".repeat(10_000)), {
      maxRawBytes: 1000,
    });
    expect(view.subject).toBe("veliko");
    expect(view.text).toBeNull();
    expect(view.notes.map((n) => n.code)).toEqual(["TOO_LARGE"]);
  });

  it("stops after maxParts parts", async () => {
    const parts: string[] = [];
    for (let i = 0; i < 50; i++) parts.push("--B", "Content-Type: application/octet-stream", "", `part ${i}`);
    const view = await parseMessage(raw("Content-Type: multipart/mixed; boundary=B", "", ...parts, "--B--"), {
      maxParts: 10,
    });
    expect(view.attachments.length).toBeLessThan(10);
    expect(view.notes.map((n) => n.code)).toContain("TOO_MANY_PARTS");
  });

  it("stops below maxDepth", async () => {
    const lines: string[] = ["Subject: duboko", "Content-Type: multipart/mixed; boundary=b0", ""];
    for (let i = 1; i <= 30; i++)
      lines.push(`--b${i - 1}`, `Content-Type: multipart/mixed; boundary=b${i}`, "");
    lines.push("--b30", "Content-Type: text/plain", "", "dno");
    const view = await parseMessage(raw(...lines));
    expect(view.subject).toBe("duboko");
    expect(view.notes.map((n) => n.code)).toContain("TOO_DEEP");
  });

  it("survives a nesting bomb deeper than the parser allows", async () => {
    const lines: string[] = ["Subject: bomba", "Content-Type: multipart/mixed; boundary=b0", ""];
    for (let i = 1; i <= 300; i++)
      lines.push(`--b${i - 1}`, `Content-Type: multipart/mixed; boundary=b${i}`, "");
    const view = await parseMessage(raw(...lines));
    expect(view.subject).toBe("bomba");
    expect(view.notes.map((n) => n.code)).toContain("TOO_DEEP");
  });

  it("trims an oversized header block but keeps Content-Type", async () => {
    const junk = Array.from({ length: 400 }, (_, i) => `X-Junk-${i}: ${"z".repeat(1000)}`);
    const view = await parseMessage(
      raw("Subject: glava", ...junk, "Content-Type: text/plain; charset=utf-8", "", "telo"),
      { maxHeaderBytes: 64 * 1024 },
    );
    expect(view.subject).toBe("glava");
    expect(view.text?.trim()).toBe("telo");
    expect(view.notes.map((n) => n.code)).toEqual(["HEADER_TOO_LARGE"]);
  });

  it.each([
    ["empty", new Uint8Array(0)],
    ["binary noise", Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)],
    ["no header block", utf8("just some text\nwithout headers")],
    [
      "unterminated multipart",
      raw(
        "Content-Type: multipart/mixed; boundary=Q",
        "",
        "--Q",
        "Content-Type: text/plain",
        "",
        "nikad kraj",
      ),
    ],
    [
      "broken base64",
      raw("Content-Type: text/plain", "Content-Transfer-Encoding: base64", "", "!!!*** not base64 ***"),
    ],
    ["NUL bytes", Uint8Array.from([0x53, 0x3a, 0, 0x0a, 0x0a, 0, 0, 0])],
  ])("never throws on %s input", async (_name, bytes) => {
    const view = await parseMessage(bytes);
    expect(() => messageViewSchema.parse(view)).not.toThrow();
  });

  it("accepts an ArrayBuffer", async () => {
    const bytes = raw("Subject: ab", "", "x");
    const view = await parseMessage(bytes.buffer.slice(0) as ArrayBuffer);
    expect(view.subject).toBe("ab");
  });

  it("throws for programmer errors only", async () => {
    await expect(parseMessage("text" as unknown as Uint8Array)).rejects.toThrow(TypeError);
    await expect(parseMessage(new Uint8Array(0), { maxParts: 0 })).rejects.toThrow(RangeError);
  });
});
