import net from "node:net";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { MAX_CALLS_PER_MESSAGE, STALLED_MS } from "../src/server/trpc-ws";
import { useStack } from "./helpers";

// Clients that are not a browser's page, which anyone can be without signing in: none may end
// the gateway (every session with it) or grow its memory without bound.

/** Sends raw bytes and resolves with what came back until the server closed. */
function raw(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(request));
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

const healthy = async (url: string) => (await fetch(`${url}/healthz`)).status === 200;

/** A batch of `count` calls of the one procedure that needs no session. */
const batch = (count: number, from = 1) =>
  JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      id: from + i,
      method: "query",
      params: { path: "server.defaults" },
    })),
  );

describe("hostile clients", () => {
  const stack = useStack();

  it("a request for '//' (or another target that is no path) is answered 400, and the gateway goes on", async () => {
    for (const target of ["//", "///", "//@", "/\\", "*"]) {
      const answer = await raw(
        stack.gateway.url,
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      expect(answer.split("\r\n")[0], target).toMatch(/^HTTP\/1\.1 4\d\d /);
    }
    const upgrade = await raw(
      stack.gateway.url,
      `GET // HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${Buffer.from("0123456789abcdef").toString("base64")}\r\n\r\n`,
    );
    expect(upgrade.split("\r\n")[0]).toBe("HTTP/1.1 404 Not Found");
    expect(await healthy(stack.gateway.url)).toBe(true);
  });

  it("upgrades refused and reset by the client at once do not end the gateway", async () => {
    const { hostname, port } = new URL(stack.gateway.url);
    const key = Buffer.from("0123456789abcdef").toString("base64");
    const attempts = [];
    for (let i = 0; i < 150; i++) {
      const path = ["/nope", "/trpc", "/pop3-bodies?channel=x"][i % 3];
      attempts.push(
        new Promise<void>((resolve) => {
          const socket = net.connect(Number(port), hostname, () => {
            socket.write(
              `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://evil.example\r\n` +
                `Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n` +
                `Sec-WebSocket-Key: ${key}\r\nCookie: pismo_session=${"a".repeat(43)}.${"b".repeat(43)}\r\n\r\n`,
            );
            // Gone before the refusal is written: the gateway writes to a reset socket.
            if (i % 2) socket.resetAndDestroy();
            else setImmediate(() => socket.destroy());
          });
          socket.on("error", () => undefined);
          socket.on("close", () => resolve());
        }),
      );
    }
    await Promise.all(attempts);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await healthy(stack.gateway.url)).toBe(true);
  });

  it(`a message of more than ${MAX_CALLS_PER_MESSAGE} calls runs none of them`, async () => {
    const ws = new WebSocket(`${stack.gateway.url.replace(/^http/, "ws")}/trpc`, {
      headers: { Origin: stack.gateway.url },
    });
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    const answers: Array<{ id: unknown; error?: { data?: { code?: string } } }> = [];
    ws.on("message", (data: Buffer) => answers.push(JSON.parse(data.toString()) as (typeof answers)[number]));
    ws.send(batch(MAX_CALLS_PER_MESSAGE + 1));
    // A batch within the limit after it: every call of it is answered.
    ws.send(batch(50, 10_000));
    await expect.poll(() => answers.length, { timeout: 10_000 }).toBe(51);
    const refused = answers.filter((a) => a.error);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ id: null, error: { data: { code: "PARSE_ERROR" } } });
    expect(answers.filter((a) => typeof a.id === "number" && a.id < 10_000)).toEqual([]);
    ws.close();
  });

  it("a client that sends and never reads is cut off once its unread answers stop going down", async () => {
    const ws = new WebSocket(`${stack.gateway.url.replace(/^http/, "ws")}/trpc`, {
      headers: { Origin: stack.gateway.url },
    });
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
    // Reads nothing from here on: the answers pile up in the gateway, past MAX_UNREAD_BYTES.
    // Each call names a long path no procedure has, which its error answer repeats (~16 kB each).
    ws.pause();
    const before = process.memoryUsage().rss;
    const long = "x".repeat(16_000);
    const batchOfLong = JSON.stringify(
      Array.from({ length: 200 }, (_, id) => ({ id, method: "query", params: { path: long } })),
    );
    for (let i = 0; i < 12; i++) await new Promise<void>((resolve) => ws.send(batchOfLong, () => resolve()));
    // Still paused, well past STALLED_MS (a loaded machine answers the calls late): nothing
    // drained, and the gateway let go. A paused client notices the close only once it reads
    // again: what it then gets is what was on the way.
    await new Promise((resolve) => setTimeout(resolve, STALLED_MS + 8_000));
    let answers = 0;
    ws.on("message", () => answers++);
    ws.resume();
    await closed;
    expect(answers).toBeLessThan(12 * 200);
    expect(process.memoryUsage().rss - before).toBeLessThan(300 * 1024 * 1024);
    expect(await healthy(stack.gateway.url)).toBe(true);
  }, 60_000);
});
