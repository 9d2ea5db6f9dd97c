import { connect, type Socket } from "node:net";

/**
 * A byte-exact line reader over a TCP socket, enough to talk IMAP and POP3 by hand in tests
 * and health checks (this package deliberately has no IMAP library: it tests the server, not a client).
 */
export class RawSocket {
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    socket.on("error", () => undefined);
  }

  static connect(port: number, host = "127.0.0.1", timeoutMs = 5000): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve(new RawSocket(socket));
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async waitFor<T>(take: () => T | undefined, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = take();
      if (value !== undefined) return value;
      if (this.closed) throw new Error("connection closed");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("read timed out");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Next line without its CRLF, decoded as latin1 so no byte is lost. */
  readLine(timeoutMs = 10_000): Promise<string> {
    return this.waitFor(() => {
      const i = this.buffer.indexOf("\r\n");
      if (i < 0) return undefined;
      const line = this.buffer.subarray(0, i).toString("latin1");
      this.buffer = this.buffer.subarray(i + 2);
      return line;
    }, timeoutMs);
  }

  readBytes(n: number, timeoutMs = 10_000): Promise<Buffer> {
    return this.waitFor(() => {
      if (this.buffer.length < n) return undefined;
      const bytes = this.buffer.subarray(0, n);
      this.buffer = this.buffer.subarray(n);
      return Buffer.from(bytes);
    }, timeoutMs);
  }

  write(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface ImapResponse {
  /** Untagged lines, literals replaced by `{n}` as sent. */
  untagged: string[];
  literals: Buffer[];
  /** The tagged status line, e.g. "A1 OK Logged in". */
  status: string;
}

let tagCounter = 0;

/** Sends one IMAP command and collects everything up to its tagged completion. */
export async function imapCommand(
  socket: RawSocket,
  command: string,
  timeoutMs = 10_000,
): Promise<ImapResponse> {
  const tag = `T${++tagCounter}`;
  socket.write(`${tag} ${command}\r\n`);
  const untagged: string[] = [];
  const literals: Buffer[] = [];
  for (;;) {
    let line = await socket.readLine(timeoutMs);
    if (line.startsWith(`${tag} `)) return { untagged, literals, status: line };
    // A line ending in {n} announces n raw bytes before the line continues (RFC 3501 section 4.3).
    let literal = /\{(\d+)\}$/.exec(line);
    while (literal) {
      literals.push(await socket.readBytes(Number(literal[1]), timeoutMs));
      const rest = await socket.readLine(timeoutMs);
      line += rest;
      literal = /\{(\d+)\}$/.exec(rest);
    }
    untagged.push(line);
  }
}

/** Reads a POP3 multi-line answer after "+OK", undoing dot-stuffing (RFC 1939 section 3), byte-exact. */
export async function pop3MultiLine(
  socket: RawSocket,
  timeoutMs = 10_000,
): Promise<{ status: string; body: Buffer }> {
  const status = await socket.readLine(timeoutMs);
  if (!status.startsWith("+OK")) return { status, body: Buffer.alloc(0) };
  const lines: Buffer[] = [];
  for (;;) {
    const line = await socket.readLine(timeoutMs);
    if (line === ".") break;
    lines.push(Buffer.from((line.startsWith(".") ? line.slice(1) : line) + "\r\n", "latin1"));
  }
  return { status, body: Buffer.concat(lines) };
}
