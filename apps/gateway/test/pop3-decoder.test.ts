import { describe, expect, it } from "vitest";
import { MAX_STATUS_LINE, Pop3Decoder } from "../src/pop3/decoder";
import { errorFromStatus } from "../src/pop3/errors";
import {
  apopTimestamp,
  parseCapa,
  parseListLine,
  parseStat,
  parseStatusLine,
  parseUidlLine,
  Pop3ProtocolError,
} from "../src/pop3/response";
import type { Pop3Status } from "../src/pop3/response";

interface Decoded {
  status: Pop3Status;
  body: Buffer;
}

/** Feeds `chunks` to a decoder that expects answers of the given kinds (true = multi-line). */
function decode(chunks: readonly Uint8Array[], kinds: readonly boolean[]): Decoded[] {
  const decoder = new Pop3Decoder();
  const out: Decoded[] = [];
  for (const multiline of kinds) {
    let status: Pop3Status = { kind: "err", text: "" };
    const parts: Buffer[] = [];
    decoder.expect({
      multiline,
      onStatus: (s) => (status = s),
      onData: (c) => parts.push(Buffer.from(c)),
      onEnd: () => out.push({ status, body: Buffer.concat(parts) }),
    });
  }
  for (const chunk of chunks) decoder.push(chunk);
  expect(decoder.pending).toBe(0);
  expect(decoder.idle).toBe(true);
  return out;
}

function splitAt(bytes: Buffer, ...points: number[]): Buffer[] {
  const out: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

function oneByteChunks(bytes: Buffer): Buffer[] {
  return [...bytes].map((b) => Buffer.of(b));
}

// "Šta ima, Saša?" in windows-1250: Š = 0x8A, š = 0x9A. Plus a lone 0xFF and a NUL-free 8-bit run.
const win1250Line = Buffer.concat([
  Buffer.from([0x8a]),
  Buffer.from("ta ima, Sa"),
  Buffer.from([0x9a]),
  Buffer.from("a?\r\n"),
]);

/** The message as stored: lines that start with a dot, 8-bit bytes, an empty line, CRLFs. */
const original = Buffer.concat([
  Buffer.from("From: a@b.rs\r\nSubject: =?windows-1250?Q?=8Aa=9Aa?=\r\n\r\n"),
  win1250Line,
  Buffer.from(".hidden line\r\n..two dots\r\n.\r\n"), // "." alone must survive as a body line
  Buffer.from(". space\r\n.\r\n.\r\n"),
  Buffer.from([0xe8, 0xe6, 0xf0, 0xff, 0x0d, 0x0a]), // č ć đ ÿ
  Buffer.from("last line\r\n"),
]);

/** RFC 1939 byte-stuffing: every line that starts with "." gets one more. */
function stuff(message: Buffer): Buffer {
  const text = message.toString("latin1");
  return Buffer.from(text.replace(/(^|\r\n)\./g, "$1.."), "latin1");
}

const wire = Buffer.concat([
  Buffer.from("+OK 3 octets follow\r\n"),
  stuff(original),
  Buffer.from(".\r\n"),
  Buffer.from("-ERR [IN-USE] no such thing\r\n"),
  Buffer.from("+OK bye\r\n"),
]);

describe("Pop3Decoder", () => {
  it("undoes dot-stuffing and keeps every other byte, 8-bit and CRLF included", () => {
    const [retr, err, quit] = decode([wire], [true, true, false]);
    expect(retr?.status).toEqual({ kind: "ok", text: "3 octets follow" });
    expect(retr?.body.equals(original)).toBe(true);
    expect(err?.status).toEqual({ kind: "err", text: "no such thing", code: "IN-USE" });
    expect(err?.body.length).toBe(0);
    expect(quit?.status.text).toBe("bye");
  });

  it("gives the same result when the answers are split at every byte index", () => {
    for (let i = 0; i <= wire.length; i += 1) {
      const [retr, err, quit] = decode(splitAt(wire, i), [true, true, false]);
      expect(retr?.body.equals(original), `split at ${i}`).toBe(true);
      expect(err?.status.code).toBe("IN-USE");
      expect(quit?.status.kind).toBe("ok");
    }
  });

  it("gives the same result for every pair of split points around the terminator", () => {
    const end = wire.indexOf("\r\n.\r\n-ERR");
    for (let i = end - 3; i <= end + 8; i += 1) {
      for (let j = i; j <= end + 8; j += 1) {
        const [retr] = decode(splitAt(wire, i, j), [true, true, false]);
        expect(retr?.body.equals(original), `split at ${i},${j}`).toBe(true);
      }
    }
  });

  it("works one byte per chunk", () => {
    const [retr, err, quit] = decode(oneByteChunks(wire), [true, true, false]);
    expect(retr?.body.equals(original)).toBe(true);
    expect(err?.status.kind).toBe("err");
    expect(quit?.status.kind).toBe("ok");
  });

  it("handles an empty body and a body that is just a dot line", () => {
    const bytes = Buffer.from("+OK\r\n.\r\n+OK\r\n..\r\n.\r\n");
    for (const chunks of [[bytes], oneByteChunks(bytes)]) {
      const [a, b] = decode(chunks, [true, true]);
      expect(a?.body.length).toBe(0);
      expect(b?.body.toString()).toBe(".\r\n");
    }
  });

  it("strips the first dot of a stuffed line that starts with CR", () => {
    const [a] = decode([Buffer.from("+OK\r\n.\rx\r\n.\r\n")], [true]);
    expect(a?.body.toString("latin1")).toBe("\rx\r\n");
  });

  it("accepts a bare-LF terminator from a sloppy server", () => {
    const [a] = decode([Buffer.from("+OK\nline\n.\n")], [true]);
    expect(a?.body.toString()).toBe("line\n");
  });

  it("rejects data nobody asked for and garbage status lines", () => {
    const decoder = new Pop3Decoder();
    expect(() => decoder.push(Buffer.from("+OK\r\n"))).toThrow(Pop3ProtocolError);
    const d2 = new Pop3Decoder();
    d2.expect({
      multiline: false,
      onStatus: () => undefined,
      onData: () => undefined,
      onEnd: () => undefined,
    });
    expect(() => d2.push(Buffer.from("HELLO\r\n"))).toThrow(Pop3ProtocolError);
    const d3 = new Pop3Decoder();
    d3.expect({
      multiline: false,
      onStatus: () => undefined,
      onData: () => undefined,
      onEnd: () => undefined,
    });
    expect(() => d3.push(Buffer.alloc(MAX_STATUS_LINE + 10, 0x41))).toThrow(/too long/);
  });

  it("lets an expectation added in onEnd take the rest of the same chunk", () => {
    const decoder = new Pop3Decoder();
    const seen: string[] = [];
    decoder.expect({
      multiline: false,
      onStatus: (s) => seen.push(s.text),
      onData: () => undefined,
      onEnd: () =>
        decoder.expect({
          multiline: false,
          onStatus: (s) => seen.push(s.text),
          onData: () => undefined,
          onEnd: () => undefined,
        }),
    });
    decoder.push(Buffer.from("+OK one\r\n+OK two\r\n"));
    expect(seen).toEqual(["one", "two"]);
  });
});

describe("response parsing", () => {
  it("parses status lines with and without RFC 2449 codes", () => {
    expect(parseStatusLine("+OK")).toEqual({ kind: "ok", text: "" });
    expect(parseStatusLine("+OK Dovecot ready.")).toEqual({ kind: "ok", text: "Dovecot ready." });
    expect(parseStatusLine("-ERR [AUTH] Authentication failed.")).toEqual({
      kind: "err",
      text: "Authentication failed.",
      code: "AUTH",
    });
    expect(parseStatusLine("-ERR [SYS/TEMP] try later")).toMatchObject({ code: "SYS/TEMP" });
    expect(parseStatusLine("+ ")).toEqual({ kind: "continue", text: "" });
    expect(() => parseStatusLine("+OKAY")).toThrow(Pop3ProtocolError);
    expect(() => parseStatusLine("* OK imap")).toThrow(Pop3ProtocolError);
  });

  it("parses CAPA, LIST, UIDL, STAT and the APOP timestamp", () => {
    const caps = parseCapa(Buffer.from("TOP\r\nUIDL\r\nSASL PLAIN LOGIN\r\nstls\r\nRESP-CODES\r\n"));
    expect(caps.has("STLS")).toBe(true);
    expect(caps.get("SASL")).toEqual(["PLAIN", "LOGIN"]);
    expect(parseListLine("3 1205")).toEqual({ msgNo: 3, size: 1205 });
    expect(parseUidlLine("1 whqtswO00WBw418f9t5JxYwZ")).toEqual({
      msgNo: 1,
      uid: "whqtswO00WBw418f9t5JxYwZ",
    });
    expect(() => parseUidlLine("1")).toThrow(Pop3ProtocolError);
    expect(() => parseListLine("x 1")).toThrow(Pop3ProtocolError);
    expect(parseStat("2 320")).toEqual({ count: 2, size: 320 });
    expect(apopTimestamp("POP3 server ready <1896.697170952@dbc.mtview.ca.us>")).toBe(
      "<1896.697170952@dbc.mtview.ca.us>",
    );
    expect(apopTimestamp("Dovecot ready.")).toBeUndefined();
  });

  it("maps -ERR answers and response codes to error codes", () => {
    expect(errorFromStatus("PASS", { kind: "err", text: "no" }).code).toBe("AUTH_FAILED");
    expect(errorFromStatus("PASS", { kind: "err", text: "no", code: "AUTH" }).code).toBe("AUTH_FAILED");
    const inUse = errorFromStatus("PASS", { kind: "err", text: "locked", code: "IN-USE" });
    expect(inUse).toMatchObject({ code: "SERVER_REFUSED", temporary: true, respCode: "IN-USE" });
    expect(errorFromStatus("PASS", { kind: "err", text: "", code: "SYS/TEMP" })).toMatchObject({
      code: "SERVER_REFUSED",
      temporary: true,
    });
    expect(errorFromStatus("PASS", { kind: "err", text: "", code: "SYS/PERM" })).toMatchObject({
      code: "SERVER_REFUSED",
      temporary: false,
    });
    expect(errorFromStatus("USER", { kind: "err", text: "", code: "LOGIN-DELAY" }).code).toBe("RATE_LIMITED");
    expect(errorFromStatus("RETR", { kind: "err", text: "no such message" }).code).toBe("SERVER_REFUSED");
  });
});
