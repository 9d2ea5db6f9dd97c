import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayEnv, startRedis, type ServiceProcess } from "@pismo/mail-harness";
import { Redis } from "ioredis";
import {
  collectEvents,
  connectClient,
  imapConnections,
  makeUsers,
  signIn,
  startStack,
  testMessage,
  waitUntil,
  type TestStack,
} from "./helpers";
import { readConfig } from "../src/env";
import { startGateway, type Gateway } from "../src/gateway";
import { createLogger } from "../src/log";

// One session, two tabs, each tab's socket on another gateway (the load balancer is not sticky).
// Only one gateway holds the session's IMAP connection (its lease); the tab on the other one
// once heard nothing IDLE said, while showing "Live", and each tab's call took the lease from
// the other. The holder now relays its connection's events to the session's other gateways.

describe("one session on two gateways sharing Redis", () => {
  let stack: TestStack;
  let redis: ServiceProcess & { url: string };
  let env: Record<string, string>;
  const gateways: Gateway[] = [];
  const closed = new Set<Gateway>();
  const [user, other] = makeUsers(2);

  beforeAll(async () => {
    redis = await startRedis();
    env = {
      PISMO_REDIS_URL: redis.url,
      PISMO_SECRET: "a-cluster-secret-of-at-least-32-characters",
    };
    stack = await startStack({ env, mail: { users: [user!, other!] } });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(gateways.filter((g) => !closed.has(g)).map((g) => g.close()));
    await stack?.stop();
    await redis?.stop();
  });

  /** A gateway in front of the stack's Dovecot, on the same Redis, named `id` in leases. */
  async function gateway(id: string): Promise<Gateway> {
    const config = readConfig({ PISMO_PORT: "0", ...gatewayEnv(stack.mail), ...env, PISMO_GATEWAY_ID: id });
    const started = await startGateway(config, createLogger("silent"));
    gateways.push(started);
    return started;
  }

  async function leaseHolders(): Promise<string[]> {
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys("*lease:*");
      return (await Promise.all(keys.map((k) => client.get(k)))).filter((v): v is string => v !== null);
    } finally {
      client.disconnect();
    }
  }

  it("pushes IDLE to the tabs on both gateways, whichever holds the connection", async () => {
    const gw1 = await gateway("gw-1");
    const gw2 = await gateway("gw-2");
    await stack.mail.deliver(user!.email, testMessage("Prva"));
    const cookie = await signIn({ ...stack, gateway: gw1 }, user!.email, user!.password);
    const tab1 = connectClient(gw1.url, cookie);
    const tab2 = connectClient(gw2.url, cookie);
    const events1 = collectEvents(tab1.client);
    const events2 = collectEvents(tab2.client);
    try {
      await waitUntil(
        () => events1.started && events2.started,
        10_000,
        () => "subscriptions did not start",
      );
      // Listening alone does not take the connection from the gateway that holds it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await leaseHolders()).toEqual(["gw-1"]);

      // Both pages show INBOX; the second one's call moves the connection to gw-2.
      await tab1.client.imap.watch.mutate({ folder: "INBOX" });
      await tab2.client.imap.watch.mutate({ folder: "INBOX" });
      expect(await leaseHolders()).toEqual(["gw-2"]);
      await waitUntil(async () => (await imapConnections(stack.mail, user!.email)) === 1);

      let from1 = events1.events.length;
      let from2 = events2.events.length;
      await stack.mail.deliver(user!.email, testMessage("Druga"));
      await Promise.all([
        events1.waitFor("exists", (e) => e.folder === "INBOX" && e.total === 2, 5000, from1),
        events2.waitFor("exists", (e) => e.folder === "INBOX" && e.total === 2, 5000, from2),
      ]);

      // A call from the first tab takes the connection back to gw-1: both still hear it.
      const listed = await tab1.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 5 });
      expect(listed.messages.map((m) => m.subject)).toEqual(["Druga", "Prva"]);
      expect(await leaseHolders()).toEqual(["gw-1"]);
      from1 = events1.events.length;
      from2 = events2.events.length;
      await stack.mail.deliver(user!.email, testMessage("Treća"));
      await Promise.all([
        events1.waitFor("exists", (e) => e.folder === "INBOX" && e.total === 3, 5000, from1),
        events2.waitFor("exists", (e) => e.folder === "INBOX" && e.total === 3, 5000, from2),
      ]);
      // Flags set on another device reach both tabs too.
      const [newest] = (await tab2.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 1 })).messages;
      from1 = events1.events.length;
      from2 = events2.events.length;
      await stack.mail.doveadm([
        "flags",
        "add",
        "-u",
        user!.email,
        "\\Flagged",
        "mailbox",
        "INBOX",
        "uid",
        String(newest!.uid),
      ]);
      await Promise.all([
        events1.waitFor("flags", (e) => e.uid === newest!.uid && e.flagged, 5000, from1),
        events2.waitFor("flags", (e) => e.uid === newest!.uid && e.flagged, 5000, from2),
      ]);
      await waitUntil(async () => (await imapConnections(stack.mail, user!.email)) === 1);

      // The holder stops (a deploy): the tab on the other gateway gets the connection there
      // and is told to refetch, then hears IDLE again.
      const holder = (await leaseHolders())[0] === "gw-1" ? gw1 : gw2;
      const [survivor, survivorEvents] = holder === gw1 ? [tab2, events2] : [tab1, events1];
      const fromS = survivorEvents.events.length;
      await holder.close();
      closed.add(holder);
      await survivorEvents.waitFor("connection", (e) => e.state === "live", 5000, fromS);
      const fromS2 = survivorEvents.events.length;
      await stack.mail.deliver(user!.email, testMessage("Četvrta"));
      await survivorEvents.waitFor("exists", (e) => e.folder === "INBOX" && e.total === 4, 5000, fromS2);
      expect(
        (await survivor.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 1 })).messages[0]
          ?.subject,
      ).toBe("Četvrta");
    } finally {
      events1.unsubscribe();
      events2.unsubscribe();
      void tab1.close();
      void tab2.close();
    }
  }, 60_000);
  it("tells the tab whose gateway lets go of mail that came just before the hand-over", async () => {
    // Dovecot tells an IDLE connection about 0.5 s after the change; the new holder's SELECT
    // already counts the message, so only the old connection can still tell of it.
    const gw3 = await gateway("gw-3");
    const gw4 = await gateway("gw-4");
    const cookie = await signIn({ ...stack, gateway: gw3 }, other!.email, other!.password);
    const tab3 = connectClient(gw3.url, cookie);
    const tab4 = connectClient(gw4.url, cookie);
    const events3 = collectEvents(tab3.client);
    const events4 = collectEvents(tab4.client);
    try {
      await waitUntil(
        () => events3.started && events4.started,
        10_000,
        () => "subscriptions did not start",
      );
      await tab3.client.imap.watch.mutate({ folder: "INBOX" });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const from3 = events3.events.length;
      const from4 = events4.events.length;
      await stack.mail.deliver(other!.email, testMessage("Tik pred predaju"));
      // At once, before Dovecot tells gw-3: the other tab's call moves the connection to gw-4.
      await tab4.client.imap.watch.mutate({ folder: "INBOX" });
      await Promise.all([
        events3.waitFor("exists", (e) => e.folder === "INBOX" && e.total === 1, 5000, from3),
        // The new holder's pages are told to refetch (or hear it, if its SELECT came first).
        waitUntil(
          () =>
            events4.events
              .slice(from4)
              .some((e) => (e.type === "connection" && e.state === "live") || e.type === "exists"),
          5000,
        ),
      ]);
    } finally {
      events3.unsubscribe();
      events4.unsubscribe();
      void tab3.close();
      void tab4.close();
    }
  }, 60_000);
});
