import type net from "node:net";
import { MailError, type MailErrorCode } from "@pismo/protocol/errors";
import { classifyTransportError } from "../transport-errors";

/**
 * The socket shell every line protocol of the gateway shares (POP3, ManageSieve): it owns a
 * socket that may still be connecting, writes one command at a time (a queue, so concurrent
 * calls never read each other's answers), arms an inactivity timer while a command waits,
 * hands the socket over for a STARTTLS/STLS upgrade, and on any failure rejects every
 * waiting command and destroys the socket. It knows no protocol: each subclass decodes its
 * own answers (`onBytes`), starts its own commands (`begin`), and names its own errors.
 */

/**
 * A line protocol's failure (POP3, ManageSieve), mapped to the protocol's error code, keeping
 * the server's response code and the verb of the command that failed: never its arguments
 * (PASS and AUTHENTICATE carry the password).
 */
/** What a line protocol's error keeps besides its code and message. */
export interface LineProtocolErrorOptions {
  respCode?: string | undefined;
  command?: string | undefined;
  cause?: unknown;
}

export class LineProtocolError extends MailError {
  /** The response code in brackets or parentheses, e.g. POP3's "IN-USE", ManageSieve's "NONEXISTENT". */
  readonly respCode: string | undefined;
  /** The verb of the command that failed ("PASS", "PUTSCRIPT"). */
  readonly command: string | undefined;

  constructor(code: MailErrorCode, message: string, options: LineProtocolErrorOptions = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.respCode = options.respCode;
    this.command = options.command;
  }
}

/** A queued command. `verb` is for errors and logs: never the arguments (they may carry the password). */
export interface QueuedCommand {
  readonly verb: string;
  reject(error: Error): void;
}

/** How a subclass builds its protocol's error (Pop3Error, SieveError) from a code and a message. */
export type MakeError<E extends Error = Error> = (
  code: MailErrorCode,
  message: string,
  options: { command?: string; cause?: unknown },
) => E;

export abstract class CommandSocket<C extends QueuedCommand> {
  readonly #protocol: string;
  readonly #timeoutMs: number;
  readonly #makeError: MakeError;
  #socket: net.Socket | null = null;
  #waiting: C[] = [];
  #inflight: C | null = null;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  #failure: Error | null = null;
  #secure = false;
  #detach: (() => void) | null = null;

  /**
   * `protocol`: the name in messages ("POP3"); `timeoutMs`: how long a command may wait
   * without the server sending a single byte.
   */
  protected constructor(protocol: string, timeoutMs: number, makeError: MakeError) {
    this.#protocol = protocol;
    this.#timeoutMs = timeoutMs;
    this.#makeError = makeError;
  }

  /** Reads bytes from the server (after `listen`); a subclass decodes them and calls `finish`. */
  protected abstract onBytes(chunk: Buffer): void;

  /** Starts the command just taken from the queue: sets up its answer and writes it. */
  protected abstract begin(command: C): void;

  /** True once the session is over (QUIT/LOGOUT, close, or a failure). */
  get closed(): boolean {
    return this.#closed;
  }

  /** True once answers are read from a TLS socket. */
  get secure(): boolean {
    return this.#secure;
  }

  /** Why the session ended, or a generic reason once it has. */
  get failure(): Error {
    return (
      this.#failure ?? this.#makeError("SERVER_UNREACHABLE", `the ${this.#protocol} connection is closed`, {})
    );
  }

  /** The command whose answer is being read, if any. */
  protected get inflight(): C | null {
    return this.#inflight;
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
      this.onBytes(chunk);
    };
    const onError = (error: Error): void =>
      this.fail(transportError(error, false, this.#protocol, this.#makeError));
    const onClose = (): void =>
      this.fail(
        this.#makeError("SERVER_UNREACHABLE", `the ${this.#protocol} server closed the connection`, {}),
      );
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
   * Stops reading from the socket so a STARTTLS/STLS upgrade can wrap it, and returns it: from
   * here on the plain socket belongs to TLS.
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

  /** Ends the session for good: rejects everything waiting and destroys the socket. */
  fail(error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#failure = error;
    this.#clearTimer();
    this.onFail();
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

  /** Called once when the session fails, before the waiting commands are rejected. */
  protected onFail(): void {}

  /** Queues a command; it starts when every earlier answer is complete. */
  protected enqueue(command: C): void {
    if (this.#closed) {
      command.reject(this.failure);
      return;
    }
    this.#waiting.push(command);
    this.#pump();
  }

  /** The in-flight command's answer is complete: the next command may start. */
  protected finish(): void {
    this.#inflight = null;
    this.#clearTimer();
  }

  /** Starts the next command once the previous answer is complete: one at a time. */
  protected pump(): void {
    this.#pump();
  }

  protected write(data: string | Buffer): void {
    this.#socket?.write(data);
  }

  /** The protocol's error, for the subclass's own failures. */
  protected error(
    code: MailErrorCode,
    message: string,
    options: { command?: string; cause?: unknown } = {},
  ): Error {
    return this.#makeError(code, message, options);
  }

  #pump(): void {
    if (this.#inflight !== null || this.#closed) return;
    const next = this.#waiting.shift();
    if (next === undefined) return;
    this.#inflight = next;
    this.#armTimer();
    this.begin(next);
  }

  #armTimer(): void {
    this.#clearTimer();
    const pending = this.#inflight;
    if (pending === null) return;
    this.#timer = setTimeout(() => {
      this.fail(
        this.#makeError("TIMEOUT", `no answer to ${pending.verb} within ${this.#timeoutMs} ms`, {
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

/**
 * A socket or TLS error from node:net / node:tls as the protocol's error (classified as for
 * every protocol, in ../transport-errors). `duringTls` marks the handshake, where any failure
 * is a TLS failure.
 */
export function transportError<E extends Error>(
  error: unknown,
  duringTls: boolean,
  protocol: string,
  make: MakeError<E>,
): E {
  const message = error instanceof Error ? error.message : String(error);
  const cause = { cause: error };
  const transport = classifyTransportError(error);
  if (transport === "TIMEOUT") return make("TIMEOUT", `connection timed out: ${message}`, cause);
  if (transport === "SERVER_UNREACHABLE")
    return make("SERVER_UNREACHABLE", `cannot reach the ${protocol} server: ${message}`, cause);
  if (duringTls || transport === "TLS_FAILED") return make("TLS_FAILED", `TLS failed: ${message}`, cause);
  return make("SERVER_UNREACHABLE", `${protocol} connection failed: ${message}`, cause);
}

/**
 * One protocol's socket-error mapping: its own errors (already mapped, e.g. a refused command)
 * pass through; anything else is classified by `transportError` and made one of its own.
 */
export function socketErrorMapper<E extends Error>(
  Kind: new (code: MailErrorCode, message: string, options: { command?: string; cause?: unknown }) => E,
  protocol: string,
): (error: unknown, duringTls: boolean) => E {
  return (error, duringTls) =>
    error instanceof Kind
      ? error
      : transportError(
          error,
          duringTls,
          protocol,
          (code, message, options) => new Kind(code, message, options),
        );
}
