import { describe, expect, it } from "vitest";
import {
  IMPORT_HEAD_BYTES,
  MboxReader,
  asctime,
  emlFileName,
  importKind,
  mboxMessage,
  withoutStateFields,
  type ImportedMessage,
  type MboxEntry,
} from "./mbox";
import { messagesOf } from "./import-messages";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** An export's bytes: the entries' messages one after another, as downloadMbox writes them. */
function toMbox(entries: readonly MboxEntry[]): Uint8Array {
  return new Uint8Array(Buffer.concat(entries.map(mboxMessage)));
}

/** An mbox read whole by one MboxReader (null: a message larger than `max`). */
function fromMbox(file: Uint8Array, max?: number): Array<Uint8Array | null> {
  const reader = new MboxReader(max);
  return [...reader.push(file), ...reader.end()];
}

/** The same, read in pieces of `piece` bytes. */
function fromMboxInPieces(file: Uint8Array, piece: number, max?: number): Array<Uint8Array | null> {
  const reader = new MboxReader(max);
  const out: Array<Uint8Array | null> = [];
  for (let at = 0; at < file.length; at += piece) out.push(...reader.push(file.subarray(at, at + piece)));
  return [...out, ...reader.end()];
}

/** A file's messages as Import messages reads them (importKind, then messagesOf), null when it
 * is not mail; read whole, and in pieces of 1, 2, 7 and 64 bytes, which must all agree. */
async function importedMessages(file: Uint8Array): Promise<ImportedMessage[] | null> {
  const kind = importKind(file.subarray(0, IMPORT_HEAD_BYTES));
  if (kind === null) return null;
  const read = async (piece: number) => {
    const messages: ImportedMessage[] = [];
    for await (const m of messagesOf(new Blob([file as BlobPart]), kind, { pieceBytes: piece }))
      messages.push(m);
    return messages;
  };
  const whole = await read(Math.max(file.length, 1));
  for (const piece of [1, 2, 7, 64]) expect(await read(piece)).toEqual(whole);
  return whole;
}

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
  const text = (b: Uint8Array | null) => (b === null ? "(too large)" : dec.decode(b));
  const texts = (messages: ImportedMessage[] | null) => messages?.map((m) => text(m.raw));
  const first = "From: ana@primer.rs\r\nSubject: Prva\r\n\r\nFrom here on, čćšđž.\r\n>From the quote\r\n";
  const second =
    "From: bob@primer.rs\r\nSubject: Druga\r\n\r\nTekst.\r\n\r\nFrom a line after a blank one\r\n";

  it("reads back what toMbox wrote, byte for byte (CRLF line ends)", async () => {
    const file = toMbox([
      { raw: enc.encode(first), fromAddress: "ana@primer.rs", date: 0 },
      { raw: enc.encode(second), fromAddress: "bob@primer.rs", date: 0 },
    ]);
    expect(fromMbox(file).map(text)).toEqual([first, second]);
    expect(texts(await importedMessages(file))).toEqual([first, second]);
    expect((await importedMessages(file))?.map((m) => m.state)).toEqual([null, null]);
  });

  it("takes an older writer's unescaped From in a paragraph as text, and a file of one message as .eml", async () => {
    const mboxo =
      "From x Mon Jan  1 00:00:00 2026\nSubject: A\n\nline\nFrom inside a paragraph\n\nFrom y Mon Jan  1 00:00:00 2026\nSubject: B\n\nb\n";
    expect(fromMbox(enc.encode(mboxo)).map(text)).toEqual([
      "Subject: A\r\n\r\nline\r\nFrom inside a paragraph\r\n",
      "Subject: B\r\n\r\nb\r\n",
    ]);
    const eml = enc.encode("\r\nReceived: by x\r\nSubject: Jedna\r\n\r\nTelo.\r\n");
    expect(texts(await importedMessages(eml))).toEqual(["Received: by x\r\nSubject: Jedna\r\n\r\nTelo.\r\n"]);
  });

  it("splits at a separator written as one even without a blank line before it, and not at a body's From paragraph", async () => {
    const tight =
      "From - Mon Jan  1 00:00:00 2026\nSubject: A\n\nFirst.\n\nFrom the team, with thanks:\nall of us.\n" +
      "From - Tue Jan  2 00:00:00 2026\nSubject: B\n\nSecond.\n";
    expect(fromMbox(enc.encode(tight)).map(text)).toEqual([
      "Subject: A\r\n\r\nFirst.\r\n\r\nFrom the team, with thanks:\r\nall of us.\r\n",
      "Subject: B\r\n\r\nSecond.\r\n",
    ]);
    // An .eml with LF line ends is kept with CRLF, as servers take messages.
    expect(texts(await importedMessages(enc.encode("From: a@b\nSubject: s\n\nx")))).toEqual([
      "From: a@b\r\nSubject: s\r\n\r\nx\r\n",
    ]);
  });

  it("keeps each message's read, flagged and answered state in Status fields and reads it back, the message's bytes as they were", async () => {
    const file = toMbox([
      {
        raw: enc.encode(first),
        fromAddress: "ana@primer.rs",
        date: 0,
        state: { seen: false, flagged: true, answered: false },
      },
      {
        raw: enc.encode(second),
        fromAddress: "bob@primer.rs",
        date: 0,
        state: { seen: true, flagged: false, answered: true },
      },
      {
        raw: enc.encode(second),
        fromAddress: "bob@primer.rs",
        date: 0,
        state: { seen: true, flagged: false, answered: false },
      },
    ]);
    expect(dec.decode(file)).toContain(
      "From ana@primer.rs Thu Jan  1 00:00:00 1970\nStatus: O\nX-Status: F\nFrom: ana",
    );
    expect(dec.decode(file)).toContain("Status: RO\nX-Status: A\nFrom: bob");
    expect(dec.decode(file)).toContain("Status: RO\nFrom: bob");
    const back = await importedMessages(file);
    expect(texts(back)).toEqual([first, second, second]);
    expect(back?.map((m) => m.state)).toEqual([
      { seen: false, flagged: true, answered: false },
      { seen: true, flagged: false, answered: true },
      { seen: true, flagged: false, answered: false },
    ]);
  });

  it("reads Thunderbird's X-Mozilla-Status before Status, leaves out what it marked expunged, and only in the header", async () => {
    const thunderbird = [
      "From - Mon Jan  1 00:00:00 2026",
      "X-Mozilla-Status: 0005",
      "X-Mozilla-Status2: 00000000",
      "X-Mozilla-Keys:                                                                                 ",
      "Status: O",
      "Subject: Marked, read",
      "",
      "Status: R in the body stays.",
      "",
      "From - Mon Jan  1 00:00:00 2026",
      "X-Account-Key: account2",
      "X-UIDL: 000012ab",
      "X-Mozilla-Status: 0009",
      "Subject: Deleted, not yet compacted",
      "",
      "Gone.",
      "",
      "From - Mon Jan  1 00:00:00 2026",
      "X-Mozilla-Status: 0002",
      "Subject: Replied, unread",
      "",
      "x",
      "",
    ].join("\n");
    const back = await importedMessages(enc.encode(thunderbird));
    expect(texts(back)).toEqual([
      "Subject: Marked, read\r\n\r\nStatus: R in the body stays.\r\n",
      "Subject: Replied, unread\r\n\r\nx\r\n",
    ]);
    expect(back?.map((m) => m.state)).toEqual([
      { seen: true, flagged: true, answered: false },
      { seen: false, flagged: false, answered: true },
    ]);
    // An .eml saved by a mail program, the field folded: it goes with its continuation line.
    const eml = withoutStateFields(enc.encode("Subject: s\r\nstatus:\r\n RO\r\nX-Other: 1\r\n\r\nb\r\n"));
    expect(eml && text(eml.raw)).toBe("Subject: s\r\nX-Other: 1\r\n\r\nb\r\n");
    expect(eml?.state).toEqual({ seen: true, flagged: false, answered: false });
    // Only X-Status: no R, so unread (as mutt reads it).
    expect(withoutStateFields(enc.encode("X-Status: F\r\n\r\nb\r\n"))?.state).toEqual({
      seen: false,
      flagged: true,
      answered: false,
    });
    // An mbox of one message Thunderbird marked deleted holds nothing to import.
    expect(
      await importedMessages(
        enc.encode("From - Mon Jan  1 00:00:00 2026\nX-Mozilla-Status: 0008\nSubject: d\n\nx\n"),
      ),
    ).toEqual([]);
  });

  it("is not made to drop a message by a field its sender wrote, nor its body by a missing blank line", async () => {
    // A sender's "expunged" further down the header, under a separator: imported, not left out.
    const hostile = await importedMessages(
      enc.encode(
        "From - Mon Jan  1 00:00:00 2026\nReceived: by x\nX-Mozilla-Status: 0008\nSubject: Keep me\n\nbody\n",
      ),
    );
    expect(texts(hostile)).toEqual(["Received: by x\r\nSubject: Keep me\r\n\r\nbody\r\n"]);
    // An .eml is a message the user chose: kept even when its first field says expunged.
    expect(texts(await importedMessages(enc.encode("X-Mozilla-Status: 0009\nSubject: e\n\nx\n")))).toEqual([
      "Subject: e\r\n\r\nx\r\n",
    ]);
    // No blank line after the header: the first line that is no field starts the body, whose
    // "Status:" line stays.
    expect(
      texts(
        await importedMessages(
          enc.encode(
            "From - Mon Jan  1 00:00:00 2026\nSubject: s\nStatus: RO\nthe body, no blank line\nStatus: done\n",
          ),
        ),
      ),
    ).toEqual(["Subject: s\r\nthe body, no blank line\r\nStatus: done\r\n"]);
  });

  it("exports a message's own state fields (a server's, a sender's) as the state kept here, not beside it", async () => {
    const own = "Subject: s\r\nX-Mozilla-Status: 0008\r\nStatus: RO\r\n\r\nb\r\n";
    const file = toMbox([
      {
        raw: enc.encode(own),
        fromAddress: "a@b",
        date: 0,
        state: { seen: false, flagged: false, answered: false },
      },
    ]);
    expect(dec.decode(file)).toBe("From a@b Thu Jan  1 00:00:00 1970\nStatus: O\nSubject: s\n\nb\n\n");
    const back = await importedMessages(file);
    expect(texts(back)).toEqual(["Subject: s\r\n\r\nb\r\n"]);
    expect(back?.[0]?.state).toEqual({ seen: false, flagged: false, answered: false });
  });

  it("refuses a file that is neither", async () => {
    expect(await importedMessages(enc.encode("%PDF-1.4 not mail"))).toBeNull();
    expect(await importedMessages(enc.encode(""))).toBeNull();
    expect(await importedMessages(enc.encode("<html><body>hi</body></html>"))).toBeNull();
  });

  it("reads a file that starts with blank lines, a lone CR among them, as one that does not", async () => {
    const one = "From a@b Mon Jan  1 00:00:00 2001\nSubject: x\n\nhi\n";
    for (const lead of ["\r", "\r\r\n", "\n\n"])
      expect(texts(await importedMessages(enc.encode(lead + one)))).toEqual(["Subject: x\r\n\r\nhi\r\n"]);
  });

  it("leaves out a message larger than the limit, a line longer than it too, and reads on", () => {
    const small = (n: number) => `From a@b Mon Jan  1 00:00:00 2001\nSubject: ${n}\n\nok\n\n`;
    const file = enc.encode(
      small(1) +
        `From a@b Mon Jan  1 00:00:00 2001\nSubject: big\n\n${"x\n".repeat(400)}\n` +
        small(2) +
        // One line with no end for longer than a message may be, inside a message.
        `From a@b Mon Jan  1 00:00:00 2001\nSubject: long line\n\n${"y".repeat(900)}\nend\n\n` +
        small(3),
    );
    const expected = [
      "Subject: 1\r\n\r\nok\r\n",
      "(too large)",
      "Subject: 2\r\n\r\nok\r\n",
      "(too large)",
      "Subject: 3\r\n\r\nok\r\n",
    ];
    expect(fromMbox(file, 500).map(text)).toEqual(expected);
    for (const piece of [1, 3, 64, 256])
      expect(fromMboxInPieces(file, piece, 500).map(text)).toEqual(expected);
    // Without a limit, each comes whole.
    expect(fromMboxInPieces(file, 64).map(text)[3]).toBe(
      `Subject: long line\r\n\r\n${"y".repeat(900)}\r\nend\r\n`,
    );
  });

  it("reads the same in pieces as whole, wherever the pieces fall", () => {
    // Separators after blank lines and without, CRLF and LF, quoted From lines, a body's From.
    const file = enc.encode(
      "\r\nFrom a@b Mon Jan  1 00:00:00 2001\r\nSubject: a\r\n\r\n>From q\r\nFrom body text\r\n\r\n\r\n" +
        "From - Tue Jan  2 00:00:00 2001\nX-Mozilla-Status: 0001\nSubject: b\n\nb\n" +
        "From - Wed Jan  3 00:00:00 2001\nSubject: c\n\nno final newline",
    );
    const whole = fromMbox(file).map(text);
    expect(whole).toHaveLength(3);
    for (let piece = 1; piece <= file.length; piece += 1)
      expect(fromMboxInPieces(file, piece).map(text)).toEqual(whole);
  });
});
