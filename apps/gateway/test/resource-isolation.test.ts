import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  codeOf,
  connectClient,
  leaveOnServerPolicy,
  makeUsers,
  pullUntilDone,
  signIn,
  signInRaw,
  startStack,
  type TestStack,
} from "./helpers";
import { startFakePop3Server, type FakePop3Server } from "./fixtures/fake-pop3-server";

// One user cannot take the gateway down for the others. A POP3 session asks for twenty whole
// messages at once from a server whose RETR never ends (its LIST lies about the size), another
// pulls from a server whose UIDL is a gigabyte, and meanwhile an IMAP user keeps reading mail
// from Dovecot: the IMAP answers stay quick and the gateway's memory stays bounded.

const MiB = 1024 * 1024;

describe("resource limits isolate sessions", () => {
  let stack: TestStack;
  let fake: FakePop3Server;
  const [reader] = makeUsers(1);
  beforeAll(async () => {
    fake = await startFakePop3Server({
      users: [
        { name: "ana@fake.test", password: "tajna" },
        { name: "bob@fake.test", password: "tajna" },
      ],
      messages: [Buffer.from("Subject: x\r\n\r\nx\r\n")],
      hugeRetr: { bytes: 160 * MiB, listedSize: 2000 },
      hugeUidl: { user: "bob@fake.test", bytes: 1024 * MiB },
    });
    stack = await startStack({
      env: { PISMO_POP3_PORT: String(fake.port) },
      mail: { users: [reader!] },
    });
    for (let i = 0; i < 30; i += 1)
      await stack.mail.deliver(reader!.email, `Subject: note ${i}\r\n\r\n${"text\r\n".repeat(50)}`);
  });
  afterAll(async () => {
    await stack?.stop();
    await fake?.close();
  });

  it("keeps IMAP reading quick and RSS bounded under 20 oversized fetches and a 1 GB UIDL", async () => {
    const anaCookie =
      (await signInRaw(stack, { protocol: "pop3", email: "ana@fake.test", password: "tajna" })).cookie ?? "";
    const bobCookie =
      (await signInRaw(stack, { protocol: "pop3", email: "bob@fake.test", password: "tajna" })).cookie ?? "";
    const ana = connectClient(stack.gateway.url, anaCookie);
    const bob = connectClient(stack.gateway.url, bobCookie);
    const imap = connectClient(stack.gateway.url, await signIn(stack, reader!.email, reader!.password));
    const readMail = async (): Promise<number> => {
      const started = performance.now();
      const window = await imap.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 50 });
      expect(window.messages.length).toBe(30);
      return performance.now() - started;
    };
    try {
      // Normal latency first (and warm caches).
      const normal: number[] = [];
      for (let i = 0; i < 10; i += 1) normal.push(await readMail());

      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      let tooMuch = false;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
        if (peak - baseline > 1024 * MiB) tooMuch = true;
      }, 20);

      const fetches = Promise.allSettled(
        Array.from({ length: 20 }, () => ana.client.pop3.fetchFull.mutate({ uid: "uid-1-x" })),
      );
      // Bob's pull ends in an error (the UIDL is cut off); it is waited for either way.
      const pulling = pullUntilDone(bob.client, { known: [], policy: leaveOnServerPolicy });
      const pull = pulling.ended.catch(() => undefined);
      let settled = false;
      const busy = Promise.all([fetches, pull]).then(() => (settled = true));
      const during: number[] = [];
      const deadline = Date.now() + 60_000;
      while ((!settled || during.length < 10) && !tooMuch && Date.now() < deadline) {
        during.push(await readMail());
        await new Promise((r) => setTimeout(r, 20));
      }
      clearInterval(sampler);
      expect(tooMuch, `RSS grew by ${Math.round((peak - baseline) / MiB)} MiB`).toBe(false);
      expect(settled).toBe(true);
      await busy;

      const codes = (await fetches).map((r) => (r.status === "rejected" ? codeOf(r.reason) : "fulfilled"));
      // At most two run at once per session; each stops at the message limit.
      expect(codes.filter((c) => c === "MESSAGE_TOO_LARGE").length).toBeGreaterThanOrEqual(1);
      expect(codes.filter((c) => c === "MESSAGE_TOO_LARGE").length).toBeLessThanOrEqual(2);
      expect(codes.every((c) => c === "MESSAGE_TOO_LARGE" || c === "RATE_LIMITED")).toBe(true);
      expect(pulling.events.at(-1)).toMatchObject({ type: "error", code: "SERVER_REFUSED" });
      // The servers were cut off early: two RETRs at 50 MiB and a UIDL at 16 MiB, not 4 GB.
      expect(fake.streamedBytes).toBeLessThan(400 * MiB);

      const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;
      expect(
        p95(during),
        `normal ${JSON.stringify(normal.map(Math.round))}, during ${JSON.stringify(during.map(Math.round))}`,
      ).toBeLessThan(Math.max(500, 10 * p95(normal)));
      console.info(
        `RSS +${Math.round((peak - baseline) / MiB)} MiB; IMAP p95 ${Math.round(p95(normal))} ms before, ${Math.round(p95(during))} ms during (${during.length} reads)`,
      );
      expect(peak - baseline, `RSS grew by ${Math.round((peak - baseline) / MiB)} MiB`).toBeLessThan(
        450 * MiB,
      );
    } finally {
      void ana.close();
      void bob.close();
      void imap.close();
    }
  });
});
