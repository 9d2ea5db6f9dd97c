import net from "node:net";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { TOO_MANY_SOCKETS_CLOSE } from "@pismo/protocol/errors";
import { SocketCounts } from "../src/server/trpc-ws";
import { newUser, signIn, useStack } from "./helpers";

// Open WebSockets are capped per client address and in all: a client that opens sockets
// without end is refused at the upgrade, and everyone else goes on. Sockets without a session
// have a far smaller cap per client of their own.

/** Opens a WebSocket; resolves with it once open, or with the HTTP status it was refused with. */
function open(url: string, path: string, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}${path}`, { headers });
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.once("error", reject);
  });
}

/** An upgrade sent over a raw socket that never ends its side: resolves with the answer once the
 * server ended the connection (its FIN), or null if it had not after `ms`. */
function refusedAndClosed(url: string, headers: Record<string, string>, ms: number): Promise<string | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () =>
      socket.write(
        `GET /trpc HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${Buffer.from("0123456789abcdef").toString("base64")}\r\n` +
          Object.entries(headers)
            .map(([k, v]) => `${k}: ${v}\r\n`)
            .join("") +
          "\r\n",
      ),
    );
    // Half-open allowed: the client's side stays writable after the server's FIN.
    socket.allowHalfOpen = true;
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, ms);
    socket.on("end", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    });
    socket.on("error", reject);
  });
}

/**
 * Opens a tRPC socket and asks it one query: resolves with it once answered, with the close
 * code if it was closed first, or with the HTTP status its upgrade was refused with.
 */
function asked(url: string, headers: Record<string, string>, path = "/trpc"): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}${path}`, { headers });
    ws.once("open", () =>
      ws.send(JSON.stringify({ id: 1, method: "query", params: { path: "server.defaults" } })),
    );
    ws.on("message", (data: Buffer) => {
      const answer = JSON.parse(data.toString()) as { id?: unknown; result?: unknown };
      if (answer.id === 1 && answer.result !== undefined) resolve(ws);
    });
    ws.once("close", (code) => resolve(code));
    ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.once("error", reject);
  });
}

/** Asks until the gateway has heard a close and takes the socket again (or 50 tries are up). */
async function askedAgain(url: string, headers: Record<string, string>): Promise<WebSocket | number> {
  let again: WebSocket | number = 0;
  for (let i = 0; i < 50 && !(again instanceof WebSocket); i++) {
    again = await asked(url, headers);
    if (!(again instanceof WebSocket)) await new Promise((r) => setTimeout(r, 20));
  }
  return again;
}

/** The gateway's captured log lines of one event. */
const logged = (lines: readonly string[], event: string) =>
  lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.event === event);

const closed = (ws: WebSocket) =>
  new Promise<void>((resolve) => {
    ws.once("close", () => resolve());
    ws.close();
  });

describe("socket caps", () => {
  it("counts per client and in all, and gives a place back once, when the socket goes", () => {
    const counts = new SocketCounts({
      socketsPerClient: 2,
      socketsPerGateway: 3,
      unauthenticatedSocketsPerClient: 2,
    });
    const a1 = counts.take("a");
    const a2 = counts.take("a");
    expect(counts.take("a")).toBe("client");
    const b1 = counts.take("b");
    expect(counts.take("c")).toBe("gateway");
    if (typeof a1 === "string" || typeof a2 === "string" || typeof b1 === "string")
      throw new Error("refused");
    a1.release();
    a1.release();
    expect(counts.open).toBe(2);
    expect(counts.take("a")).not.toBe("client");
    expect(counts.take("c")).toBe("gateway");
    b1.release();
    expect(counts.take("c")).not.toBe("gateway");
  });

  it("counts sockets without a session per client on their own, each given back once", () => {
    const counts = new SocketCounts({
      socketsPerClient: 10,
      socketsPerGateway: 10,
      unauthenticatedSocketsPerClient: 2,
    });
    const a1 = counts.takeUnauthenticated("a");
    const a2 = counts.takeUnauthenticated("a");
    expect(counts.takeUnauthenticated("a")).toBe("unauthenticated");
    expect(counts.takeUnauthenticated("b")).not.toBe("unauthenticated");
    // The overall places are another count.
    expect(counts.take("a")).not.toBe("client");
    if (typeof a1 === "string" || typeof a2 === "string") throw new Error("refused");
    a1.release();
    a1.release();
    expect(counts.takeUnauthenticated("a")).not.toBe("unauthenticated");
    expect(counts.takeUnauthenticated("a")).toBe("unauthenticated");
  });

  describe("in the gateway", () => {
    const stack = useStack(() => ({
      env: { PISMO_TRUSTED_PROXIES: "127.0.0.1" },
      limits: { socketsPerClient: 3, socketsPerGateway: 7 },
    }));
    const from = (address: string) => ({ Origin: stack.gateway.url, "X-Forwarded-For": address });

    it("refuses a client's socket past its cap with 429, counting both paths, and takes it again once one closes", async () => {
      const mine = [
        await open(stack.gateway.url, "/trpc", from("203.0.113.7")),
        await open(stack.gateway.url, "/trpc", from("203.0.113.7")),
      ];
      // The POP3 body channel is counted on taking the socket, before its session is looked
      // up (this one has none, so it is then refused 401 and gives the place back).
      expect(await open(stack.gateway.url, "/pop3-bodies?channel=x", from("203.0.113.7"))).toBe(401);
      mine.push(await open(stack.gateway.url, "/trpc", from("203.0.113.7")));
      for (const ws of mine) expect(ws).toBeInstanceOf(WebSocket);
      expect(await open(stack.gateway.url, "/trpc", from("203.0.113.7"))).toBe(429);
      expect(await open(stack.gateway.url, "/pop3-bodies?channel=x", from("203.0.113.7"))).toBe(429);
      // A refused client that never closes its side is answered and the gateway ends the
      // connection (it also destroys its socket then: not seen from here).
      const answer = await refusedAndClosed(stack.gateway.url, from("203.0.113.7"), 3_000);
      expect(answer?.split("\r\n")[0]).toBe("HTTP/1.1 429 Too Many Requests");
      // An IPv6 client counts by its /64: a fourth address of the same /64 is refused.
      const six = [
        await open(stack.gateway.url, "/trpc", from("2001:db8:1:2::1")),
        await open(stack.gateway.url, "/trpc", from("2001:db8:1:2::2")),
        await open(stack.gateway.url, "/trpc", from("2001:db8:1:2:ffff::3")),
      ];
      for (const ws of six) expect(ws).toBeInstanceOf(WebSocket);
      expect(await open(stack.gateway.url, "/trpc", from("2001:db8:1:2::4"))).toBe(429);
      // Another /64 is another client.
      const other = await open(stack.gateway.url, "/trpc", from("2001:db8:1:3::1"));
      expect(other).toBeInstanceOf(WebSocket);
      // Seven open in all: a new client is refused too, with 503.
      expect(await open(stack.gateway.url, "/trpc", from("198.51.100.1"))).toBe(503);
      // A refused Origin takes no place and says so first.
      expect(await open(stack.gateway.url, "/trpc", { Origin: "https://evil.example" })).toBe(403);
      await closed(mine.pop() as WebSocket);
      await closed(six.pop() as WebSocket);
      // The close is heard by the gateway a moment after the client's.
      let again: WebSocket | number = 0;
      for (let i = 0; i < 50 && !(again instanceof WebSocket); i++) {
        again = await open(stack.gateway.url, "/trpc", from("203.0.113.7"));
        if (!(again instanceof WebSocket)) await new Promise((r) => setTimeout(r, 20));
      }
      expect(again).toBeInstanceOf(WebSocket);
      const later = await open(stack.gateway.url, "/trpc", from("198.51.100.1"));
      expect(later).toBeInstanceOf(WebSocket);
      for (const ws of [...mine, ...six, again, other, later]) if (ws instanceof WebSocket) await closed(ws);
      expect((await fetch(`${stack.gateway.url}/healthz`)).status).toBe(200);
    });
  });

  describe("without a session, and behind a proxy", () => {
    const stack = useStack(() => ({
      env: { PISMO_TRUSTED_PROXIES: "127.0.0.1" },
      limits: { socketsPerClient: 10, socketsPerGateway: 40, unauthenticatedSocketsPerClient: 2 },
      captureLog: "warn",
    }));
    const untrusted = useStack({ captureLog: "warn" });
    const from = (address: string, cookie?: string) => ({
      Origin: stack.gateway.url,
      "X-Forwarded-For": address,
      ...(cookie ? { Cookie: cookie } : {}),
    });

    it("closes a client's socket without a session past its own cap with 4429, not its signed-in ones, and takes one again once one closes", async () => {
      const user = await newUser(stack);
      const cookie = await signIn(stack, user.email, user.password);
      const url = stack.gateway.url;
      const signedOut = [await asked(url, from("203.0.113.20")), await asked(url, from("203.0.113.20"))];
      for (const ws of signedOut) expect(ws).toBeInstanceOf(WebSocket);
      expect(await asked(url, from("203.0.113.20"))).toBe(TOO_MANY_SOCKETS_CLOSE);
      // A cookie that names no session is no session.
      const forged = `pismo_session=${"x".repeat(43)}.${"y".repeat(43)}`;
      expect(await asked(url, from("203.0.113.20", forged))).toBe(TOO_MANY_SOCKETS_CLOSE);
      // The same client's signed-in sockets are not held back by it, nor is another client.
      const signedIn = [];
      for (let i = 0; i < 4; i++) signedIn.push(await asked(url, from("203.0.113.20", cookie)));
      for (const ws of signedIn) expect(ws).toBeInstanceOf(WebSocket);
      const other = await asked(url, from("203.0.113.21"));
      expect(other).toBeInstanceOf(WebSocket);
      // Connection params would put the context off until a first message, maybe never sent.
      expect(await asked(url, from("203.0.113.22"), "/trpc?connectionParams=1")).toBe(400);
      // Logged once for the two refusals: a client's pages trying again do not fill the log.
      const refusals = logged(stack.logLines, "ws.too_many_sockets");
      expect(refusals).toEqual([
        expect.objectContaining({ scope: "unauthenticated", client: "203.0.113.20" }),
      ]);
      expect(stack.logLines.join("\n")).not.toContain(cookie.split("=")[1]);
      expect(stack.logLines.join("\n")).not.toContain("xxxx");

      // A place comes back when its socket closes, once: two again, and not three.
      await closed(signedOut.pop() as WebSocket);
      const again = await askedAgain(url, from("203.0.113.20"));
      expect(again).toBeInstanceOf(WebSocket);
      expect(await asked(url, from("203.0.113.20"))).toBe(TOO_MANY_SOCKETS_CLOSE);
      for (const ws of [...signedOut, ...signedIn, other, again])
        if (ws instanceof WebSocket) await closed(ws);
      const later = [
        await askedAgain(url, from("203.0.113.20")),
        await askedAgain(url, from("203.0.113.20")),
      ];
      for (const ws of later) expect(ws).toBeInstanceOf(WebSocket);
      expect(await asked(url, from("203.0.113.20"))).toBe(TOO_MANY_SOCKETS_CLOSE);
      for (const ws of later) if (ws instanceof WebSocket) await closed(ws);
    });

    it("warns once of X-Forwarded-For from a peer not in PISMO_TRUSTED_PROXIES, never from one in it", async () => {
      const signInFrom = async (s: typeof stack, forwardedFor?: string) => {
        const user = await newUser(s);
        const res = await fetch(`${s.gateway.url}/api/session`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Origin: s.gateway.url,
            ...(forwardedFor ? { "X-Forwarded-For": forwardedFor } : {}),
          },
          body: JSON.stringify({ protocol: "imap", email: user.email, password: user.password }),
        });
        expect(res.status).toBe(200);
      };
      await signInFrom(untrusted);
      expect(logged(untrusted.logLines, "proxy.untrusted_forwarded_for")).toEqual([]);
      await signInFrom(untrusted, "198.51.100.77");
      await signInFrom(untrusted, "198.51.100.78");
      const warned = logged(untrusted.logLines, "proxy.untrusted_forwarded_for");
      expect(warned).toEqual([
        expect.objectContaining({ level: "warn", peer: "127.0.0.1", header: "x-forwarded-for" }),
      ]);
      expect(warned[0]?.hint).toContain("PISMO_TRUSTED_PROXIES");
      expect(untrusted.logLines.join("\n")).not.toContain("198.51.100.7");

      await signInFrom(stack, "198.51.100.77");
      await signInFrom(stack, "198.51.100.78");
      expect(logged(stack.logLines, "proxy.untrusted_forwarded_for")).toEqual([]);
    });
  });
});
