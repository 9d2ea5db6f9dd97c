import type net from "node:net";
import { errorFromSocket, errorFromStatus, SieveError } from "./errors";
import { SieveDecoder, type SieveAnswer } from "./response";

/**
 * The socket shell around the pure `SieveDecoder`, built like the POP3 connection: it writes
 * one command at a time (a queue, so concurrent calls never read each other's answers), arms
 * an inactivity timer while a command waits, and on any failure, an unsolicited BYE included,
 * rejects every waiting command and destroys the socket. It knows no ManageSieve commands:
 * those, the connect and the STARTTLS upgrade live in client.ts.
 */

interface Pending {
  /** The bytes to write, or null to wait for an answer the server sends unasked (greeting). */
  readonly data: Buffer | null;
  /** The verb, for errors: never the arguments (AUTHENTICATE carries the password). */
  readonly verb: string;
  resolve(answer: SieveAnswer): void;
  reject(error: Error): void;
}

export class SieveConnection {
  readonly #timeoutMs: number;
  readonly #decoder: SieveDecoder;
  #socket: net.Socket | null = null;
  #waiting: Pending[] = [];
  #inflight: Pending | null = null;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  #failure: Error | null = null;
  #secure = false;
  #detach: (() => void) | null = null;

  /** `timeoutMs`: how long a command may wait without the server sending a single byte. */
  constructor(maxAnswerBytes: number, timeoutMs: number) {
    this.#decoder = new SieveDecoder(maxAnswerBytes);
    this.#timeoutMs = timeoutMs;
  }

  /** True once the session is over (LOGOUT, close, or a failure). */
  get closed(): boolean {
    return this.#closed;
  }

  /** True once answers are read from a TLS socket. */
  get secure(): boolean {
    return this.#secure;
  }

  /** Why the session ended, or a generic reason once it has. */
  get failure(): Error {
    return this.#failure ?? new SieveError("SERVER_UNREACHABLE", "the ManageSieve connection is closed");
  }

  /** Bytes read that are not yet part of a whole answer. */
  get buffered(): number {
    return this.#decoder.buffered;
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
      let answers: SieveAnswer[];
      try {
        answers = this.#decoder.push(chunk);
      } catch (error) {
        this.fail(
          new SieveError("SERVER_REFUSED", `ManageSieve protocol error: ${(error as Error).message}`, {
            cause: error,
          }),
        );
        return;
      }
      for (const answer of answers) {
        const pending = this.#inflight;
        if (pending === null) {
          // An unsolicited BYE (RFC 5804 section 1.2: e.g. the server shuts down).
          if (answer.status.kind === "bye") this.fail(errorFromStatus("BYE", answer.status));
          else
            this.fail(
              new SieveError("SERVER_REFUSED", "ManageSieve protocol error: an answer to no command"),
            );
          return;
        }
        this.#inflight = null;
        this.#clearTimer();
        pending.resolve(answer);
        if (answer.status.kind === "bye") {
          this.fail(errorFromStatus(pending.verb, answer.status));
          return;
        }
      }
      this.#pump();
    };
    const onError = (error: Error): void => this.fail(errorFromSocket(error, false));
    const onClose = (): void =>
      this.fail(new SieveError("SERVER_UNREACHABLE", "the ManageSieve server closed the connection"));
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
   * Stops reading from the socket so STARTTLS can wrap it (RFC 5804 section 2.2) and returns
   * it; from here on the plain socket belongs to TLS.
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
   * Queues a command (or, with `data` null, the wait for an answer sent unasked) and resolves
   * with its whole answer, NO included: the caller decides what a NO means.
   */
  send(data: Buffer | null, verb: string): Promise<SieveAnswer> {
    if (this.#closed) return Promise.reject(this.failure);
    return new Promise<SieveAnswer>((resolve, reject) => {
      this.#waiting.push({ data, verb, resolve, reject });
      this.#pump();
    });
  }

  /** Ends the session for good: rejects everything waiting and destroys the socket. */
  fail(error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#failure = error;
    this.#clearTimer();
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
    if (next === undefined) return;
    this.#inflight = next;
    this.#armTimer();
    if (next.data !== null) this.#socket?.write(next.data);
  }

  #armTimer(): void {
    this.#clearTimer();
    const pending = this.#inflight;
    if (pending === null) return;
    this.#timer = setTimeout(() => {
      this.fail(
        new SieveError("TIMEOUT", `no answer to ${pending.verb} within ${this.#timeoutMs} ms`, {
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
}
