import net from "node:net";

/** One client connection through the proxy: every command line the client sent. */
export interface ProxiedConnection {
  opened: number;
  commands: string[];
  bytesUp: number;
  bytesDown: number;
}

/**
 * A counting TCP proxy in front of the IMAP server: sees every connection the gateway makes,
 * including the ones that never log in (the sign-in page's probe) and the commands before
 * LOGIN, which Dovecot's rawlog (written by the post-login process) cannot show.
 */
export class ImapCountingProxy {
  readonly connections: ProxiedConnection[] = [];
  private readonly sockets = new Set<net.Socket>();
  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number, targetHost = "127.0.0.1"): Promise<ImapCountingProxy> {
    const server = net.createServer();
    const proxy: { p?: ImapCountingProxy } = {};
    server.on("connection", (client) => proxy.p?.handle(client, targetHost, targetPort));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    proxy.p = new ImapCountingProxy(server, (server.address() as net.AddressInfo).port);
    return proxy.p;
  }

  reset(): void {
    this.connections.length = 0;
  }

  private handle(client: net.Socket, host: string, port: number): void {
    const record: ProxiedConnection = { opened: Date.now(), commands: [], bytesUp: 0, bytesDown: 0 };
    this.connections.push(record);
    const upstream = net.connect({ host, port });
    this.sockets.add(client);
    this.sockets.add(upstream);
    const parser = new CommandParser((line) => record.commands.push(line));
    client.on("data", (chunk: Buffer) => {
      record.bytesUp += chunk.length;
      parser.push(chunk);
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      record.bytesDown += chunk.length;
      client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on("close", close);
    upstream.on("close", close);
    client.on("error", close);
    upstream.on("error", close);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Splits a client's byte stream into command lines; a literal ({n} or {n+} at a line's end)
 * is skipped as data, so a message body or a password with a CRLF is not read as commands.
 */
export class CommandParser {
  private buf = Buffer.alloc(0);
  private skip = 0;
  private current = "";
  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, this.buf.length);
        this.current += `<${n} literal bytes>`;
        this.buf = this.buf.subarray(n);
        this.skip -= n;
        if (this.skip > 0) return;
      }
      const eol = this.buf.indexOf("\r\n");
      if (eol < 0) return;
      const line = this.buf.subarray(0, eol).toString("latin1");
      this.buf = this.buf.subarray(eol + 2);
      const literal = /\{(\d+)\+?\}$/.exec(line);
      this.current += line;
      if (literal) {
        this.skip = Number(literal[1]);
        continue;
      }
      this.onLine(this.current);
      this.current = "";
    }
  }
}

/** A tagged command's name ("UID FETCH", "SELECT"); null for DONE and other untagged lines. */
export function commandName(line: string): string | null {
  const m = /^(\S+) (UID [A-Za-z]+|[A-Za-z]+)/.exec(line);
  if (!m || !m[2] || m[1] === "DONE") return null;
  return m[2].toUpperCase();
}

/** Commands whose cost grows with the number of messages in the folder. */
export function proportionalToFolder(line: string): boolean {
  const upper = line.toUpperCase();
  const name = commandName(line);
  if (!name) return false;
  if (/^(UID )?(SEARCH|SORT|THREAD)$/.test(name)) return true;
  // A FETCH or STORE of "1:*" or an open-ended range touches every message.
  if (/^(UID )?(FETCH|STORE|COPY|MOVE)$/.test(name)) return /\s1:\*\s|\s1:\*$/.test(upper);
  return false;
}
