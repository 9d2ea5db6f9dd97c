import { WebSocket } from "ws";
import { decodeBodyFrame } from "@pismo/protocol/pop3";
import { describe, expect, it } from "vitest";
import { Pop3Client } from "../src/pop3/client";
import {
  connectClient,
  pop3Mailboxes,
  pullUntilDone,
  removeAfterPullPolicy,
  signIn,
  useStack,
} from "./helpers";

// The pull's body channel: a second WebSocket on which each message comes as one binary
// frame (no base64 in JSON). Only this session's browser may open it (same Origin, the session
// cookie), the bytes arrive exactly as the server stores them, and a channel cut mid-pull
// deletes nothing.

const stack = useStack();

/**
 * 8-bit windows-1250 text, a NUL, a bare LF and a dot-stuffed line: bytes a JSON string could
 * not carry as they are (so they go in as bytes: a string would be delivered as UTF-8).
 */
function message(i: number): Buffer {
  return Buffer.concat([
    Buffer.from(`From: s${i}@primer.rs\r\nTo: someone@pismo.test\r\nSubject: bodies ${i}\r\n`),
    Buffer.from("Content-Type: text/plain; charset=windows-1250\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"),
    Buffer.from([0x8a, 0x61, 0x9a, 0x61, 0x20, 0xe8, 0xe6, 0xf0, 0x9e, 0x00, 0x41, 0x0a, 0x42, 0x0d, 0x0a]),
    Buffer.from(`.dot line\r\n${"body line\r\n".repeat(200 * i)}`),
  ]);
}

const {
  mailbox,
  signIn: signInPop3,
  onServer,
  password: PASSWORD,
} = pop3Mailboxes(stack, {
  prefix: "bodies",
  message,
});

function bodiesUrl(channel: string): string {
  return `${stack.gateway.url.replace(/^http/, "ws")}/pop3-bodies?channel=${channel}`;
}

/** Opens a body channel; resolves with the socket, or with the HTTP status that refused it. */
function openBodies(
  channel: string,
  headers: Record<string, string>,
): Promise<{ ws: WebSocket; status: 101 } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(bodiesUrl(channel), { headers });
    ws.binaryType = "nodebuffer";
    ws.once("open", () => resolve({ ws, status: 101 }));
    ws.once("unexpected-response", (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once("error", (error) => reject(error));
  });
}

/** What the server stores, read straight over POP3 (RETR), by UIDL. */
async function serverCopies(user: string): Promise<Map<string, Buffer>> {
  const client = await Pop3Client.connect({
    host: stack.mail.host,
    port: stack.mail.pop3Port,
    security: "none",
  });
  try {
    await client.login(user, PASSWORD);
    const out = new Map<string, Buffer>();
    for (const { msgNo, uid } of await client.uidl()) out.set(uid, await client.retr(msgNo));
    return out;
  } finally {
    await client.quit();
  }
}

describe("the POP3 body channel", () => {
  it("refuses a foreign Origin, a missing or unknown session and an IMAP session", async () => {
    const user = await mailbox(1);
    const cookie = await signInPop3(user);
    const origin = stack.gateway.url;
    expect((await openBodies("a1", { Origin: "http://evil.example", Cookie: cookie })).status).toBe(403);
    expect((await openBodies("a1", { Cookie: cookie })).status).toBe(403);
    expect((await openBodies("a1", { Origin: origin })).status).toBe(401);
    expect((await openBodies("a1", { Origin: origin, Cookie: "pismo_session=not-a-session" })).status).toBe(
      401,
    );
    expect((await openBodies("bad id!", { Origin: origin, Cookie: cookie })).status).toBe(401);
    const imapCookie = await signIn(stack, user, PASSWORD, "imap");
    expect((await openBodies("a1", { Origin: origin, Cookie: imapCookie })).status).toBe(401);
    const ok = await openBodies("a1", { Origin: origin, Cookie: cookie });
    expect(ok.status).toBe(101);
    if ("ws" in ok) ok.ws.close();
  });

  it("brings every message byte for byte in binary frames, and deletes only after the acknowledgements", async () => {
    const user = await mailbox(4);
    const expected = await serverCopies(user);
    expect(expected.size).toBe(4);
    const cookie = await signInPop3(user);
    const opened = await openBodies("pull-1", { Origin: stack.gateway.url, Cookie: cookie });
    if (!("ws" in opened)) throw new Error(`body channel refused: ${opened.status}`);
    const { client, close } = connectClient(stack.gateway.url, cookie);
    try {
      const frames = new Map<string, Buffer>();
      let textFrames = 0;
      const run = pullUntilDone(client, { known: [], policy: removeAfterPullPolicy, bodies: "pull-1" });
      opened.ws.on("message", (data: Buffer, isBinary: boolean) => {
        if (!isBinary) {
          textFrames += 1;
          return;
        }
        const { header, raw } = decodeBodyFrame(new Uint8Array(data));
        frames.set(header.uid, Buffer.from(raw));
        // Stored: acknowledged (the gateway deletes nothing it was not told was stored).
        run.queue(() => client.pop3.ackMany.mutate({ pullId: run.pullId, uids: [header.uid] }));
      });
      const events = await run.ended;
      expect(textFrames).toBe(0);
      expect(events.some((e) => e.type === "message")).toBe(false);
      expect([...frames.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [uid, raw] of expected) expect(frames.get(uid)?.equals(raw)).toBe(true);
      // The 8-bit bytes and the NUL made it through as they are stored.
      expect([...frames.values()].every((raw) => raw.includes(Buffer.from([0xf0, 0x9e, 0x00, 0x41])))).toBe(
        true,
      );
      expect(events.at(-1)).toMatchObject({ type: "done", stored: 4, deletionsCommitted: true });
      expect(await onServer(user)).toEqual([]);
    } finally {
      await close();
      opened.ws.close();
    }
  });

  it("a pull whose body channel is cut deletes nothing, and the next pull brings only the unacknowledged", async () => {
    const user = await mailbox(5);
    const before = await onServer(user);
    const cookie = await signInPop3(user);
    const { client, close } = connectClient(stack.gateway.url, cookie);
    try {
      const opened = await openBodies("cut-1", { Origin: stack.gateway.url, Cookie: cookie });
      if (!("ws" in opened)) throw new Error(`body channel refused: ${opened.status}`);
      const acked: string[] = [];
      const cut = pullUntilDone(client, { known: [], policy: removeAfterPullPolicy, bodies: "cut-1" });
      let seen = 0;
      opened.ws.on("message", (data: Buffer) => {
        seen += 1;
        const { header } = decodeBodyFrame(new Uint8Array(data));
        if (seen > 2) return;
        acked.push(header.uid);
        cut.queue(async () => {
          await client.pop3.ackMany.mutate({ pullId: cut.pullId, uids: [header.uid] });
          // Both acknowledged: the tab goes away (its body channel with it).
          if (acked.length === 2) opened.ws.terminate();
        });
      });
      await expect(cut.ended).rejects.toThrow(/pull failed/);
      expect(cut.events.at(-1)?.type).toBe("error");
      expect(await onServer(user)).toEqual(before);

      // The next pull knows the two stored ones: it brings only the other three.
      const again = await openBodies("cut-2", { Origin: stack.gateway.url, Cookie: cookie });
      if (!("ws" in again)) throw new Error(`body channel refused: ${again.status}`);
      const second: string[] = [];
      const next = pullUntilDone(client, {
        known: acked.map((uid) => ({ uid, storedAt: Date.now(), deletedLocally: false })),
        policy: removeAfterPullPolicy,
        bodies: "cut-2",
      });
      again.ws.on("message", (data: Buffer) => {
        const { header } = decodeBodyFrame(new Uint8Array(data));
        second.push(header.uid);
        next.queue(() => client.pop3.ackMany.mutate({ pullId: next.pullId, uids: [header.uid] }));
      });
      await next.ended;
      expect(second.sort()).toEqual(before.filter((uid) => !acked.includes(uid)).sort());
      expect(await onServer(user)).toEqual([]);
    } finally {
      await close();
    }
  });

  it("a pull naming a body channel that was never opened is refused", async () => {
    const user = await mailbox(1);
    const cookie = await signInPop3(user);
    const { client, close } = connectClient(stack.gateway.url, cookie);
    try {
      const run = pullUntilDone(client, { known: [], policy: removeAfterPullPolicy, bodies: "never-opened" });
      await expect(run.ended).rejects.toThrow(/pull failed/);
      const event = run.events.at(-1);
      expect(event).toEqual({ type: "error", code: "BAD_INPUT" });
      expect(await onServer(user)).toHaveLength(1);
    } finally {
      await close();
    }
  }, 15_000);
});
