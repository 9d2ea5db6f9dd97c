import type { GatewayLimits } from "../limits";
import { Pop3Decoder } from "./decoder";
import { CommandSocket } from "../line-protocol/command-socket";
import { Pop3Error } from "./errors";
import { Pop3ProtocolError } from "./response";
import type { Pop3Status } from "./response";

/**
 * The POP3 socket shell: the line protocols' `CommandSocket` (one command at a time, an
 * inactivity timer, fail-everything-and-destroy) around the pure `Pop3Decoder`, with what
 * POP3 adds: a whole-answer deadline while a command waits, and every answer's size bounded.
 * It knows no POP3 verbs beyond the listing ones it bounds by line count: the commands live
 * in client.ts.
 */

export type Pop3AnswerLimits = Pick<
  GatewayLimits,
  "pop3MaxListingBytes" | "pop3MaxListingLines" | "pop3MaxMessageBytes" | "pop3CommandDeadlineMs"
>;

export interface Pop3Answer {
  status: Pop3Status;
  body: Buffer;
  /** For a pipelined group: every command's status, in the order sent. */
  statuses?: Pop3Status[];
}

/** Listing commands: small lines, parsed whole; a server that never ends one is refused. */
const listingVerbs = new Set(["CAPA", "UIDL", "LIST"]);

interface Pending {
  /** The line to write, or null for the greeting. */
  readonly line: string | null;
  /**
   * Further single-line commands written together with `line` (RFC 2449 PIPELINING); their
   * answers are read in order and all come back in `Pop3Answer.statuses`.
   */
  readonly more?: readonly string[];
  /** The verb, for errors and logs: never the arguments (PASS carries the password). */
  readonly verb: string;
  readonly multiline: boolean;
  readonly onChunk: ((chunk: Uint8Array) => void) | undefined;
  /** When false, body bytes go only to onChunk and are not collected. */
  readonly collect: boolean;
  resolve(answer: Pop3Answer): void;
  reject(error: Error): void;
}

export class Pop3Connection extends CommandSocket<Pending> {
  readonly #limits: Pop3AnswerLimits;
  #deadline: NodeJS.Timeout | null = null;
  #decoder = new Pop3Decoder();

  /** `timeoutMs`: how long a command may wait without the server sending a single byte. */
  constructor(limits: Pop3AnswerLimits, timeoutMs: number) {
    super("POP3", timeoutMs, (code, message, options) => new Pop3Error(code, message, options));
    this.#limits = limits;
  }

  /**
   * Queues a command (or, with `line` null, the wait for the greeting) and resolves with its
   * whole answer, -ERR included: the caller decides what a -ERR means.
   */
  send(
    line: string | null,
    verb: string,
    multiline: boolean,
    onChunk?: (chunk: Uint8Array) => void,
    collect = true,
  ): Promise<Pop3Answer> {
    return new Promise<Pop3Answer>((resolve, reject) => {
      this.enqueue({ line, verb, multiline, onChunk, collect, resolve, reject });
    });
  }

  /**
   * Writes single-line commands in one go, without waiting for each answer (the server must
   * have announced PIPELINING, RFC 2449 section 6.6), and resolves with every status in order.
   * The group is one entry of the queue: nothing else is written until its last answer.
   */
  sendPipelined(lines: readonly string[], verb: string): Promise<Pop3Status[]> {
    const [first, ...more] = lines;
    if (first === undefined) return Promise.resolve([]);
    return new Promise<Pop3Answer>((resolve, reject) => {
      this.enqueue({
        line: first,
        more,
        verb,
        multiline: false,
        onChunk: undefined,
        collect: false,
        resolve,
        reject,
      });
    }).then((answer) => answer.statuses ?? [answer.status]);
  }

  /** The decoder threw already if anything followed STLS's +OK in the same read (RFC 2595 section 4). */
  protected override onBytes(chunk: Buffer): void {
    try {
      this.#decoder.push(chunk);
    } catch (error) {
      this.fail(
        error instanceof Pop3ProtocolError
          ? new Pop3Error("SERVER_REFUSED", `POP3 protocol error: ${error.message}`, { cause: error })
          : error instanceof Error
            ? error
            : new Error(String(error)),
      );
    }
  }

  protected override onFail(): void {
    this.#clearDeadline();
  }

  protected override begin(next: Pending): void {
    let status: Pop3Status = { kind: "err", text: "" };
    const chunks: Buffer[] = [];
    let length = 0;
    // Every body byte counts, collected or streamed: a hostile server may send an endless
    // UIDL or RETR, and memory and time must stay bounded (limits.ts).
    const listing = listingVerbs.has(next.verb);
    const maxBytes = listing ? this.#limits.pop3MaxListingBytes : this.#limits.pop3MaxMessageBytes;
    let received = 0;
    let lines = 0;
    // A pipelined group: every command but the last answers with one status line.
    const statuses: Pop3Status[] = [];
    for (const _ of next.more ?? [])
      this.#decoder.expect({
        multiline: false,
        onStatus: (s) => {
          statuses.push(s);
        },
        onData: () => undefined,
        onEnd: () => undefined,
      });
    this.#decoder.expect({
      multiline: next.multiline,
      onStatus: (s) => {
        status = s;
      },
      onData: (chunk) => {
        if (this.closed) return;
        received += chunk.length;
        if (listing) for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines += 1;
        if (received > maxBytes || (listing && lines > this.#limits.pop3MaxListingLines)) {
          this.fail(
            listing
              ? new Pop3Error(
                  "SERVER_REFUSED",
                  `the server's ${next.verb} answer is larger than this gateway accepts (${maxBytes} bytes, ${this.#limits.pop3MaxListingLines} lines)`,
                  { command: next.verb },
                )
              : new Pop3Error(
                  "MESSAGE_TOO_LARGE",
                  `the message is larger than this gateway accepts (${maxBytes} bytes)`,
                  { command: next.verb },
                ),
          );
          return;
        }
        if (next.collect) {
          // Copy: the chunk is a view on the socket's read buffer.
          chunks.push(Buffer.from(chunk));
          length += chunk.length;
        }
        next.onChunk?.(chunk);
      },
      onEnd: () => {
        if (this.closed) return;
        this.#clearDeadline();
        this.finish();
        next.resolve({
          status,
          body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length),
          ...(next.more === undefined ? {} : { statuses: [...statuses, status] }),
        });
        this.pump();
      },
    });
    const deadlineMs = this.#limits.pop3CommandDeadlineMs;
    this.#deadline = setTimeout(() => {
      this.fail(
        new Pop3Error("TIMEOUT", `no complete answer to ${next.verb} within ${deadlineMs} ms`, {
          command: next.verb,
        }),
      );
    }, deadlineMs);
    this.#deadline.unref();
    if (next.line !== null)
      this.write(next.more === undefined ? `${next.line}\r\n` : [next.line, ...next.more, ""].join("\r\n"));
  }

  #clearDeadline(): void {
    if (this.#deadline !== null) clearTimeout(this.#deadline);
    this.#deadline = null;
  }
}
