import { buildMessage } from "@pismo/mail-harness/seed";
import type { ImapSearchEvent, ImapSearchInput } from "@pismo/protocol/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

const from = "Ana Petrovic <ana@example.org>";

/** Runs a search to its end (or until `stopAfter` events) and returns what it streamed. */
function runSearch(
  client: TestClient,
  input: Partial<ImapSearchInput> & { text: string },
  stopAfter = Infinity,
): Promise<ImapSearchEvent[]> {
  return new Promise((resolve, reject) => {
    const events: ImapSearchEvent[] = [];
    const sub = client.imap.search.subscribe(
      { now: Date.now(), currentFolder: "INBOX", ...input },
      {
        onData: (event) => {
          events.push(event as ImapSearchEvent);
          if (events.length >= stopAfter) {
            sub.unsubscribe();
            resolve(events);
          }
        },
        onError: reject,
        onComplete: () => resolve(events),
      },
    );
  });
}

const found = (events: ImapSearchEvent[]) =>
  events.flatMap((e) => (e.type === "folder" ? e.uids.map((uid) => ({ folder: e.folder, uid })) : []));

function describeSearch(fts: boolean) {
  describe(`IMAP search against Dovecot (${fts ? "with" : "without"} full-text index)`, () => {
    let stack: TestStack;
    const [user] = makeUsers(1);
    let browser: ReturnType<typeof connectClient>;

    beforeAll(async () => {
      stack = await startStack({ mail: { users: [user!], fts, rawlog: true } });
      const u = user!.email;
      await stack.mail.createFolder(u, "Računi");
      await stack.mail.deliver(
        u,
        buildMessage({ from, to: u, subject: "Sastanak", text: "Vidimo se sutra.\r\n" }),
      );
      await stack.mail.deliver(
        u,
        buildMessage({
          from: "bob@example.org",
          to: u,
          subject: "Pozdrav",
          text: "Ово је писмо из Београда.\r\n",
        }),
      );
      await stack.mail.deliver(
        u,
        buildMessage({
          from: "bob@example.org",
          to: u,
          subject: "Prilog",
          text: "U prilogu.",
          attachments: [
            { filename: "a.bin", contentType: "application/octet-stream", content: "x".repeat(1_200_000) },
          ],
        }),
      );
      await stack.mail.deliver(
        u,
        buildMessage({
          from: "eva@example.org",
          to: u,
          subject: "Faktura",
          text: "Ugovor broj 7 je potpisan.\r\n",
        }),
        { folder: "Računi" },
      );
      // Received at 00:30 on 30 November in Belgrade: 29 November in UTC.
      await stack.mail.createFolder(u, "Datumi");
      await stack.mail.deliver(
        u,
        buildMessage({ from: "eva@example.org", to: u, subject: "Ponoc", text: "z\r\n" }),
        {
          folder: "Datumi",
          date: new Date(Date.UTC(2026, 10, 29, 23, 30)),
        },
      );
      // đ written as đ and as ASCII "dj": servers fold š to s, not đ to dj.
      await stack.mail.deliver(
        u,
        buildMessage({ from: "eva@example.org", to: u, subject: "Đorđe i ponuda", text: "x\r\n" }),
      );
      await stack.mail.deliver(
        u,
        buildMessage({ from: "eva@example.org", to: u, subject: "Djordje salje", text: "y\r\n" }),
      );
      // A folder with nothing in it: searching every folder answers it without opening it.
      await stack.mail.createFolder(u, "Prazno");
      browser = connectClient(stack.gateway.url, await signIn(stack, u, user!.password));
    }, 60_000);
    afterAll(async () => {
      void browser?.close();
      await stack?.stop();
    });

    it("finds by sender in the current folder, without dates", async () => {
      const events = await runSearch(browser.client, { text: "from:petrovic" });
      expect(events[0]).toMatchObject({ type: "plan", folders: ["INBOX"] });
      expect(found(events)).toEqual([{ folder: "INBOX", uid: 1 }]);
      expect(events.find((e) => e.type === "folder")).toMatchObject({ dates: [] });
      expect(events.at(-1)).toEqual({ type: "done" });
    });

    it("finds a body word in another folder with in:all, with dates to merge", async () => {
      const events = await runSearch(browser.client, { text: "in:all ugovor" });
      const plan = events[0];
      expect(plan?.type === "plan" && plan.folders[0]).toBe("INBOX");
      expect(found(events)).toEqual([{ folder: "Računi", uid: 1 }]);
      const folder = events.find((e) => e.type === "folder" && e.folder === "Računi");
      expect(folder?.type === "folder" && folder.dates[0]).toBeGreaterThan(0);
    });

    it("selects the watched Inbox again once after searching every folder, not between folders", async () => {
      const selectsIn = (lines: string[]) =>
        lines.filter((l) => /^\S+ (SELECT|EXAMINE) "?INBOX"?/i.test(l)).length;
      const inboxSelects = async () => selectsIn(await rawlogCommands(stack.mail, user!.email));
      // The previous test's search returned to the Inbox after its last answer, so its SELECT may
      // not be sent yet. Commands wait for the connection in the order they were asked for: a
      // search in the Inbox answered here comes after that SELECT. Dovecot writes its log a
      // little late: the count is read once it has stopped changing.
      await runSearch(browser.client, { text: "from:petrovic" });
      const before = selectsIn(await rawlogSettled(stack.mail, user!.email));
      const events = await runSearch(browser.client, { text: "in:all zzzneponovljivo" });
      const plan = events[0];
      expect(plan?.type === "plan" && plan.folders.length).toBeGreaterThan(2);
      // The return to the Inbox runs after the search's last answer: wait for it to be logged.
      await expect.poll(inboxSelects, { timeout: 5_000 }).toBe(before + 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await inboxSelects()).toBe(before + 1);
    });

    it("answers a folder listed empty without opening it, under the UIDVALIDITY it was listed with", async () => {
      const opened = async () =>
        (await rawlogSettled(stack.mail, user!.email)).filter((l) =>
          /^\S+ (SELECT|EXAMINE) "?Prazno"?$/i.test(l),
        ).length;
      const before = await opened();
      const events = await runSearch(browser.client, { text: "in:all ugovor" });
      const plan = events[0];
      expect(plan?.type === "plan" && plan.folders).toContain("Prazno");
      const empty = events.find((e) => e.type === "folder" && e.folder === "Prazno");
      expect(empty).toMatchObject({ uids: [], dates: [], rows: [] });
      expect(found(events)).toEqual([{ folder: "Računi", uid: 1 }]);
      // Every folder counted as searched, the empty one included.
      const answers = events.filter((e) => e.type === "folder");
      expect(answers.map((e) => e.type === "folder" && e.searched)).toEqual(answers.map((_, i) => i + 1));
      expect(plan?.type === "plan" && plan.folders.length).toBe(answers.length);
      expect(events.at(-1)).toEqual({ type: "done" });
      expect(await opened()).toBe(before);
      const listed = await browser.client.imap.list.query({ folder: "Prazno", offset: 0, limit: 50 });
      expect(empty?.type === "folder" && empty.uidValidity).toBe(listed.uidValidity);
    });

    it("merges folders by each match's own INTERNALDATE", async () => {
      const events = await runSearch(browser.client, { text: "in:all subject:ponoc" });
      const datumi = events.find((e) => e.type === "folder" && e.folder === "Datumi");
      expect(datumi).toMatchObject({ uids: [1], dates: [Date.UTC(2026, 10, 29, 23, 30)] });
      const inbox = await runSearch(browser.client, { text: "in:all from:eva" });
      const dates = inbox.flatMap((e) => (e.type === "folder" ? e.dates : []));
      expect(dates).toHaveLength(4);
      // Delivered during this run (Inbox, Računi) or on the date given (Datumi).
      for (const d of dates)
        expect(d === Date.UTC(2026, 10, 29, 23, 30) || Date.now() - d < 600_000).toBe(true);
    });

    it("finds Cyrillic text with a Latin query", async () => {
      expect(found(await runSearch(browser.client, { text: "beograd" }))).toEqual([
        { folder: "INBOX", uid: 2 },
      ]);
    });

    it("finds đ written either way, in either script", async () => {
      const both = [
        { folder: "INBOX", uid: 4 },
        { folder: "INBOX", uid: 5 },
      ];
      for (const text of ["subject:djordje", "subject:Đorđe", "subject:Ђорђе"])
        expect(
          found(await runSearch(browser.client, { text })).sort((a, b) => a.uid - b.uid),
          text,
        ).toEqual(both);
    });

    it("starts a day at the user's midnight (WITHIN), not at UTC's", async () => {
      const inDatumi = (text: string, timeZone?: string) =>
        runSearch(browser.client, { text: `in:Datumi ${text}`, ...(timeZone ? { timeZone } : {}) }).then(
          found,
        );
      expect(await inDatumi("after:30.11.2026.", "Europe/Belgrade")).toEqual([{ folder: "Datumi", uid: 1 }]);
      expect(await inDatumi("before:30.11.2026.", "Europe/Belgrade")).toEqual([]);
      expect(await inDatumi("after:30.11.2026.", "America/New_York")).toEqual([]);
      // Without the browser's zone, the day is UTC's: the message is on the 29th.
      expect(await inDatumi("before:30.11.2026.")).toEqual([{ folder: "Datumi", uid: 1 }]);
    });

    it("refines has:attachment by structure and combines it with larger:", async () => {
      expect(found(await runSearch(browser.client, { text: "has:attachment larger:1M" }))).toEqual([
        { folder: "INBOX", uid: 3 },
      ]);
      expect(found(await runSearch(browser.client, { text: "-has:attachment" })).map((r) => r.uid)).toEqual([
        5, 4, 2, 1,
      ]);
      // Both side by side: no message has an attachment and lacks one.
      expect(found(await runSearch(browser.client, { text: "has:attachment -has:attachment" }))).toEqual([]);
    });

    it("stops before the next folder when the browser unsubscribes", async () => {
      const events = await runSearch(browser.client, { text: "in:all a" }, 2);
      expect(events.map((e) => e.type)).toEqual(["plan", "folder"]);
    });

    it("takes in: by the name the UI shows a folder, and by its special use", async () => {
      const planOf = async (text: string, folderLabels?: { path: string; label: string }[]) => {
        const [plan] = await runSearch(
          browser.client,
          { text, ...(folderLabels ? { folderLabels } : {}) },
          1,
        );
        return plan?.type === "plan" ? plan.folders : null;
      };
      expect(await planOf('in:"Prijemno sanduče" x', [{ path: "INBOX", label: "Prijemno sanduče" }])).toEqual(
        ["INBOX"],
      );
      expect(await planOf("in:Poslato x", [{ path: "Sent", label: "Poslato" }])).toEqual(["Sent"]);
      expect(await planOf("in:trash x")).toEqual(["Trash"]);
      await expect(planOf("in:Poslato x")).rejects.toThrow(/no folder called/);
    });

    it("names a folder that does not exist, and returns rows for results", async () => {
      await expect(runSearch(browser.client, { text: "in:Nema x" })).rejects.toThrow(/no folder called/);
      const rows = await browser.client.imap.searchRows.query({
        refs: [
          { folder: "Računi", uid: 1 },
          { folder: "INBOX", uid: 1 },
        ],
      });
      expect(rows.map((r) => [r.folder, r.subject])).toEqual([
        ["Računi", "Faktura"],
        ["INBOX", "Sastanak"],
      ]);
    });

    // Last: it adds a folder, which the searches of every folder above would count.
    it("names the folder's UIDVALIDITY in each answer and row, the new one once the folder is made again", async () => {
      const u = user!.email;
      const listed = await browser.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 50 });
      const events = await runSearch(browser.client, { text: "from:petrovic" });
      const inbox = events.find((e) => e.type === "folder");
      expect(inbox).toMatchObject({ folder: "INBOX", uids: [1], uidValidity: listed.uidValidity });
      expect(inbox?.type === "folder" && inbox.rows?.map((r) => [r.uid, r.uidValidity])).toEqual([
        [1, listed.uidValidity],
      ]);
      const rows = await browser.client.imap.searchRows.query({ refs: [{ folder: "INBOX", uid: 1 }] });
      expect(rows.map((r) => r.uidValidity)).toEqual([listed.uidValidity]);

      // Another device deletes a folder and makes one of the same name: new mail at the same UID.
      const inObnova = async () => {
        const answer = (await runSearch(browser.client, { text: "in:Obnova subject:obnova" })).find(
          (e) => e.type === "folder",
        );
        if (answer?.type !== "folder") throw new Error("Obnova was not searched");
        const [row] = await browser.client.imap.searchRows.query({ refs: [{ folder: "Obnova", uid: 1 }] });
        return { uids: answer.uids, uidValidity: answer.uidValidity, row };
      };
      await stack.mail.createFolder(u, "Obnova");
      await stack.mail.save(u, buildMessage({ from, to: u, subject: "Obnova stara", text: "s\r\n" }), {
        folder: "Obnova",
      });
      const before = await inObnova();
      // Back in the Inbox (asked after the reselect the search queued), as a page that searched
      // is by the time another device deletes the folder: Dovecot drops a session that has it selected.
      await browser.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 50 });
      await stack.mail.doveadm(["mailbox", "delete", "-u", u, "Obnova"]);
      await stack.mail.createFolder(u, "Obnova");
      await stack.mail.save(u, buildMessage({ from, to: u, subject: "Obnova nova", text: "n\r\n" }), {
        folder: "Obnova",
      });
      const after = await inObnova();
      expect(after.uids).toEqual(before.uids);
      expect(after.uidValidity).not.toBe(before.uidValidity);
      const now = await browser.client.imap.list.query({ folder: "Obnova", offset: 0, limit: 50 });
      expect(after.uidValidity).toBe(now.uidValidity);
      expect(before.row).toMatchObject({ subject: "Obnova stara", uidValidity: before.uidValidity });
      expect(after.row).toMatchObject({ subject: "Obnova nova", uidValidity: now.uidValidity });
    });
  });
}

describeSearch(true);
describeSearch(false);
