import net from "node:net";
import tls from "node:tls";
import type { MailProtocol, ProbeResult, ServerEndpoint } from "@pismo/protocol/schemas";
import { MailError } from "@pismo/protocol/errors";
import { toMailError } from "./mail-errors";

/**
 * Connects without signing in and reads the greeting and capabilities (IMAP CAPABILITY,
 * RFC 9051 §6.1.1; POP3 CAPA, RFC 2449). Used by the sign-in page and the health of the chain.
 */
export async function probeServer(
  protocol: MailProtocol,
  endpoint: ServerEndpoint,
  opts: { timeoutMs?: number; tlsVerify?: boolean } = {},
): Promise<ProbeResult> {
  const started = performance.now();
  const timeoutMs = opts.timeoutMs ?? 5000;
  const socket =
    endpoint.security === "tls"
      ? tls.connect({
          host: endpoint.host,
          port: endpoint.port,
          servername: endpoint.host,
          rejectUnauthorized: opts.tlsVerify ?? true,
        })
      : net.connect({ host: endpoint.host, port: endpoint.port });
  socket.setTimeout(timeoutMs);

  const lines: string[] = [];
  let buffer = "";
  let waiter: (() => void) | null = null;
  let failure: unknown = null;
  socket.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("latin1");
    let i: number;
    while ((i = buffer.indexOf("\r\n")) >= 0) {
      lines.push(buffer.slice(0, i));
      buffer = buffer.slice(i + 2);
    }
    waiter?.();
  });
  const fail = (error: unknown) => {
    failure ??= error;
    waiter?.();
  };
  socket.on("error", fail);
  socket.on("timeout", () => fail(Object.assign(new Error("probe timed out"), { code: "ETIMEDOUT" })));
  socket.on("close", () => fail(Object.assign(new Error("connection closed"), { code: "ECONNRESET" })));

  const nextLine = async (): Promise<string> => {
    for (;;) {
      const line = lines.shift();
      if (line !== undefined) return line;
      if (failure) throw failure;
      await new Promise<void>((resolve) => {
        waiter = resolve;
      });
      waiter = null;
    }
  };

  try {
    const greeting = await nextLine();
    const capabilities: string[] = [];
    if (protocol === "imap") {
      // Never echo what answered: it may be any service, not a mail server.
      if (!greeting.startsWith("* OK") && !greeting.startsWith("* PREAUTH"))
        throw new MailError("SERVER_REFUSED", "The server did not answer with an IMAP greeting");
      socket.write("p1 CAPABILITY\r\n");
      for (;;) {
        const line = await nextLine();
        if (line.startsWith("* CAPABILITY ")) capabilities.push(...line.slice(13).split(" ").filter(Boolean));
        else if (line.startsWith("p1 ")) break;
      }
      socket.write("p2 LOGOUT\r\n");
    } else {
      if (!greeting.startsWith("+OK"))
        throw new MailError("SERVER_REFUSED", "The server did not answer with a POP3 greeting");
      socket.write("CAPA\r\n");
      const first = await nextLine();
      if (first.startsWith("+OK")) {
        for (let line = await nextLine(); line !== "."; line = await nextLine()) capabilities.push(line);
      }
      socket.write("QUIT\r\n");
    }
    return { protocol, endpoint, greeting, capabilities, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    throw toMailError(error);
  } finally {
    socket.end();
    socket.destroySoon();
  }
}
