/**
 * ManageSieve answers (RFC 5804 section 4), decoded from bytes split anywhere. Pure: no
 * sockets, no timers.
 *
 * A server line is a sequence of atoms, strings and one parenthesised response code, ended by
 * CRLF. Strings are quoted (`"..."`, with `\"` and `\\`, RFC 5804 section 4) or literals
 * (`{n}` CRLF then exactly n octets; `{n+}` is accepted too). An answer is any number of data
 * lines followed by one line that starts with OK, NO or BYE.
 */

export class SieveProtocolError extends Error {
  override readonly name = "SieveProtocolError";
}

export type SieveToken =
  | { kind: "atom"; value: string }
  | { kind: "string"; value: string }
  | { kind: "code"; tokens: SieveToken[] };

export interface SieveStatus {
  kind: "ok" | "no" | "bye";
  /** The response code, upper-case, e.g. "NONEXISTENT", "QUOTA/MAXSCRIPTS", "WARNINGS". */
  code: string | undefined;
  /** Strings that follow the code inside the brackets (SASL data, TAG, REFERRAL). */
  codeArgs: string[];
  /** The human-readable text, possibly empty. */
  text: string;
}

export interface SieveAnswer {
  lines: SieveToken[][];
  status: SieveStatus;
}

const CR = 0x0d;
const LF = 0x0a;
const utf8 = new TextDecoder("utf-8");

/** Reads one line from `buf` at `start`; null when more bytes are needed. */
export function readLine(
  buf: Buffer,
  start: number,
  maxLiteral: number,
): { tokens: SieveToken[]; end: number } | null {
  let i = start;
  const stack: SieveToken[][] = [[]];
  const push = (token: SieveToken): void => {
    stack[stack.length - 1]!.push(token);
  };
  for (;;) {
    if (i >= buf.length) return null;
    const c = buf[i]!;
    if (c === 0x20) {
      i++;
    } else if (c === CR) {
      if (i + 1 >= buf.length) return null;
      if (buf[i + 1] !== LF) throw new SieveProtocolError("CR without LF");
      if (stack.length !== 1) throw new SieveProtocolError("unclosed response code");
      return { tokens: stack[0]!, end: i + 2 };
    } else if (c === LF) {
      throw new SieveProtocolError("LF without CR");
    } else if (c === 0x22) {
      const parts: number[] = [];
      i++;
      for (;;) {
        if (i >= buf.length) return null;
        const d = buf[i]!;
        if (d === 0x22) break;
        if (d === CR || d === LF) throw new SieveProtocolError("line end in a quoted string");
        if (d === 0x5c) {
          if (i + 1 >= buf.length) return null;
          parts.push(buf[i + 1]!);
          i += 2;
          continue;
        }
        parts.push(d);
        i++;
      }
      i++;
      push({ kind: "string", value: utf8.decode(Uint8Array.from(parts)) });
    } else if (c === 0x7b) {
      const close = buf.indexOf(0x7d, i);
      if (close === -1) {
        if (buf.length - i > 24) throw new SieveProtocolError("bad literal");
        return null;
      }
      const m = /^\{(\d{1,12})\+?\}$/.exec(buf.toString("latin1", i, close + 1));
      if (!m) throw new SieveProtocolError("bad literal");
      const length = Number(m[1]);
      if (length > maxLiteral)
        throw new SieveProtocolError(`a literal of ${length} bytes is larger than ${maxLiteral}`);
      if (close + 2 >= buf.length) return null;
      if (buf[close + 1] !== CR || buf[close + 2] !== LF)
        throw new SieveProtocolError("literal without CRLF");
      const from = close + 3;
      if (from + length > buf.length) return null;
      push({ kind: "string", value: utf8.decode(buf.subarray(from, from + length)) });
      i = from + length;
    } else if (c === 0x28) {
      stack.push([]);
      i++;
    } else if (c === 0x29) {
      if (stack.length < 2) throw new SieveProtocolError('unexpected ")"');
      const tokens = stack.pop()!;
      push({ kind: "code", tokens });
      i++;
    } else {
      let j = i;
      while (j < buf.length && ![0x20, CR, LF, 0x28, 0x29, 0x22, 0x7b].includes(buf[j]!)) j++;
      if (j >= buf.length) return null;
      push({ kind: "atom", value: buf.toString("latin1", i, j) });
      i = j;
    }
  }
}

/** The final line of an answer, or null for a data line. */
export function statusOf(tokens: readonly SieveToken[]): SieveStatus | null {
  const first = tokens[0];
  if (first?.kind !== "atom") return null;
  const word = first.value.toUpperCase();
  if (word !== "OK" && word !== "NO" && word !== "BYE") return null;
  let code: string | undefined;
  const codeArgs: string[] = [];
  let text = "";
  for (const token of tokens.slice(1)) {
    if (token.kind === "code") {
      const [name, ...rest] = token.tokens;
      if (name?.kind === "atom") code = name.value.toUpperCase();
      for (const r of rest) if (r.kind === "string" || r.kind === "atom") codeArgs.push(r.value);
    } else if (token.kind === "string") {
      text = token.value;
    }
  }
  return { kind: word === "OK" ? "ok" : word === "NO" ? "no" : "bye", code, codeArgs, text };
}

/**
 * Collects answers from bytes as they come. Each `push` returns the answers it completed, in
 * order. A server that sends more than `maxAnswerBytes` without ending an answer is refused.
 */
export class SieveDecoder {
  #buf: Buffer = Buffer.alloc(0);
  #lines: SieveToken[][] = [];
  readonly #maxAnswerBytes: number;

  constructor(maxAnswerBytes: number) {
    this.#maxAnswerBytes = maxAnswerBytes;
  }

  push(chunk: Uint8Array): SieveAnswer[] {
    this.#buf = this.#buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#buf, chunk]);
    const answers: SieveAnswer[] = [];
    for (;;) {
      const line = readLine(this.#buf, 0, this.#maxAnswerBytes);
      if (line === null) break;
      this.#buf = this.#buf.subarray(line.end);
      const status = statusOf(line.tokens);
      // Every data line a ManageSieve server sends starts with a string (capabilities,
      // LISTSCRIPTS, GETSCRIPT): anything else is another protocol talking (an IMAP "* OK").
      if (status === null && line.tokens[0]?.kind !== "string")
        throw new SieveProtocolError("a line that is neither data nor a status");
      if (status === null) this.#lines.push(line.tokens);
      else {
        answers.push({ lines: this.#lines, status });
        this.#lines = [];
      }
    }
    if (this.#buf.length > this.#maxAnswerBytes)
      throw new SieveProtocolError(`an answer larger than ${this.#maxAnswerBytes} bytes`);
    return answers;
  }

  /** Bytes received and not yet part of a complete line (STARTTLS must leave none). */
  get buffered(): number {
    return this.#buf.length;
  }
}

/** Capability lines (RFC 5804 section 1.7): `"NAME" ["value"]`, names upper-cased. */
export function parseCapabilities(lines: readonly SieveToken[][]): Map<string, string> {
  const caps = new Map<string, string>();
  for (const line of lines) {
    const [name, value] = line;
    if (name?.kind !== "string" && name?.kind !== "atom") continue;
    caps.set(name.value.toUpperCase(), value?.kind === "string" || value?.kind === "atom" ? value.value : "");
  }
  return caps;
}

export interface SieveScriptEntry {
  name: string;
  active: boolean;
}

/** LISTSCRIPTS (RFC 5804 section 2.7): one `"name" [SP "ACTIVE"]` line per script. */
export function parseScriptList(lines: readonly SieveToken[][]): SieveScriptEntry[] {
  return lines.map((line) => {
    const [name, active] = line;
    if (name?.kind !== "string") throw new SieveProtocolError("a script name must be a string");
    return { name: name.value, active: active?.kind === "atom" && active.value.toUpperCase() === "ACTIVE" };
  });
}

/** A string argument: quoted when plain, else a literal `{n+}` (RFC 5804 section 4). */
export function encodeString(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  if (bytes.length <= 1024 && !/[\r\n\0"\\]/.test(value)) return Buffer.from(`"${value}"`, "utf8");
  return Buffer.concat([Buffer.from(`{${bytes.length}+}\r\n`, "latin1"), bytes]);
}
