import type net from "node:net";
import type { GatewayLimits } from "../limits";
import { Pop3Decoder } from "./decoder";
import { errorFromSocket, Pop3Error } from "./errors";
import { Pop3ProtocolError } from "./response";
import type { Pop3Status } from "./response";

/**
 * The socket shell around the pure `Pop3Decoder`: it writes one command at a time (a queue,
 * so concurrent calls never read each other's answers), arms an inactivity timer and a
 * whole-answer deadline while a command waits, bounds every answer's size, and on any failure
 * rejects every waiting command and destroys the socket. It knows no POP3 verbs beyond the
 * listing ones it bounds by line count: the commands live in client.ts.
 */

export type Pop3AnswerLimits = Pick<
  GatewayLimits,
  "pop3MaxListingBytes" | "pop3MaxListingLines" | "pop3MaxMessageBytes" | "pop3CommandDeadlineMs"
>;

export interface Pop3Answer {
  status: Pop3Status;
  body: Buffer;
}

/** Listing commands: small lines, parsed whole; a server that never ends one is refused. */
const listingVerbs = new Set(["CAPA", "UIDL", "LIST"]);

interface Pending {
  /** The line to write, or null for the greeting. */
  readonly line: string | null;
  /** The verb, for errors and logs: never the arguments (PASS carries the password). */
  readonly verb: string;
  readonly multiline: boolean;
  readonly onChunk: ((chunk: Uint8Array) => void) | undefined;
  /** When false, body bytes go only to onChunk and are not collected. */
  readonly collect: boolean;
  resolve(answer: Pop3Answer): void;
  reject(error: Error): void;
}

export class Pop3Connection {
  readonly #timeoutMs: number;
  readonly #limits: Pop3AnswerLimits;
  #deadline: NodeJS.Timeout | null = null;
  #socket: net.Socket | null = null;
  #decoder = new Pop3Decoder();
  #waiting: Pending[] = [];
  #inflight: Pending | null = null;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  #failure: Error | null = null;
  #secure = false;
  #detach: (() => void) | null = null;

  /** `timeoutMs`: how long a command may wait without the server sending a single byte. */
  constructor(limits: Pop3AnswerLimits, timeoutMs: number) {
    this.#limits = limits;
    this.#timeoutMs = timeoutMs;
  }

  /** True once the session is over (QUIT, close, or a failure). */
  get closed(): boolean {
    return this.#closed;
  }

  /** True once answers are read from a TLS socket. */
  get secure(): boolean {
    return this.#secure;
  }

  /** Why the session ended, or a generic reason once it has. */
  get failure(): Error {
    return this.#failure ?? new Pop3Error("SERVER_UNREACHABLE", "the POP3 connection is closed");
  }

  /**
   * Takes ownership of a socket that may still be connecting: from now on a failure destroys
   * it. Answers are read only after `listen`.
   */
  adopt(socket: net.Socket): void {
    this.#socket = socket;
  }

  /** Starts reading answers from the adopted socket. */
  listen(secure: boolean): void {
    const socket = this.#socket;
    if (socket === null) throw new Error("no socket to listen on");
    this.#secure = secure;
    const onData = (chunk: Buffer): void => {
      this.#armTimer();
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
    };
    const onError = (error: Error): void => this.fail(errorFromSocket(error, false));
    const onClose = (): void =>
      this.fail(new Pop3Error("SERVER_UNREACHABLE", "the POP3 server closed the connection"));
    socket.on("data", onData);
    socket.on("error", onError);
    socket.on("close", onClose);
    this.#detach = () => {
      socket.off("data", onData);
      socket.off("error", onError);
      socket.off("close", onClose);
    };
  }

  /**
   * Stops reading from the socket so STLS can wrap it (RFC 2595 section 4) and returns it. The
   * decoder threw already if anything followed the +OK in the same read; from here on the
   * plain socket belongs to TLS.
   */
  release(): net.Socket {
    const plain = this.#socket;
    if (plain === null || this.#closed) throw this.failure;
    this.#detach?.();
    this.#detach = null;
    // Keep a listener so a late plain-socket error is not an uncaught exception.
    plain.on("error", () => undefined);
    return plain;
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
    if (this.#closed) return Promise.reject(this.failure);
    return new Promise<Pop3Answer>((resolve, reject) => {
      this.#waiting.push({ line, verb, multiline, onChunk, collect, resolve, reject });
      this.#pump();
    });
  }

  /** Ends the session for good: rejects everything waiting and destroys the socket. */
  fail(error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#failure = error;
    this.#clearTimer();
    this.#clearDeadline();
    this.#detach?.();
    this.#detach = null;
    const socket = this.#socket;
    if (socket !== null) {
      socket.on("error", () => undefined);
      socket.destroy();
    }
    const pending = [...(this.#inflight === null ? [] : [this.#inflight]), ...this.#waiting];
    this.#inflight = null;
    this.#waiting = [];
    for (const p of pending) p.reject(error);
  }

  /** Sends the next command once the previous answer is complete: one at a time. */
  #pump(): void {
    if (this.#inflight !== null || this.#closed) return;
    const next = this.#waiting.shift();
    if (next === undefined) {
      this.#clearTimer();
      return;
    }
    this.#inflight = next;
    let status: Pop3Status = { kind: "err", text: "" };
    const chunks: Buffer[] = [];
    let length = 0;
    // Every body byte counts, collected or streamed: a hostile server may send an endless
    // UIDL or RETR, and memory and time must stay bounded (limits.ts).
    const listing = listingVerbs.has(next.verb);
    const maxBytes = listing ? this.#limits.pop3MaxListingBytes : this.#limits.pop3MaxMessageBytes;
    let received = 0;
    let lines = 0;
    this.#decoder.expect({
      multiline: next.multiline,
      onStatus: (s) => {
        status = s;
      },
      onData: (chunk) => {
        if (this.#closed) return;
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
        if (this.#closed) return;
        this.#clearDeadline();
        this.#inflight = null;
        next.resolve({ status, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length) });
        this.#pump();
      },
    });
    this.#armTimer();
    const deadlineMs = this.#limits.pop3CommandDeadlineMs;
    this.#deadline = setTimeout(() => {
      this.fail(
        new Pop3Error("TIMEOUT", `no complete answer to ${next.verb} within ${deadlineMs} ms`, {
          command: next.verb,
        }),
      );
    }, deadlineMs);
    this.#deadline.unref();
    if (next.line !== null) this.#socket?.write(`${next.line}\r\n`);
  }

  #armTimer(): void {
    this.#clearTimer();
    const pending = this.#inflight;
    if (pending === null) return;
    this.#timer = setTimeout(() => {
      this.fail(
        new Pop3Error("TIMEOUT", `no answer to ${pending.verb} within ${this.#timeoutMs} ms`, {
          command: pending.verb,
        }),
      );
    }, this.#timeoutMs);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #clearDeadline(): void {
    if (this.#deadline !== null) clearTimeout(this.#deadline);
    this.#deadline = null;
  }
}
