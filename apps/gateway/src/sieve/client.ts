import net from "node:net";
import tls from "node:tls";
import { SieveConnection } from "./connection";
import { errorFromSocket, errorFromStatus, SieveError } from "./errors";
import {
  encodeString,
  parseCapabilities,
  parseScriptList,
  SieveProtocolError,
  type SieveAnswer,
  type SieveScriptEntry,
} from "./response";
import { waitForConnect, withTimeout } from "../line-protocol/socket-wait";

/**
 * A ManageSieve client (RFC 5804): STARTTLS, AUTHENTICATE PLAIN, and the script commands.
 *
 * The command layer, built like the POP3 client: each command a method that checks its
 * arguments, sends it through the one-at-a-time queue of `SieveConnection` and reads the
 * answer; the connect and the STARTTLS upgrade are here too. Scripts go out as literals with
 * their exact byte count, so any text (quotes, backslashes, line breaks, UTF-8) arrives
 * unchanged.
 */

export type SieveSecurity = "tls" | "starttls" | "none";

export interface SieveClientOptions {
  host: string;
  /** 4190 (RFC 5804 section 1.8). */
  port: number;
  /**
   * "starttls": plain connect, STARTTLS before anything else; refuses to sign in when the
   * server cannot. "tls": TLS from the first byte. "none": loopback tests only.
   */
  security: SieveSecurity;
  /** How long a command may wait without a byte from the server. @default 30_000 */
  timeoutMs?: number;
  /** TCP connect plus TLS plus greeting. @default 15_000 */
  connectTimeoutMs?: number;
  tls?: tls.ConnectionOptions;
  /** Largest answer accepted; Pigeonhole's default script limit is 1 MiB. @default 4 MiB */
  maxAnswerBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_ANSWER = 4 * 1024 * 1024;

export class SieveClient {
  readonly #options: SieveClientOptions;
  readonly #conn: SieveConnection;
  #capabilities = new Map<string, string>();

  private constructor(options: SieveClientOptions) {
    this.#options = options;
    this.#conn = new SieveConnection(
      options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER,
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
  }

  static async connect(options: SieveClientOptions): Promise<SieveClient> {
    const client = new SieveClient(options);
    try {
      await client.#open();
    } catch (error) {
      const mapped = errorFromSocket(error, false);
      client.#conn.fail(mapped);
      throw mapped;
    }
    return client;
  }

  /** As last announced (RFC 5804 section 1.7): IMPLEMENTATION, SIEVE (extensions), SASL, STARTTLS... */
  get capabilities(): ReadonlyMap<string, string> {
    return this.#capabilities;
  }

  /** The Sieve extensions the server supports. */
  get extensions(): string[] {
    return (this.#capabilities.get("SIEVE") ?? "").split(/\s+/).filter(Boolean);
  }

  get secure(): boolean {
    return this.#conn.secure;
  }

  get closed(): boolean {
    return this.#conn.closed;
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
    this.#conn.adopt(socket);
    await withTimeout(
      waitForConnect(socket, security === "tls" ? "secureConnect" : "connect"),
      connectTimeout,
      () => {
        socket.destroy();
        return new SieveError("TIMEOUT", `no connection to ${host}:${port} within ${connectTimeout} ms`);
      },
    ).catch((error: unknown) => {
      throw errorFromSocket(error, security === "tls");
    });
    this.#conn.listen(security === "tls");
    // The greeting is the capability list and OK (RFC 5804 section 1.7). Whatever answers may
    // not be ManageSieve at all: its bytes are never repeated in an error.
    const greeting = await this.#conn.send(null, "GREETING").catch((error: unknown) => {
      if (error instanceof SieveError && error.cause instanceof SieveProtocolError)
        throw new SieveError("SERVER_REFUSED", "the server did not answer with a ManageSieve greeting", {
          command: "GREETING",
        });
      throw error;
    });
    if (greeting.status.kind !== "ok")
      throw new SieveError("SERVER_REFUSED", "the ManageSieve server refused the connection", {
        command: "GREETING",
      });
    this.#capabilities = parseCapabilities(greeting.lines);
    if (security === "starttls") {
      if (!this.#capabilities.has("STARTTLS"))
        throw new SieveError("TLS_FAILED", "the ManageSieve server does not offer STARTTLS", {
          command: "STARTTLS",
        });
      await this.#startTls(servername);
    }
  }

  /** RFC 5804 section 2.2: STARTTLS, the handshake, then the server's new capability list. */
  async #startTls(servername: string | undefined): Promise<void> {
    const answer = await this.#conn.send(Buffer.from("STARTTLS\r\n"), "STARTTLS");
    if (answer.status.kind !== "ok")
      throw new SieveError("TLS_FAILED", `the server refused STARTTLS: ${answer.status.text}`, {
        command: "STARTTLS",
        respCode: answer.status.code,
      });
    if (this.#conn.buffered > 0)
      throw new SieveError("TLS_FAILED", "the server sent data before the TLS handshake", {
        command: "STARTTLS",
      });
    const plain = this.#conn.release();
    const secure = tls.connect({
      socket: plain,
      ...(servername === undefined ? {} : { servername }),
      ...this.#options.tls,
    });
    this.#conn.adopt(secure);
    const connectTimeout = this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    await withTimeout(waitForConnect(secure, "secureConnect"), connectTimeout, () => {
      secure.destroy();
      return new SieveError("TIMEOUT", `TLS handshake did not finish within ${connectTimeout} ms`);
    }).catch((error: unknown) => {
      throw errorFromSocket(error, true);
    });
    this.#conn.listen(true);
    const again = await this.#conn.send(null, "STARTTLS");
    if (again.status.kind !== "ok") throw errorFromStatus("STARTTLS", again.status);
    this.#capabilities = parseCapabilities(again.lines);
  }

  /**
   * AUTHENTICATE "PLAIN" with an initial response (RFC 5804 section 2.1, RFC 4616). A
   * rejection ends the session.
   */
  async authenticate(user: string, password: string): Promise<void> {
    if (!user || /[\0\r\n]/.test(user) || !password || /[\0\r\n]/.test(password))
      throw new SieveError("BAD_INPUT", "invalid user name or password");
    const sasl = this.#capabilities.get("SASL");
    if (sasl !== undefined && !sasl.toUpperCase().split(/\s+/).includes("PLAIN"))
      throw new SieveError("SERVER_REFUSED", "the ManageSieve server does not offer PLAIN sign-in", {
        command: "AUTHENTICATE",
      });
    if (!this.#conn.secure && this.#options.security !== "none")
      throw new SieveError("TLS_FAILED", "refusing to send the password without TLS", {
        command: "AUTHENTICATE",
      });
    const token = Buffer.from(`\0${user}\0${password}`, "utf8").toString("base64");
    try {
      await this.#ok(Buffer.from(`AUTHENTICATE "PLAIN" "${token}"\r\n`), "AUTHENTICATE");
    } catch (error) {
      this.#conn.fail(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  async listScripts(): Promise<SieveScriptEntry[]> {
    const answer = await this.#ok(Buffer.from("LISTSCRIPTS\r\n"), "LISTSCRIPTS");
    return parseScriptList(answer.lines);
  }

  async getScript(name: string): Promise<string> {
    const answer = await this.#ok(command("GETSCRIPT", name), "GETSCRIPT");
    const token = answer.lines[0]?.[0];
    if (token?.kind !== "string")
      throw new SieveError("SERVER_REFUSED", "GETSCRIPT answered without the script");
    return token.value;
  }

  /** Stores a script; the server checks it first and refuses it with its errors. Returns warnings. */
  async putScript(name: string, script: string): Promise<string | null> {
    const answer = await this.#ok(command("PUTSCRIPT", name, script), "PUTSCRIPT");
    return answer.status.code === "WARNINGS" ? answer.status.text : null;
  }

  /** Checks a script without storing it (RFC 5804 section 2.12). Returns warnings. */
  async checkScript(script: string): Promise<string | null> {
    const answer = await this.#ok(command("CHECKSCRIPT", script), "CHECKSCRIPT");
    return answer.status.code === "WARNINGS" ? answer.status.text : null;
  }

  /** Makes `name` the active script; "" deactivates every script. */
  async setActive(name: string): Promise<void> {
    await this.#ok(command("SETACTIVE", name), "SETACTIVE");
  }

  async deleteScript(name: string): Promise<void> {
    await this.#ok(command("DELETESCRIPT", name), "DELETESCRIPT");
  }

  /** HAVESPACE (RFC 5804 section 2.3): false when the server says QUOTA. */
  async haveSpace(name: string, bytes: number): Promise<boolean> {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new SieveError("BAD_INPUT", "invalid size");
    const answer = await this.#conn.send(
      Buffer.concat([command("HAVESPACE", name).subarray(0, -2), Buffer.from(` ${bytes}\r\n`)]),
      "HAVESPACE",
    );
    if (answer.status.kind === "ok") return true;
    if (answer.status.code?.startsWith("QUOTA")) return false;
    throw errorFromStatus("HAVESPACE", answer.status);
  }

  async logout(): Promise<void> {
    if (this.#conn.closed) return;
    await this.#conn.send(Buffer.from("LOGOUT\r\n"), "LOGOUT").catch(() => undefined);
    this.close();
  }

  close(): void {
    this.#conn.fail(new SieveError("SERVER_UNREACHABLE", "the ManageSieve session has ended"));
  }

  async #ok(data: Buffer, verb: string): Promise<SieveAnswer> {
    const answer = await this.#conn.send(data, verb);
    if (answer.status.kind !== "ok") throw errorFromStatus(verb, answer.status);
    return answer;
  }
}

/** A command with string arguments; a script name may not hold control characters (RFC 5804 section 1.6). */
function command(verb: string, ...args: string[]): Buffer {
  if (verb !== "CHECKSCRIPT" && args[0] !== undefined && hasControl(args[0]))
    throw new SieveError("BAD_INPUT", "invalid script name");
  const parts: Buffer[] = [Buffer.from(verb, "latin1")];
  for (const arg of args) parts.push(Buffer.from(" "), encodeString(arg));
  parts.push(Buffer.from("\r\n"));
  return Buffer.concat(parts);
}

function hasControl(text: string): boolean {
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
