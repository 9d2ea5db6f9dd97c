import { buildMessage } from "@pismo/mail-harness/seed";
import type { ImapSearchEvent, ImapSearchInput } from "@pismo/protocol/schemas";
import { compileImapSearch, parseSearchQuery } from "@pismo/protocol/search";
import { ImapFlow, type SearchObject } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIRST_PART } from "../src/imap/search";
import {
  rawlogSettled,
  connectClient,
  makeUsers,
  rawlogCommands,
  signIn,
  startStack,
  type TestClient,
  type TestStack,
} from "./helpers";

/** Large enough to be searched in parts: the newest FIRST_PART messages, then the rest. */
const INBOX_SIZE = 5000;
/** A subject only the oldest message has. */
const OLD_SUBJECT = "Najstarijazabeleska";
/** A scan (no text): the unread mail, a good part of the newest and some of the rest. */
const SCAN = "is:unread";

function runSearch(client: TestClient, input: Partial<ImapSearchInput> & { text: string }) {
  return new Promise<ImapSearchEvent[]>((resolve, reject) => {
    const events: ImapSearchEvent[] = [];
    client.imap.search.subscribe(
      { now: Date.now(), currentFolder: "INBOX", ...input },
      {
        onData: (event) => events.push(event as ImapSearchEvent),
        onError: reject,
        onComplete: () => resolve(events),
      },
    );
  });
}

describe("IMAP search of a large folder, newest part first (Dovecot)", () => {
  let stack: TestStack;
  const [user] = makeUsers(1);
  let browser: ReturnType<typeof connectClient>;
  let imap: ImapFlow;
  /** The UID of the oldest of the newest FIRST_PART messages of the Inbox. */
  let boundary: number;

  /** The same query as one SEARCH of the whole folder, newest first (what the search gave before). */
  async function oneShot(text: string, folder = "INBOX"): Promise<number[]> {
    const parsed = parseSearchQuery(text, { now: Date.now() });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const lock = await imap.getMailboxLock(folder);
    try {
      const uids = await imap.search(compileImapSearch(parsed.query).searchObject as SearchObject, {
        uid: true,
      });
      return (uids || []).sort((a, b) => b - a);
    } finally {
      lock.release();
    }
  }

  /** The commands in the rawlog so far. Each session has its own file, so later commands are
   * told apart by content (every command has its own tag), not by position. */
  const rawlogSoFar = async () => new Set(await rawlogSettled(stack.mail, user!.email));

  /** The UID ranges of the SEARCH commands sent after `earlier`, in the order sent. */
  async function searchRanges(earlier: Set<string>): Promise<string[]> {
    const lines = (await rawlogCommands(stack.mail, user!.email)).filter((l) => !earlier.has(l));
    return lines
      .filter((l) => /^\S+ UID SEARCH /i.test(l))
      .map((l) => / UID (\d+:(?:\d+|\*)) /i.exec(l)?.[1] ?? "whole folder");
  }

  beforeAll(async () => {
    stack = await startStack({ mail: { users: [user!], rawlog: true } });
    const u = user!.email;
    imap = new ImapFlow({
      host: "127.0.0.1",
      port: stack.mail.imapPort,
      secure: false,
      auth: { user: u, pass: user!.password },
      logger: false,
    });
    await imap.connect();
    // The oldest message first (UID 1: Dovecot numbers it when the Inbox is opened), then the rest.
    await stack.mail.deliver(
      u,
      buildMessage({ from: "arhiva@example.org", to: u, subject: OLD_SUBJECT, text: "Prva.\r\n" }),
    );
    await imap.mailboxOpen("INBOX");
    // About a tenth of the seeded mail is from Jelena (the seed's PEOPLE), in every part.
    await stack.mail.seed(u, { count: 0, folders: { INBOX: INBOX_SIZE - 1, Arhiva: 300 }, user: u, seed: 5 });
    const lock = await imap.getMailboxLock("INBOX");
    try {
      await imap.noop();
      const exists = (imap.mailbox as { exists: number }).exists;
      expect(exists).toBe(INBOX_SIZE);
      const first = await imap.fetchOne(String(exists - FIRST_PART + 1), { uid: true });
      boundary = (first as { uid: number }).uid;
    } finally {
      lock.release();
    }
    browser = connectClient(stack.gateway.url, await signIn(stack, u, user!.password));
  }, 120_000);
  afterAll(async () => {
    void browser?.close();
    await imap?.logout().catch(() => undefined);
    await stack?.stop();
  });

  it("streams the newest part's matches with their rows before searching the older messages, and ends with the one-shot answer", async () => {
    const expected = await oneShot(SCAN);
    const before = await rawlogSoFar();
    const events = await runSearch(browser.client, { text: SCAN });
    expect(expected.length).toBeGreaterThan(100);

    expect(events.map((e) => e.type)).toEqual(["plan", "partial", "folder", "done"]);
    const partial = events[1] as Extract<ImapSearchEvent, { type: "partial" }>;
    // The first answer is the newest part's: exactly the matches among the newest messages.
    expect(partial.uids).toEqual(expected.filter((uid) => uid >= boundary));
    expect(partial.uids.length).toBeGreaterThan(0);
    expect(partial.dates).toEqual([]);
    // With the rows of the page's first window, newest first, so the page paints without asking.
    expect(partial.rows.map((r) => r.uid)).toEqual(partial.uids.slice(0, 50));
    expect(partial.rows.every((r) => r.folder === "INBOX" && !r.seen)).toBe(true);
    // The complete answer is the one a single SEARCH of the whole folder gives.
    const folder = events[2] as Extract<ImapSearchEvent, { type: "folder" }>;
    expect(folder.uids).toEqual(expected);
    expect(folder.searched).toBe(1);
    expect(folder.rows ?? []).toEqual([]);
    // Both parts under one UIDVALIDITY, the one the rows were read with.
    expect(folder.uidValidity).toBe(partial.uidValidity);
    expect(partial.rows.every((r) => r.uidValidity === partial.uidValidity)).toBe(true);

    // Two SEARCH commands: the newest part, then every older message at once.
    await expect.poll(() => searchRanges(before), { timeout: 5_000 }).toHaveLength(2);
    expect(await searchRanges(before)).toEqual([`${boundary}:*`, `1:${boundary - 1}`]);
  });

  it("goes on to the older messages at once when the newest part has no match, and says nothing before", async () => {
    // Only the oldest message (UID 1) arrived after the seeded mail's dates.
    const events = await runSearch(browser.client, { text: "after:2026-11-15" });
    expect(events.map((e) => e.type)).toEqual(["plan", "folder", "done"]);
    const folder = events[1] as Extract<ImapSearchEvent, { type: "folder" }>;
    expect(folder.uids).toEqual([1]);
    expect(folder.rows?.map((r) => r.subject)).toEqual([OLD_SUBJECT]);
  });

  it("searches text at once (a full-text index answers it whole), with the first window's rows in the answer", async () => {
    const expected = await oneShot("from:jelena");
    const before = await rawlogSoFar();
    const events = await runSearch(browser.client, { text: "from:jelena" });
    expect(events.map((e) => e.type)).toEqual(["plan", "folder", "done"]);
    const folder = events[1] as Extract<ImapSearchEvent, { type: "folder" }>;
    expect(folder.uids).toEqual(expected);
    expect(folder.rows?.map((r) => r.uid)).toEqual(expected.slice(0, 50));
    expect(folder.rows?.every((r) => /jelena/i.test(JSON.stringify(r.from)))).toBe(true);
    await expect.poll(() => searchRanges(before), { timeout: 5_000 }).toEqual(["whole folder"]);
  });

  it("searches a named folder again (a live refresh) at once, with nothing partial", async () => {
    const expected = await oneShot("from:jelena");
    const before = await rawlogSoFar();
    const events = await runSearch(browser.client, { text: "from:jelena", folders: ["INBOX"] });
    expect(events.map((e) => e.type)).toEqual(["plan", "folder", "done"]);
    const folder = events[1] as Extract<ImapSearchEvent, { type: "folder" }>;
    expect(folder.uids).toEqual(expected);
    expect(folder.rows ?? []).toEqual([]);
    await expect.poll(() => searchRanges(before), { timeout: 5_000 }).toEqual(["whole folder"]);
  });

  it("searches every folder with the Inbox's newest part first, dated for merging, with the one-shot answers", async () => {
    const events = await runSearch(browser.client, { text: `in:all ${SCAN}` });
    const plan = events[0];
    expect(plan?.type === "plan" && plan.folders[0]).toBe("INBOX");
    const partial = events[1];
    expect(partial?.type).toBe("partial");
    if (partial?.type !== "partial") return;
    expect(partial.folder).toBe("INBOX");
    expect(partial.dates).toHaveLength(partial.uids.length);
    expect(partial.dates.every((d) => d > 0)).toBe(true);
    const inbox = events.find((e) => e.type === "folder" && e.folder === "INBOX");
    const arhiva = events.find((e) => e.type === "folder" && e.folder === "Arhiva");
    expect(inbox?.type === "folder" && inbox.uids).toEqual(await oneShot(SCAN));
    expect(inbox?.type === "folder" && inbox.dates.slice(0, partial.dates.length)).toEqual(partial.dates);
    expect(arhiva?.type === "folder" && arhiva.uids).toEqual(await oneShot(SCAN, "Arhiva"));
    // Rows come only with the first folder's answer: the page's first window is bounded.
    expect(arhiva?.type === "folder" && (arhiva.rows ?? [])).toEqual([]);
    // A small folder is searched at once: no partial answer for it.
    expect(events.filter((e) => e.type === "partial")).toHaveLength(1);
    expect(events.at(-1)).toEqual({ type: "done" });
  });
});
