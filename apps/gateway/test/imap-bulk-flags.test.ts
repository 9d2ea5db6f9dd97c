import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uidsInRanges } from "@pismo/protocol/selection";
import {
  collectEvents,
  connectClient,
  makeUsers,
  signIn,
  startStack,
  waitUntil,
  type TestStack,
} from "./helpers";

// A flag change of a whole folder (Select all N, then Mark as read): the server is asked not to
// echo every message's flags to the session that made it; its pages get one "changed" and
// refetch, while another session (another device) still hears each message from the server.
describe("a flag change of many messages against Dovecot", () => {
  const COUNT = 150;
  let stack: TestStack;
  const [user] = makeUsers(1);
  let page1: ReturnType<typeof connectClient>;
  let page2: ReturnType<typeof connectClient>;
  let other: ReturnType<typeof connectClient>;
  let events1: ReturnType<typeof collectEvents>;
  let events2: ReturnType<typeof collectEvents>;
  let eventsOther: ReturnType<typeof collectEvents>;

  beforeAll(async () => {
    stack = await startStack({ mail: { users: [user!] } });
    await stack.mail.seed(user!.email, { count: 0, folders: { INBOX: COUNT }, user: user!.email, seed: 5 });
    await stack.mail.doveadm(["flags", "remove", "-u", user!.email, "\\Seen", "mailbox", "INBOX", "all"]);
    // Two pages of one session (two tabs of one browser), and a second session.
    const cookie = await signIn(stack, user!.email, user!.password);
    page1 = connectClient(stack.gateway.url, cookie);
    page2 = connectClient(stack.gateway.url, cookie);
    other = connectClient(stack.gateway.url, await signIn(stack, user!.email, user!.password));
    events1 = collectEvents(page1.client);
    events2 = collectEvents(page2.client);
    eventsOther = collectEvents(other.client);
    await waitUntil(
      () => events1.started && events2.started && eventsOther.started,
      10_000,
      () => "subscriptions did not start",
    );
    await page1.client.imap.watch.mutate({ folder: "INBOX" });
    await other.client.imap.watch.mutate({ folder: "INBOX" });
  }, 60_000);
  afterAll(async () => {
    for (const e of [events1, events2, eventsOther]) e?.unsubscribe();
    for (const p of [page1, page2, other]) void p?.close();
    await stack?.stop();
  });

  it("marks all read with one 'changed' to the session's pages, and each message to another session", async () => {
    const ranges = await page1.client.imap.uids.query({ folder: "INBOX" });
    const uids = uidsInRanges(ranges);
    expect(uids).toHaveLength(COUNT);
    const [from1, from2, fromOther] = [
      events1.events.length,
      events2.events.length,
      eventsOther.events.length,
    ];
    await page1.client.imap.setFlags.mutate({ folder: "INBOX", uids, seen: true });
    await events1.waitFor("changed", (e) => e.folder === "INBOX", 5000, from1);
    await events2.waitFor("changed", (e) => e.folder === "INBOX", 5000, from2);
    await waitUntil(
      () => eventsOther.events.slice(fromOther).filter((e) => e.type === "flags" && e.seen).length === COUNT,
      10_000,
      () => `another session heard ${eventsOther.events.slice(fromOther).length} events`,
    );
    // Give a late echo the time to come: none does.
    await new Promise((r) => setTimeout(r, 500));
    expect(events1.events.slice(from1).filter((e) => e.type === "flags")).toHaveLength(0);
    expect(events2.events.slice(from2).filter((e) => e.type === "flags")).toHaveLength(0);
    expect((await stack.mail.counts(user!.email, "INBOX")).unseen).toBe(0);
    const folders = await page2.client.imap.folders.query();
    expect(folders.find((f) => f.path === "INBOX")?.unseen).toBe(0);
  });

  it("still echoes a change of a few messages to the session's other pages, message by message", async () => {
    const window = await page1.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 2 });
    const uids = window.messages.map((m) => m.uid);
    const from2 = events2.events.length;
    await page1.client.imap.setFlags.mutate({ folder: "INBOX", uids, flagged: true });
    for (const uid of uids) await events2.waitFor("flags", (e) => e.uid === uid && e.flagged, 5000, from2);
  });
});
