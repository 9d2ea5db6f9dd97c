/**
 * Pure parsing of POP3 answers (RFC 1939, RFC 2449). No sockets here: the decoder hands over
 * status lines and bodies, these functions turn them into values.
 */

export type Pop3StatusKind = "ok" | "err" | "continue";

export interface Pop3Status {
  readonly kind: Pop3StatusKind;
  /** The text after the status indicator and the response code, trimmed. */
  readonly text: string;
  /** RFC 2449 extended response code, e.g. "IN-USE" from "-ERR [IN-USE] locked". */
  readonly code?: string;
}

export class Pop3ProtocolError extends Error {
  override readonly name = "Pop3ProtocolError";
}

/**
 * Parses one status line (without its CRLF). RFC 1939 section 3: "+OK" or "-ERR", then
 * optional text; RFC 2449 section 8 puts an optional "[CODE]" first. "+ " is a SASL
 * continuation (RFC 5034), only expected during AUTH.
 */
export function parseStatusLine(line: string): Pop3Status {
  let kind: Pop3StatusKind;
  let rest: string;
  if (line.startsWith("+OK")) {
    kind = "ok";
    rest = line.slice(3);
  } else if (line.startsWith("-ERR")) {
    kind = "err";
    rest = line.slice(4);
  } else if (line === "+" || line.startsWith("+ ")) {
    return { kind: "continue", text: line.slice(2) };
  } else {
    throw new Pop3ProtocolError(`not a POP3 status line: ${JSON.stringify(line.slice(0, 80))}`);
  }
  // The indicator must end there: "+OKAY" is not "+OK".
  if (rest.length > 0 && rest[0] !== " ") {
    throw new Pop3ProtocolError(`not a POP3 status line: ${JSON.stringify(line.slice(0, 80))}`);
  }
  rest = rest.trimStart();
  const match = /^\[([^\]\s]+)\]\s*/.exec(rest);
  if (match?.[1] !== undefined) {
    return { kind, text: rest.slice(match[0].length).trimEnd(), code: match[1] };
  }
  return { kind, text: rest.trimEnd() };
}

const latin1 = new TextDecoder("latin1");

/** Splits a small multi-line body (CAPA, LIST, UIDL) into its lines, without the CRLFs. */
export function bodyLines(body: Uint8Array): string[] {
  const text = latin1.decode(body);
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** CAPA (RFC 2449 section 5): one capability per line, a keyword then arguments. */
export type Pop3Capabilities = ReadonlyMap<string, readonly string[]>;

export function parseCapa(body: Uint8Array): Pop3Capabilities {
  const caps = new Map<string, readonly string[]>();
  for (const line of bodyLines(body)) {
    const [name, ...args] = line.trim().split(/\s+/);
    if (name !== undefined && name.length > 0) caps.set(name.toUpperCase(), args);
  }
  return caps;
}

export interface Pop3ListEntry {
  readonly msgNo: number;
  readonly size: number;
}

export interface Pop3UidlEntry {
  readonly msgNo: number;
  readonly uid: string;
}

function parseMsgNo(value: string | undefined, context: string): number {
  if (value === undefined || !/^\d+$/.test(value))
    throw new Pop3ProtocolError(`bad message number in ${context}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new Pop3ProtocolError(`bad message number in ${context}`);
  return n;
}

/** "msgNo size" (RFC 1939 LIST scan listing), from a body line or a single-line answer's text. */
export function parseListLine(line: string): Pop3ListEntry {
  const [no, size] = line.trim().split(/\s+/);
  const msgNo = parseMsgNo(no, "LIST");
  if (size === undefined || !/^\d+$/.test(size)) throw new Pop3ProtocolError("bad size in LIST");
  return { msgNo, size: Number(size) };
}

/** "msgNo uid" (RFC 1939 UIDL); a unique-id is 1 to 70 characters 0x21..0x7E. */
export function parseUidlLine(line: string): Pop3UidlEntry {
  const [no, uid] = line.trim().split(/\s+/);
  const msgNo = parseMsgNo(no, "UIDL");
  if (uid === undefined || !/^[\x21-\x7e]{1,70}$/.test(uid))
    throw new Pop3ProtocolError("bad unique-id in UIDL");
  return { msgNo, uid };
}

/** "count size" from STAT's +OK text. */
export function parseStat(text: string): { count: number; size: number } {
  const [count, size] = text.trim().split(/\s+/);
  if (count === undefined || size === undefined || !/^\d+$/.test(count) || !/^\d+$/.test(size)) {
    throw new Pop3ProtocolError("bad STAT answer");
  }
  return { count: Number(count), size: Number(size) };
}

/** The APOP timestamp of the greeting (RFC 1939 section 7), e.g. "<1896.697170952@dbc.mtview.ca.us>". */
export function apopTimestamp(greetingText: string): string | undefined {
  return /<[^<>\s]+@[^<>\s]+>/.exec(greetingText)?.[0];
}
