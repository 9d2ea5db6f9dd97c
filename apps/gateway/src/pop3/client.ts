import { createHash } from "node:crypto";
import type tls from "node:tls";
import { DEFAULT_GATEWAY_LIMITS } from "../limits";
import { Pop3Connection } from "./connection";
import type { Pop3Answer, Pop3AnswerLimits } from "./connection";
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
import { handshake, openSocket, wrapInTls } from "./transport";

export type { Pop3AnswerLimits } from "./connection";

/**
 * A POP3 client (RFC 1939) with CAPA (RFC 2449), STLS (RFC 2595) and implicit TLS.
 *
 * The command layer: each POP3 command a method that checks its arguments, sends it through
 * the one-at-a-time queue of `Pop3Connection` and parses the answer. The sockets and the STLS
 * upgrade are in transport.ts. Bodies are bytes from end to end: RETR and TOP return a
 * Buffer, never a string.
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

export interface Pop3RetrOptions {
  /** Called with the number of body bytes received so far, after each read. */
  onProgress?: (receivedBytes: number) => void;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** DELE commands written at once: about 1.2 KB, well within any socket buffer, so a server
 * that reads a command only after answering the previous one cannot deadlock with us. */
const DELE_GROUP = 100;
const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

export class Pop3Client {
  readonly #options: Pop3ClientOptions;
  readonly #limits: Pop3AnswerLimits;
  readonly #connection: Pop3Connection;
  #greeting: Pop3Status | null = null;
  #capabilities: Pop3Capabilities = new Map();

  private constructor(options: Pop3ClientOptions) {
    this.#options = options;
    const l = options.limits ?? {};
    this.#limits = {
      pop3MaxListingBytes: l.pop3MaxListingBytes ?? DEFAULT_GATEWAY_LIMITS.pop3MaxListingBytes,
      pop3MaxListingLines: l.pop3MaxListingLines ?? DEFAULT_GATEWAY_LIMITS.pop3MaxListingLines,
      pop3MaxMessageBytes: l.pop3MaxMessageBytes ?? DEFAULT_GATEWAY_LIMITS.pop3MaxMessageBytes,
      pop3CommandDeadlineMs: l.pop3CommandDeadlineMs ?? DEFAULT_GATEWAY_LIMITS.pop3CommandDeadlineMs,
    };
    this.#connection = new Pop3Connection(this.#limits, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
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
      client.#connection.fail(mapped);
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
    return this.#connection.closed;
  }

  get secure(): boolean {
    return this.#connection.secure;
  }

  async #open(): Promise<void> {
    const { host, port, security } = this.#options;
    const connectTimeout = this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const socket = openSocket(host, port, security === "tls", this.#options.tls);
    this.#connection.adopt(socket);
    await handshake(socket, security === "tls", connectTimeout, `no connection to ${host}:${port}`);
    this.#connection.listen(security === "tls");

    // Whatever answers here may not be a POP3 server at all (an SSH or HTTP service on an
    // allowed host): its bytes are never repeated in an error, so sign-in cannot serve to
    // read other services' banners.
    const greeting = await this.#connection.send(null, "GREETING", false).catch((error: unknown) => {
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
      await this.#startTls();
      await this.capa();
    }
  }

  /** RFC 2595 section 4: STLS, then the TLS handshake on the same TCP connection. */
  async #startTls(): Promise<void> {
    const answer = await this.#connection.send("STLS", "STLS", false);
    if (answer.status.kind !== "ok") {
      throw new Pop3Error("TLS_FAILED", `the server refused STLS: ${answer.status.text}`, {
        command: "STLS",
      });
    }
    const secure = wrapInTls(this.#connection.release(), this.#options.host, this.#options.tls);
    this.#connection.adopt(secure);
    const connectTimeout = this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    await handshake(secure, true, connectTimeout, "TLS handshake did not finish");
    this.#connection.listen(true);
  }

  /** CAPA (RFC 2449). A server that answers -ERR has no extensions: the map is empty. */
  async capa(): Promise<Pop3Capabilities> {
    const answer = await this.#connection.send("CAPA", "CAPA", true);
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
      this.#connection.fail(error instanceof Error ? error : new Error(String(error)));
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

  /**
   * UIDL for a pull: a malformed line (a unique-id longer than 70 characters, a bad message
   * number) is left out and counted instead of failing the whole listing, pull after pull; its
   * message is then neither fetched nor deleted.
   */
  async uidlListing(): Promise<{ entries: Pop3UidlEntry[]; malformed: number }> {
    const answer = await this.#ok("UIDL", "UIDL", true);
    const entries: Pop3UidlEntry[] = [];
    let malformed = 0;
    for (const line of bodyLines(answer.body)) {
      try {
        entries.push(parseUidlLine(line));
      } catch (error) {
        if (!(error instanceof Pop3ProtocolError)) throw error;
        malformed += 1;
      }
    }
    return { entries, malformed };
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

  /**
   * DELE for each message; with PIPELINING (RFC 2449) sent in groups without waiting for each
   * answer, else one by one. Resolves with the numbers the server marked; a -ERR for one
   * message (already deleted by another session) leaves it out, a broken connection rejects.
   */
  async deleMany(msgNos: readonly number[]): Promise<number[]> {
    for (const n of msgNos) msgNumber(n);
    const marked: number[] = [];
    if (!this.#capabilities.has("PIPELINING")) {
      for (const n of msgNos) {
        try {
          await this.dele(n);
          marked.push(n);
        } catch (error) {
          if (this.closed) throw error;
        }
      }
      return marked;
    }
    for (let i = 0; i < msgNos.length; i += DELE_GROUP) {
      const group = msgNos.slice(i, i + DELE_GROUP);
      const statuses = await this.#connection.sendPipelined(
        group.map((n) => `DELE ${n}`),
        "DELE",
      );
      group.forEach((n, k) => {
        if (statuses[k]?.kind === "ok") marked.push(n);
      });
    }
    return marked;
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
    const answer = await this.#connection.send("QUIT", "QUIT", false);
    this.#closeQuietly();
    if (answer.status.kind !== "ok") throw errorFromStatus("QUIT", answer.status);
  }

  /**
   * Drops the connection without QUIT: the server stays out of the UPDATE state, so every DELE
   * of this session is forgotten. Waiting commands reject with SERVER_UNREACHABLE.
   */
  close(): void {
    this.#connection.fail(
      new Pop3Error("SERVER_UNREACHABLE", "the POP3 connection was closed by the client"),
    );
  }

  async #ok(
    line: string,
    verb: string,
    multiline = false,
    onChunk?: (chunk: Uint8Array) => void,
    collect = true,
  ): Promise<Pop3Answer> {
    const answer = await this.#connection.send(line, verb, multiline, onChunk, collect);
    if (answer.status.kind !== "ok") throw errorFromStatus(verb, answer.status);
    return answer;
  }

  #closeQuietly(): void {
    this.#connection.fail(new Pop3Error("SERVER_UNREACHABLE", "the POP3 session has ended"));
  }
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
