import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignInAnswer } from "@pismo/protocol/schemas";
import {
  connectClient,
  makeUsers,
  rawlogCommands,
  signIn,
  signInRaw,
  startStack,
  type TestStack,
} from "./helpers";

interface ServerRow {
  uid: number;
  size: number;
}

describe("the IMAP message list against Dovecot", () => {
  let stack: TestStack;
  const [small, big, fresh, screen] = makeUsers(4);
  let browser: ReturnType<typeof connectClient>;
  let rows: ServerRow[] = [];
  beforeAll(async () => {
    stack = await startStack({ mail: { users: [small!, big!, fresh!, screen!], rawlog: true } });
    await stack.mail.seed(small!.email, { count: 0, folders: { INBOX: 300 } });
    browser = connectClient(stack.gateway.url, await signIn(stack, small!.email, small!.password));
    // What the server holds, read past the gateway.
    const out = await stack.mail.doveadm([
      "-f",
      "tab",
      "fetch",
      "-u",
      small!.email,
      "uid size.virtual",
      "mailbox",
      "INBOX",
      "all",
    ]);
    rows = out
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => {
        const [uid, size] = line.split("\t");
        return { uid: Number(uid), size: Number(size) };
      });
  }, 120_000);
  afterAll(async () => {
    void browser?.close();
    await stack?.stop();
  });

  it("returns the newest 50, newest first, with the folder's total", async () => {
    expect(rows).toHaveLength(300);
    const w = await browser.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 50 });
    expect(w.total).toBe(300);
    expect(w.offset).toBe(0);
    expect(w.uidValidity).toMatch(/^\d+$/);
    const newest = rows
      .map((r) => r.uid)
      .sort((a, b) => b - a)
      .slice(0, 50);
    expect(w.messages.map((m) => m.uid)).toEqual(newest);
    const first = w.messages[0]!;
    expect(first.subject).not.toBe("");
    expect(first.from?.address).toMatch(/@/);
    expect(first.date).toMatch(/^\d{4}-/);
    expect(first.size).toBe(rows.find((r) => r.uid === first.uid)?.size);
  });

  it("offset 250 returns the last (oldest) 50", async () => {
    const w = await browser.client.imap.list.query({ folder: "INBOX", offset: 250, limit: 50 });
    expect(w.total).toBe(300);
    expect(w.messages.map((m) => m.uid)).toEqual(
      rows
        .map((r) => r.uid)
        .sort((a, b) => b - a)
        .slice(250),
    );
    expect(
      (await browser.client.imap.list.query({ folder: "INBOX", offset: 300, limit: 50 })).messages,
    ).toEqual([]);
  });

  it("sorts by size, largest first", async () => {
    const w = await browser.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 50, sort: "size" });
    const sizes = w.messages.map((m) => m.size);
    expect(sizes).toHaveLength(50);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    const expected = rows
      .map((r) => r.size)
      .sort((a, b) => b - a)
      .slice(0, 50);
    expect(sizes).toEqual(expected);
    const next = await browser.client.imap.list.query({
      folder: "INBOX",
      offset: 50,
      limit: 50,
      sort: "size",
    });
    expect(next.messages[0]!.size).toBeLessThanOrEqual(sizes.at(-1)!);
    expect(new Set([...w.messages, ...next.messages].map((m) => m.uid)).size).toBe(100);
  });

  it("sorts by date, newest first", async () => {
    const w = await browser.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 50, sort: "date" });
    const dates = w.messages.map((m) => Date.parse(m.date ?? ""));
    expect(dates.every((d) => Number.isFinite(d))).toBe(true);
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    const last = await browser.client.imap.list.query({
      folder: "INBOX",
      offset: 250,
      limit: 50,
      sort: "date",
    });
    const lastDates = last.messages.map((m) => Date.parse(m.date ?? ""));
    expect(Math.max(...lastDates)).toBeLessThanOrEqual(Math.min(...dates));
  });

  it("signs in to the first screen (folders, quota, the first window) with at most 10 commands on one connection", async () => {
    await stack.mail.seed(fresh!.email, { count: 0, folders: { INBOX: 120 } });
    const client = connectClient(stack.gateway.url, await signIn(stack, fresh!.email, fresh!.password));
    try {
      // What the first screen asks for at once.
      await Promise.all([
        client.client.imap.folders.query(),
        client.client.imap.quota.query(),
        client.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 50 }),
      ]);
      // Past the autoIdleDelay: the one IDLE has started.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const commands = (await rawlogCommands(stack.mail, fresh!.email)).filter((c) => /^\S+ [A-Z]/i.test(c));
      // Dovecot's rawlog starts after login: imapflow's first ID and AUTHENTICATE come before it
      // (the ID in the log is imapflow's second, which no option turns off).
      // imapflow 2.10.2 sends that second ID when the first answer has fewer than two fields
      // (Dovecot's before login), with no option to turn it off: dist/esm/imap-flow.js:1350-1352.
      const verbs = commands.map((c) => c.split(" ")[1]!.toUpperCase());
      expect(verbs).not.toContain("LSUB");
      // The identities are read when compose or Settings needs them, not at sign-in.
      expect(verbs).not.toContain("GETMETADATA");
      expect(verbs.filter((v) => v === "LIST")).toHaveLength(1);
      expect(verbs.filter((v) => v === "IDLE")).toHaveLength(1);
      expect(verbs.filter((v) => v === "FETCH")).toHaveLength(1);
      // The rows first: the quota, asked for at the same moment, goes after their FETCH.
      expect(verbs.indexOf("GETQUOTAROOT"), verbs.join(" ")).toBeGreaterThan(verbs.indexOf("FETCH"));
      // The Inbox is selected before the tree is listed with its counts: the server then answers
      // the Inbox's STATUS from the mailbox already open instead of opening it a second time (on
      // a Maildir, each opening reads the folder's whole UID list). And imapflow's own
      // `LIST "" INBOX` before its SELECT is not sent: one LIST in all.
      expect(verbs.slice(0, 7), verbs.join(" ")).toEqual([
        "ID",
        "NAMESPACE",
        "ENABLE",
        "SELECT",
        "LIST",
        "FETCH",
        "GETQUOTAROOT",
      ]);
      // With the ID and AUTHENTICATE before the rawlog: 10, IDLE included.
      expect(verbs.length + 2, verbs.join(" ")).toBeLessThanOrEqual(10);
    } finally {
      void client.close();
    }
  });

  it("answers a sign-in asked with firstRows with the folder tree and the screen's rows, from the connection's first FETCH", async () => {
    await stack.mail.seed(screen!.email, { count: 0, folders: { INBOX: 120, Archive: 3 } });
    const result = await signInRaw(stack, {
      protocol: "imap",
      email: screen!.email,
      password: screen!.password,
      firstRows: 57,
    });
    expect(result.status).toBe(200);
    const answer = result.body as SignInAnswer;
    expect(answer.account.email).toBe(screen!.email);
    const first = answer.firstScreen!;
    // The Inbox's counts come from the mailbox selected before the listing: the same as the server's.
    const { unseen } = await stack.mail.counts(screen!.email, "INBOX");
    expect(unseen).toBeGreaterThan(0);
    expect(first.folders.find((f) => f.path === "INBOX")).toMatchObject({ messages: 120, unseen });
    expect(first.folders.find((f) => f.path === "Archive")).toMatchObject({ messages: 3 });
    expect(first.window).toMatchObject({ folder: "INBOX", total: 120, offset: 0 });
    expect(first.window!.messages).toHaveLength(57);
    expect(first.window!.messages[0]!.uid).toBeGreaterThan(first.window!.messages[56]!.uid);
    expect(first.conversations).toBeUndefined();
    const client = connectClient(stack.gateway.url, result.cookie!);
    try {
      // The rest of the first screen: the quota, after the rows.
      await client.client.imap.quota.query();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const commands = (await rawlogCommands(stack.mail, screen!.email)).filter((c) => /^\S+ [A-Z]/i.test(c));
      expect(commands.find((c) => /^\S+ FETCH /i.test(c))).toMatch(/FETCH 64:120 /);
      expect(commands.map((c) => c.split(" ")[1]!.toUpperCase())).toEqual([
        "ID",
        "NAMESPACE",
        "ENABLE",
        "SELECT",
        "LIST",
        "FETCH",
        "GETQUOTAROOT",
        "IDLE",
      ]);
    } finally {
      void client.close();
    }
  });

  it("answers a sign-in that lists the Inbox as conversations with its first conversations instead of messages", async () => {
    const result = await signInRaw(stack, {
      protocol: "imap",
      email: small!.email,
      password: small!.password,
      firstRows: 50,
      firstView: "conversations",
    });
    expect(result.status).toBe(200);
    const first = (result.body as SignInAnswer).firstScreen!;
    expect(first.window).toBeUndefined();
    expect(first.folders.find((f) => f.path === "INBOX")).toMatchObject({ messages: 300 });
    const client = connectClient(stack.gateway.url, result.cookie!);
    try {
      // The same window the conversation list asks for itself.
      const asked = await client.client.imap.conversations.query({ folder: "INBOX", offset: 0, limit: 50 });
      expect(first.conversations).toEqual(asked);
      expect(asked.rows).toHaveLength(50);
    } finally {
      void client.close();
    }
  });

  it("opens the first window of a 20,000-message folder with one FETCH of 50, nothing folder-sized, then reads one byte ahead once", async () => {
    const report = await stack.mail.seed(big!.email, { count: 0, folders: { INBOX: 20_000 } });
    expect(report.count).toBe(20_000);
    const { unseen: unseenBefore } = await stack.mail.counts(big!.email, "INBOX");
    const cookie = await signIn(stack, big!.email, big!.password);
    const other = connectClient(stack.gateway.url, cookie);
    try {
      const started = performance.now();
      const w = await other.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 50 });
      const elapsed = performance.now() - started;
      expect(w.total).toBe(20_000);
      expect(w.messages).toHaveLength(50);
      expect(w.messages[0]!.uid).toBeGreaterThan(w.messages[49]!.uid);
      expect(elapsed).toBeLessThan(5000);
      const fetchesOf = async () =>
        (await rawlogCommands(stack.mail, big!.email)).filter((c) => /^\S+ (UID )?FETCH /i.test(c));
      // The window's FETCH, then (a folder of 15,000 or more) one byte of the newest message, so
      // that the first open does not pay the server's first read of the folder's file list.
      await expect.poll(async () => (await fetchesOf()).length, { timeout: 5_000 }).toBe(2);
      const fetches = await fetchesOf();
      expect(fetches[0]).toMatch(/FETCH 19951:20000 /);
      expect(fetches[1]).toMatch(/^\S+ FETCH 20000 \(.*BODY\.PEEK\[\]<0\.1>/i);
      // Once per connection: the next window and an open read nothing more ahead.
      await other.client.imap.list.query({ folder: "INBOX", offset: 50, limit: 50 });
      await other.client.imap.open.query({ folder: "INBOX", uid: w.messages[3]!.uid, peek: true });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await fetchesOf()).filter((c) => /<0\.1>/.test(c))).toHaveLength(1);
      const commands = await rawlogCommands(stack.mail, big!.email);
      // Nothing that touches every message: no SEARCH/SORT, no 1:* ranges.
      expect(
        commands.filter((c) => /^\S+ (UID )?(SEARCH|SORT|THREAD)\b/i.test(c) || /\b1:\*/.test(c)),
      ).toEqual([]);
      // Not \Seen: the byte was peeked.
      expect((await stack.mail.counts(big!.email, "INBOX")).unseen).toBe(unseenBefore);
    } finally {
      void other.close();
    }
  });
});
