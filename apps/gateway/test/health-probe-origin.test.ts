import http from "node:http";
import { describe, expect, it } from "vitest";
import { connectClient, useStack } from "./helpers";

/** Sends a WebSocket upgrade with the given Origin and returns the HTTP status it gets. */
function upgradeStatus(url: string, origin: string | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/trpc`, {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": Buffer.from("0123456789abcdef").toString("base64"),
        ...(origin ? { Origin: origin } : {}),
      },
    });
    req.on("upgrade", (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the gateway's health check, server probe and WebSocket Origin check against a real Dovecot", () => {
  const stack = useStack();

  it("answers /healthz", async () => {
    const res = await fetch(`${stack.gateway.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("probes the IMAP and POP3 servers over tRPC on the WebSocket", async () => {
    const { client, close } = connectClient(stack.gateway.url);
    try {
      const imap = await client.server.probe.query("imap");
      expect(imap.greeting).toMatch(/^\* OK/);
      expect(imap.capabilities).toEqual(expect.arrayContaining(["IMAP4rev1", "IDLE"]));
      const pop3 = await client.server.probe.query("pop3");
      expect(pop3.capabilities).toEqual(expect.arrayContaining(["UIDL", "TOP"]));
    } finally {
      void close();
    }
  });

  it("accepts its own Origin and refuses a foreign or missing one", async () => {
    expect(await upgradeStatus(stack.gateway.url, stack.gateway.url)).toBe(101);
    expect(await upgradeStatus(stack.gateway.url, "https://evil.example")).toBe(403);
    expect(await upgradeStatus(stack.gateway.url, null)).toBe(403);
  });
});
