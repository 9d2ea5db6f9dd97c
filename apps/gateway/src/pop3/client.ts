import { createHash } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import { DEFAULT_GATEWAY_LIMITS, type GatewayLimits } from "../limits";
import { Pop3Decoder } from "./decoder";
import { errorFromSocket, errorFromStatus, Pop3Error } from "./errors";
import {
  apopTimestamp,
  bodyLines,
  parseCapa,
  parseListLine,
  parseStat,
  parseUidlLine,
  Pop3ProtocolError,
} from "./response";
import type { Pop3Capabilities, Pop3ListEntry, Pop3Status, Pop3UidlEntry } from "./response";

/**
 * A POP3 client (RFC 1939) with CAPA (RFC 2449), STLS (RFC 2595) and implicit TLS.
 *
 * The socket shell around the pure `Pop3Decoder`: it writes one command at a time (a queue,
 * so concurrent calls never read each other's answers), arms an inactivity timer while a
 * command waits, and on any failure rejects every waiting command and destroys the socket.
 * Bodies are bytes from end to end: RETR and TOP return a Buffer, never a string.
 */

export type Pop3Security = "tls" | "starttls" | "none";

export interface Pop3ClientOptions {
  host: string;
  /** 995 for implicit TLS, 110 for STLS or plain. */
  port: number;
  /**
   * "tls": TLS from the first byte (port 995). "starttls": plain connect, then STLS before
   * anything else; fails with TLS_FAILED if the server cannot, so the password never goes
   * out in clear. "none": no TLS (loopback tests only).
   */
  security: Pop3Security;
  /**
   * How long a command may wait without the server sending a single byte. Data resets it,
   * so a large RETR on a slow link is fine as long as bytes keep coming.
   * @default 30_000
   */
  timeoutMs?: number;
  /** TCP connect plus TLS handshake plus greeting. @default 15_000 */
  connectTimeoutMs?: number;
  /** Extra options for tls.connect (ca, rejectUnauthorized, servername). */
  tls?: tls.ConnectionOptions;
  /** Bounds on answers and commands (limits.ts); the defaults are DEFAULT_GATEWAY_LIMITS. */
  limits?: Partial<Pop3AnswerLimits>;
}

export type Pop3AnswerLimits = Pick<
  GatewayLimits,
  "pop3MaxListingBytes" | "pop3MaxListingLines" | "pop3MaxMessageBytes" | "pop3CommandDeadlineMs"
>;

/** Listing commands: small lines, parsed whole; a server that never ends one is refused. */
const listingVerbs = new Set(["CAPA", "UIDL", "LIST"]);

export interface Pop3RetrOptions {
  /** Called with the number of body bytes received so far, after each read. */
  onProgress?: (receivedBytes: number) => void;
}

interface Answer {
  status: Pop3Status;
  body: Buffer;
}

interface Pending {
  /** The line to write, or null for the greeting. */
  readonly line: string | null;
  /** The verb, for errors and logs: never the arguments (PASS carries the password). */
  readonly verb: string;
  readonly multiline: boolean;
  readonly onChunk: ((chunk: Uint8Array) => void) | undefined;
  /** When false, body bytes go only to onChunk and are not collected. */
  readonly collect: boolean;
  resolve(answer: Answer): void;
  reject(error: Error): void;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

export class Pop3Client {
  readonly #options: Pop3ClientOptions;
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
  #greeting: Pop3Status | null = null;
  #capabilities: Pop3Capabilities = new Map();
  #tlsActive = false;
  #detach: (() => void) | null = null;

  private constructor(options: Pop3ClientOptions) {
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const l = options.limits ?? {};
    this.#limits = {
      pop3MaxListingBytes: l.pop3MaxListingBytes ?? DEFAULT_GATEWAY_LIMITS.pop3MaxListingBytes,
      pop3MaxListingLines: l.pop3MaxListingLines ?? DEFAULT_GATEWAY_LIMITS.pop3MaxListingLines,
      pop3MaxMessageBytes: l.pop3MaxMessageBytes ?? DEFAULT_GATEWAY_LIMITS.pop3MaxMessageBytes,
      pop3CommandDeadlineMs: l.pop3CommandDeadlineMs ?? DEFAULT_GATEWAY_LIMITS.pop3CommandDeadlineMs,
    };
  }

  /** The largest message this client accepts from RETR/TOP. */
  get maxMessageBytes(): number {
    return this.#limits.pop3MaxMessageBytes;
  }

  /**
   * Connects, reads the greeting, asks CAPA and, for "starttls", upgrades with STLS and asks
   * CAPA again (RFC 2595 section 4: capabilities learnt before TLS must be forgotten).
   */
  static async connect(options: Pop3ClientOptions): Promise<Pop3Client> {
    const client = new Pop3Client(options);
    try {
      await client.#open();
    } catch (error) {
      const mapped = errorFromSocket(error, false);
      client.#fail(mapped);
      throw mapped;
    }
    return client;
  }

  /** CAPA as last read; empty when the server does not support CAPA. */
  get capabilities(): Pop3Capabilities {
    return this.#capabilities;
  }

  get greeting(): string {
    return this.#greeting?.text ?? "";
  }

  /** True once the session is over (QUIT, close(), or a failure). */
  get closed(): boolean {
    return this.#closed;
  }

  get secure(): boolean {
    return this.#tlsActive;
  }

  async #open(): Promise<void> {
    const { host, port, security } = this.#options;
    const connectTimeout = this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const servername = net.isIP(host) === 0 ? host : undefined;
    const socket =
      security === "tls"
        ? tls.connect({
            host,
            port,
            ...(servername === undefined ? {} : { servername }),
            ...this.#options.tls,
          })
        : net.connect({ host, port });
    this.#socket = socket;
    await withTimeout(
      waitForConnect(socket, security === "tls" ? "secureConnect" : "connect"),
      connectTimeout,
      () => {
        socket.destroy();
        return new Pop3Error("TIMEOUT", `no connection to ${host}:${port} within ${connectTimeout} ms`);
      },
    ).catch((error: unknown) => {
      throw errorFromSocket(error, security === "tls");
    });
    this.#tlsActive = security === "tls";
    this.#attach(socket);

    // Whatever answers here may not be a POP3 server at all (an SSH or HTTP service on an
    // allowed host): its bytes are never repeated in an error, so sign-in cannot serve to
    // read other services' banners.
    const greeting = await this.#command(null, "GREETING", false).catch((error: unknown) => {
      if (error instanceof Pop3Error && error.cause instanceof Pop3ProtocolError)
        throw new Pop3Error(
          "SERVER_REFUSED",
          "the server did not answer with a POP3 greeting (not a POP3 server)",
          {
            command: "GREETING",
          },
        );
      throw error;
    });
    if (greeting.status.kind !== "ok")
      throw new Pop3Error("SERVER_REFUSED", "the POP3 server refused the connection", {
        command: "GREETING",
      });
    this.#greeting = greeting.status;
    await this.capa();
    if (security === "starttls") {
      // Without CAPA (an RFC 1939-only server) STLS may still work: try it. With CAPA and no
      // STLS, refuse rather than send the password in clear.
      if (this.#capabilities.size > 0 && !this.#capabilities.has("STLS")) {
        throw new Pop3Error("TLS_FAILED", "the server does not offer STLS", { command: "STLS" });
      }
      await this.#startTls(servername);
      await this.capa();
    }
  }

  #attach(socket: net.Socket): void {
    const onData = (chunk: Buffer): void => {
      this.#armTimer();
      try {
        this.#decoder.push(chunk);
      } catch (error) {
        this.#fail(
          error instanceof Pop3ProtocolError
            ? new Pop3Error("SERVER_REFUSED", `POP3 protocol error: ${error.message}`, { cause: error })
            : error instanceof Error
              ? error
              : new Error(String(error)),
        );
      }
    };
    const onError = (error: Error): void => this.#fail(errorFromSocket(error, false));
    const onClose = (): void =>
      this.#fail(new Pop3Error("SERVER_UNREACHABLE", "the POP3 server closed the connection"));
    socket.on("data", onData);
    socket.on("error", onError);
    socket.on("close", onClose);
    this.#detach = () => {
      socket.off("data", onData);
      socket.off("error", onError);
      socket.off("close", onClose);
    };
  }

  /** RFC 2595 section 4: STLS, then the TLS handshake on the same TCP connection. */
  async #startTls(servername: string | undefined): Promise<void> {
    const answer = await this.#command("STLS", "STLS", false);
    if (answer.status.kind !== "ok") {
      throw new Pop3Error("TLS_FAILED", `the server refused STLS: ${answer.status.text}`, {
        command: "STLS",
      });
    }
    const plain = this.#socket;
    if (plain === null || this.#closed)
      throw this.#failure ?? new Pop3Error("SERVER_UNREACHABLE", "connection closed");
    // The decoder threw already if anything followed the +OK in the same read; from here on
    // the plain socket belongs to TLS.
    this.#detach?.();
    // Keep a listener so a late plain-socket error is not an uncaught exception.
    plain.on("error", () => undefined);
    const secure = tls.connect({
      socket: plain,
      ...(servername === undefined ? {} : { servername }),
      ...this.#options.tls,
    });
    this.#socket = secure;
    const connectTimeout = this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    await withTimeout(waitForConnect(secure, "secureConnect"), connectTimeout, () => {
      secure.destroy();
      return new Pop3Error("TIMEOUT", `TLS handshake did not finish within ${connectTimeout} ms`);
    }).catch((error: unknown) => {
      throw errorFromSocket(error, true);
    });
    this.#tlsActive = true;
    this.#attach(secure);
  }

  /** CAPA (RFC 2449). A server that answers -ERR has no extensions: the map is empty. */
  async capa(): Promise<Pop3Capabilities> {
    const answer = await this.#command("CAPA", "CAPA", true);
    this.#capabilities = answer.status.kind === "ok" ? parseCapa(answer.body) : new Map();
    return this.#capabilities;
  }

  /**
   * Signs in with USER/PASS (RFC 1939 section 7) or APOP. A rejection fails with
   * AUTH_FAILED (or SERVER_REFUSED / RATE_LIMITED for IN-USE, SYS/TEMP, LOGIN-DELAY) and ends
   * the session: the socket is closed and the client cannot be used again.
   */
  async login(user: string, password: string, options: { method?: "user" | "apop" } = {}): Promise<void> {
    assertArgument(user, "user name");
    assertArgument(password, "password");
    try {
      if (options.method === "apop") {
        const stamp = this.#greeting === null ? undefined : apopTimestamp(this.#greeting.text);
        if (stamp === undefined)
          throw new Pop3Error("SERVER_REFUSED", "the server does not offer APOP", { command: "APOP" });
        const digest = createHash("md5")
          .update(stamp + password, "utf8")
          .digest("hex");
        await this.#ok(`APOP ${user} ${digest}`, "APOP");
        return;
      }
      await this.#ok(`USER ${user}`, "USER");
      await this.#ok(`PASS ${password}`, "PASS");
    } catch (error) {
      // Nothing to commit in the AUTHORIZATION state: just drop the connection.
      this.#fail(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  /** STAT: number of messages and their total size in octets. */
  async stat(): Promise<{ count: number; size: number }> {
    return parseStat((await this.#ok("STAT", "STAT")).status.text);
  }

  /** LIST (scan listing of every message not marked deleted). */
  async list(): Promise<Pop3ListEntry[]> {
    const answer = await this.#ok("LIST", "LIST", true);
    return bodyLines(answer.body).map(parseListLine);
  }

  async listOne(msgNo: number): Promise<Pop3ListEntry> {
    return parseListLine((await this.#ok(`LIST ${msgNumber(msgNo)}`, "LIST")).status.text);
  }

  /** UIDL: the server's unique-id of every message; stable across sessions (RFC 1939 section 7). */
  async uidl(): Promise<Pop3UidlEntry[]> {
    const answer = await this.#ok("UIDL", "UIDL", true);
    return bodyLines(answer.body).map(parseUidlLine);
  }

  async uidlOne(msgNo: number): Promise<Pop3UidlEntry> {
    return parseUidlLine((await this.#ok(`UIDL ${msgNumber(msgNo)}`, "UIDL")).status.text);
  }

  /** TOP: the header, the blank line and the first `lines` body lines, as bytes. */
  async top(msgNo: number, lines: number, options: Pop3RetrOptions = {}): Promise<Buffer> {
    if (!Number.isSafeInteger(lines) || lines < 0)
      throw new Pop3Error("BAD_INPUT", "TOP needs a line count >= 0");
    return (await this.#ok(`TOP ${msgNumber(msgNo)} ${lines}`, "TOP", true, progress(options))).body;
  }

  /** RETR: the whole message, byte for byte as stored (dot-stuffing undone, CRLF kept). */
  async retr(msgNo: number, options: Pop3RetrOptions = {}): Promise<Buffer> {
    return (await this.#ok(`RETR ${msgNumber(msgNo)}`, "RETR", true, progress(options))).body;
  }

  /**
   * RETR without holding the message in memory: each decoded piece goes to `onChunk` (copy it
   * to keep it). Resolves with the number of bytes delivered.
   */
  async retrStream(msgNo: number, onChunk: (chunk: Uint8Array) => void): Promise<number> {
    let total = 0;
    await this.#ok(
      `RETR ${msgNumber(msgNo)}`,
      "RETR",
      true,
      (chunk) => {
        total += chunk.length;
        onChunk(chunk);
      },
      false,
    );
    return total;
  }

  /** DELE marks a message; the server removes it only at QUIT (RFC 1939 section 6, UPDATE). */
  async dele(msgNo: number): Promise<void> {
    await this.#ok(`DELE ${msgNumber(msgNo)}`, "DELE");
  }

  /** RSET unmarks every message marked by DELE in this session. */
  async rset(): Promise<void> {
    await this.#ok("RSET", "RSET");
  }

  async noop(): Promise<void> {
    await this.#ok("NOOP", "NOOP");
  }

  /**
   * QUIT commits the DELE marks (the UPDATE state) and closes. A -ERR here means the server
   * could not remove some marked messages (RFC 1939 section 6): rejects with SERVER_REFUSED.
   */
  async quit(): Promise<void> {
    const answer = await this.#command("QUIT", "QUIT", false);
    this.#closeQuietly();
    if (answer.status.kind !== "ok") throw errorFromStatus("QUIT", answer.status);
  }

  /**
   * Drops the connection without QUIT: the server stays out of the UPDATE state, so every DELE
   * of this session is forgotten. Waiting commands reject with SERVER_UNREACHABLE.
   */
  close(): void {
    this.#fail(new Pop3Error("SERVER_UNREACHABLE", "the POP3 connection was closed by the client"));
  }

  async #ok(
    line: string,
    verb: string,
    multiline = false,
    onChunk?: (chunk: Uint8Array) => void,
    collect = true,
  ): Promise<Answer> {
    const answer = await this.#command(line, verb, multiline, onChunk, collect);
    if (answer.status.kind !== "ok") throw errorFromStatus(verb, answer.status);
    return answer;
  }

  #command(
    line: string | null,
    verb: string,
    multiline: boolean,
    onChunk?: (chunk: Uint8Array) => void,
    collect = true,
  ): Promise<Answer> {
    if (this.#closed) {
      return Promise.reject(
        this.#failure ?? new Pop3Error("SERVER_UNREACHABLE", "the POP3 connection is closed"),
      );
    }
    return new Promise<Answer>((resolve, reject) => {
      this.#waiting.push({ line, verb, multiline, onChunk, collect, resolve, reject });
      this.#pump();
    });
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
          this.#fail(
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
      this.#fail(
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
      this.#fail(
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

  /** Ends the session for good: rejects everything waiting and destroys the socket. */
  #fail(error: Error): void {
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

  #closeQuietly(): void {
    this.#fail(new Pop3Error("SERVER_UNREACHABLE", "the POP3 session has ended"));
  }
}

function waitForConnect(socket: net.Socket, event: "connect" | "secureConnect"): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onOk = (): void => {
      socket.off("error", onError);
      resolve();
    };
    const onError = (error: Error): void => {
      socket.off(event, onOk);
      reject(error);
    };
    socket.once(event, onOk);
    socket.once("error", onError);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** CR or LF in an argument would smuggle a second command onto the wire. */
function assertArgument(value: string, what: string): void {
  if (value.length === 0 || /[\r\n\0]/.test(value)) throw new Pop3Error("BAD_INPUT", `invalid ${what}`);
}

function msgNumber(msgNo: number): number {
  if (!Number.isSafeInteger(msgNo) || msgNo < 1)
    throw new Pop3Error("BAD_INPUT", `invalid message number ${msgNo}`);
  return msgNo;
}

function progress(options: Pop3RetrOptions): ((chunk: Uint8Array) => void) | undefined {
  const { onProgress } = options;
  if (onProgress === undefined) return undefined;
  let received = 0;
  return (chunk) => {
    received += chunk.length;
    onProgress(received);
  };
}
