import { describe, expect, it } from "vitest";
import { errorFromStatus } from "../src/sieve/errors";
import {
  encodeString,
  parseCapabilities,
  parseScriptList,
  SieveDecoder,
  SieveProtocolError,
  type SieveAnswer,
} from "../src/sieve/response";

// Answers as Pigeonhole sends them (RFC 5804 examples and recorded from Dovecot 2.3).
const greeting =
  '"IMPLEMENTATION" "Dovecot Pigeonhole"\r\n"SIEVE" "fileinto vacation"\r\n"SASL" "PLAIN LOGIN"\r\n"STARTTLS"\r\n"VERSION" "1.0"\r\nOK "ready."\r\n';
const script =
  'require "fileinto";\r\nif header :contains "subject" "Računi \\"x\\"" {\r\n  fileinto "Računi/2026";\r\n}\r\n';
const scriptBytes = Buffer.byteLength(script);
const answers = Buffer.concat([
  Buffer.from(greeting),
  Buffer.from('"pismo" ACTIVE\r\n"other"\r\n{5}\r\nlit"x\r\nOK "Listscripts completed."\r\n'),
  Buffer.from(`{${scriptBytes}}\r\n`),
  Buffer.from(script),
  Buffer.from('\r\nOK "Getscript completed."\r\n'),
  Buffer.from('NO (NONEXISTENT) "Sieve script `x\' not found"\r\n'),
  Buffer.from('NO (QUOTA/MAXSCRIPTS) {12}\r\ntoo\r\nmany \\"\r\n'),
  Buffer.from('OK (WARNINGS) "line 2: warning"\r\n'),
  Buffer.from('BYE (TRYLATER) "shutting down"\r\n'),
]);

function decodeAll(chunks: readonly Uint8Array[]): SieveAnswer[] {
  const decoder = new SieveDecoder(1 << 20);
  const out: SieveAnswer[] = [];
  for (const chunk of chunks) out.push(...decoder.push(chunk));
  expect(decoder.buffered).toBe(0);
  return out;
}

describe("ManageSieve answers (RFC 5804 section 4)", () => {
  const whole = decodeAll([answers]);

  it("reads capabilities, lists, literals, response codes and texts", () => {
    expect(whole).toHaveLength(7);
    const caps = parseCapabilities(whole[0]!.lines);
    expect(caps.get("SIEVE")).toBe("fileinto vacation");
    expect(caps.has("STARTTLS")).toBe(true);
    expect(whole[0]!.status).toEqual({ kind: "ok", code: undefined, codeArgs: [], text: "ready." });
    expect(parseScriptList(whole[1]!.lines.slice(0, 2))).toEqual([
      { name: "pismo", active: true },
      { name: "other", active: false },
    ]);
    expect(whole[1]!.lines[2]).toEqual([{ kind: "string", value: 'lit"x' }]);
    expect(whole[2]!.lines[0]).toEqual([{ kind: "string", value: script }]);
    expect(whole[3]!.status).toMatchObject({ kind: "no", code: "NONEXISTENT" });
    expect(whole[4]!.status).toEqual({
      kind: "no",
      code: "QUOTA/MAXSCRIPTS",
      codeArgs: [],
      text: 'too\r\nmany \\"',
    });
    expect(whole[5]!.status).toMatchObject({ kind: "ok", code: "WARNINGS", text: "line 2: warning" });
    expect(whole[6]!.status).toMatchObject({ kind: "bye", code: "TRYLATER" });
  });

  it("gives the same answers however the bytes are split", () => {
    for (let at = 1; at < answers.length; at++) {
      expect(decodeAll([answers.subarray(0, at), answers.subarray(at)])).toEqual(whole);
    }
    expect(decodeAll([...answers].map((b) => Uint8Array.of(b)))).toEqual(whole);
  });

  it("refuses what is not ManageSieve, and answers larger than allowed", () => {
    expect(() => new SieveDecoder(100).push(Buffer.from("HTTP/1.1 400 Bad\nx\r\n"))).toThrow(
      SieveProtocolError,
    );
    expect(() => new SieveDecoder(100).push(Buffer.from("SSH-2.0-OpenSSH\r\n(\r\n"))).toThrow(
      SieveProtocolError,
    );
    expect(() => new SieveDecoder(100).push(Buffer.from("{1000}\r\n"))).toThrow(/larger/);
    expect(() => new SieveDecoder(100).push(Buffer.from("* OK [CAPABILITY IMAP4rev1] ready\r\n"))).toThrow(
      /neither/,
    );
    expect(() => new SieveDecoder(100).push(Buffer.from("x".repeat(200)))).toThrow(/larger/);
  });

  it("maps NO and BYE to errors that keep the server's code and words", () => {
    const at = (i: number) => whole[i]!.status;
    expect(errorFromStatus("GETSCRIPT", at(3))).toMatchObject({ code: "NOT_FOUND", respCode: "NONEXISTENT" });
    expect(errorFromStatus("PUTSCRIPT", at(4))).toMatchObject({
      code: "QUOTA_EXCEEDED",
      respCode: "QUOTA/MAXSCRIPTS",
    });
    expect(
      errorFromStatus("AUTHENTICATE", { kind: "no", code: undefined, codeArgs: [], text: "bad" }),
    ).toMatchObject({
      code: "AUTH_FAILED",
    });
    expect(
      errorFromStatus("PUTSCRIPT", { kind: "no", code: undefined, codeArgs: [], text: "line 3: error" }),
    ).toMatchObject({ code: "BAD_INPUT", serverText: "line 3: error" });
    expect(errorFromStatus("LISTSCRIPTS", at(6))).toMatchObject({
      code: "SERVER_UNREACHABLE",
      respCode: "TRYLATER",
    });
  });

  it("writes strings as quoted strings or exact-length literals", () => {
    expect(encodeString("pismo").toString()).toBe('"pismo"');
    expect(encodeString('a"b').toString()).toBe('{3+}\r\na"b');
    expect(encodeString("Računi\r\n").toString()).toBe("{9+}\r\nRačuni\r\n");
  });
});
