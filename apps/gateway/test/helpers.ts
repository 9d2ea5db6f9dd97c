import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import WebSocket from "ws";
import type { AppRouter } from "@pismo/protocol/router";
import { startMailServer, type MailServer } from "@pismo/mail-harness";
import { readConfig } from "../src/env";
import { createLogger } from "../src/log";
import { startGateway, type Gateway } from "../src/gateway";

export interface TestStack {
  mail: MailServer;
  gateway: Gateway;
  stop(): Promise<void>;
}

/** A real Dovecot and an in-process gateway in front of it, on free loopback ports. */
export async function startStack(env: Record<string, string> = {}): Promise<TestStack> {
  const mail = await startMailServer();
  try {
    const config = readConfig({
      PISMO_PORT: "0",
      PISMO_IMAP_HOST: mail.host,
      PISMO_IMAP_PORT: String(mail.imapPort),
      PISMO_IMAP_SECURITY: "none",
      PISMO_POP3_HOST: mail.host,
      PISMO_POP3_PORT: String(mail.pop3Port),
      PISMO_POP3_SECURITY: "none",
      ...env,
    });
    const gateway = await startGateway(config, createLogger("silent"));
    return { mail, gateway, stop: async () => { await gateway.close(); await mail.stop(); } };
  } catch (error) {
    await mail.stop();
    throw error;
  }
}

/** A tRPC client over a real WebSocket, as the browser makes one (same Origin, optional cookie). */
export function connectClient(gatewayUrl: string, cookie?: string) {
  const url = gatewayUrl.replace(/^http/, "ws") + "/trpc";
  const headers: Record<string, string> = { Origin: gatewayUrl, ...(cookie ? { Cookie: cookie } : {}) };
  class BrowserLikeWebSocket extends WebSocket {
    constructor(address: string | URL) {
      super(address, { headers });
    }
  }
  const ws = createWSClient({ url, WebSocket: BrowserLikeWebSocket as unknown as typeof globalThis.WebSocket, retryDelayMs: () => 100 });
  const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
  return { client, close: () => ws.close() };
}
