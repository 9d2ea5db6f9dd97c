import { parseStatusLine, Pop3ProtocolError } from "./response";
import type { Pop3Status } from "./response";

/**
 * The streaming decoder of POP3 answers: a small state machine fed with whatever the socket
 * delivers, split anywhere (one byte per read, "\r\n.\r\n" across reads, several answers in
 * one read). Pure: no sockets, no timers.
 *
 * RFC 1939 section 3: a multi-line answer is the status line, then lines, then a line that
 * is exactly "." CRLF. A body line that begins with "." was sent with one more "." in front
 * (byte-stuffing); the first "." is removed here. Every other byte, including 8-bit ones and
 * the CRLFs, is passed on untouched, so a windows-1250 body arrives exactly as stored.
 */

/** What the decoder expects next, registered in the order the commands were sent. */
export interface Pop3Expectation {
  /** True for commands whose +OK answer carries a body (CAPA, LIST, UIDL, TOP, RETR). */
  readonly multiline: boolean;
  onStatus(status: Pop3Status): void;
  /** Decoded body bytes. The array is a view on the read buffer: copy it to keep it. */
  onData(chunk: Uint8Array): void;
  onEnd(): void;
}

const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
const CR_BYTES = Uint8Array.of(CR);

/**
 * RFC 2449 section 4 limits a status line to 512 octets; be generous to odd servers but never
 * buffer without bound when a server sends garbage without a line end.
 */
export const MAX_STATUS_LINE = 8192;

type State =
  | "status" // reading the status line
  | "lineStart" // in a body, at the start of a line
  | "inLine" // in a body, inside a line
  | "dot" // in a body, after a "." at the start of a line
  | "dotCr"; // in a body, after "." CR at the start of a line

const utf8 = new TextDecoder("utf-8");

export class Pop3Decoder {
  #queue: Pop3Expectation[] = [];
  #state: State = "status";
  #statusParts: Uint8Array[] = [];
  #statusLength = 0;

  /** Registers the answer of the next command sent (or of the greeting). */
  expect(expectation: Pop3Expectation): void {
    this.#queue.push(expectation);
  }

  /** Answers registered and not yet complete. */
  get pending(): number {
    return this.#queue.length;
  }

  /** True between answers: no partial status line or body is buffered. */
  get idle(): boolean {
    return this.#state === "status" && this.#statusLength === 0;
  }

  /**
   * Feeds bytes. Callbacks run synchronously; an expectation added from `onEnd` receives the
   * rest of the same chunk. Throws `Pop3ProtocolError` for bytes nobody asked for or a bad
   * status line; the caller must then drop the connection.
   */
  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      const head = this.#queue[0];
      if (head === undefined) {
        // After STLS this is also the defence against plaintext injected before the
        // handshake (RFC 2595 section 4 / CVE-2011-0411 class): nothing may follow the +OK.
        throw new Pop3ProtocolError("the server sent data that no command asked for");
      }
      i = this.#state === "status" ? this.#status(chunk, i, head) : this.#body(chunk, i, head);
    }
  }

  #status(chunk: Uint8Array, from: number, head: Pop3Expectation): number {
    const lf = chunk.indexOf(LF, from);
    const end = lf === -1 ? chunk.length : lf;
    if (end > from) {
      this.#statusParts.push(chunk.subarray(from, end));
      this.#statusLength += end - from;
    }
    if (this.#statusLength > MAX_STATUS_LINE) throw new Pop3ProtocolError("status line too long");
    if (lf === -1) return chunk.length;

    let line = concat(this.#statusParts, this.#statusLength);
    this.#statusParts = [];
    this.#statusLength = 0;
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    const status = parseStatusLine(utf8.decode(line));
    head.onStatus(status);
    if (head.multiline && status.kind === "ok") {
      this.#state = "lineStart";
    } else {
      this.#finish();
    }
    return lf + 1;
  }

  #body(chunk: Uint8Array, from: number, head: Pop3Expectation): number {
    let i = from;
    let start = from; // first byte not yet handed to onData
    const flush = (end: number): void => {
      if (end > start) head.onData(chunk.subarray(start, end));
    };
    while (i < chunk.length) {
      switch (this.#state) {
        case "lineStart": {
          const b = chunk[i]!;
          if (b === DOT) {
            // Hold the dot back: it is either stuffing or the terminator.
            flush(i);
            i += 1;
            start = i;
            this.#state = "dot";
          } else {
            i += 1;
            this.#state = b === LF ? "lineStart" : "inLine";
          }
          break;
        }
        case "inLine": {
          const lf = chunk.indexOf(LF, i);
          if (lf === -1) {
            i = chunk.length;
          } else {
            i = lf + 1;
            this.#state = "lineStart";
          }
          break;
        }
        case "dot": {
          const b = chunk[i]!;
          if (b === CR) {
            // Maybe the terminator: hold the CR back too.
            i += 1;
            start = i;
            this.#state = "dotCr";
          } else if (b === LF) {
            // "." LF: a bare-LF terminator from a sloppy server; accept it.
            i += 1;
            this.#finish();
            return i;
          } else {
            // A stuffed line: the dot is dropped, this byte starts the real line.
            this.#state = "inLine";
          }
          break;
        }
        case "dotCr": {
          const b = chunk[i]!;
          if (b === LF) {
            i += 1;
            this.#finish();
            return i;
          }
          // "." CR then something else: a stuffed line that begins with CR. Give back the CR.
          head.onData(CR_BYTES);
          start = i;
          this.#state = "inLine";
          break;
        }
        case "status":
          throw new Error("unreachable");
      }
    }
    flush(i);
    return i;
  }

  #finish(): void {
    this.#state = "status";
    const done = this.#queue.shift();
    done?.onEnd();
  }
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
