import { chmod, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  collectEvents,
  connectClient,
  makeUsers,
  signIn,
  startStack,
  testMessage,
  waitUntil,
  type TestStack,
} from "./helpers";

const msg = (subject: string) => testMessage(subject);

/** Makes Dovecot refuse to delete any of the user's folders (but the Inbox, which lives there,
 * stays readable): its mail process may no longer change the Maildir's top directory, where a
 * DELETE renames the folder's directory away (`NO [SERVERBUG]`, EACCES). Returns the undo. */
async function refuseDeletes(stack: TestStack, user: string): Promise<() => Promise<void>> {
  const maildir = join(stack.mail.dir, "users", user, "Maildir");
  const { mode } = await stat(maildir);
  await chmod(maildir, 0o555);
  return () => chmod(maildir, mode & 0o7777);
}

describe("IMAP folders against Dovecot", () => {
  let stack: TestStack;
  const [alice, bob] = makeUsers(2);
  let cookie = "";
  let browser: ReturnType<typeof connectClient>;
  beforeAll(async () => {
    stack = await startStack({ mail: { users: [alice!, bob!] } });
    await stack.mail.deliver(alice!.email, msg("one"));
    await stack.mail.deliver(alice!.email, msg("two"));
    await stack.mail.deliver(alice!.email, msg("three"), { flags: ["\\Seen"] });
    await stack.mail.deliver(alice!.email, msg("in trash"), { folder: "Trash" });
    await stack.mail.createFolder(alice!.email, "Zadaci");
    cookie = await signIn(stack, alice!.email, alice!.password);
    browser = connectClient(stack.gateway.url, cookie);
  });
  afterAll(async () => {
    void browser?.close();
    await stack?.stop();
  });

  const serverFolders = async (user: string, subscribedOnly = false) =>
    (await stack.mail.doveadm(["mailbox", "list", "-u", user, ...(subscribedOnly ? ["-s"] : [])]))
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);

  it("lists the tree with the special-use folders first and the counts", async () => {
    const folders = await browser.client.imap.folders.query();
    expect(folders.slice(0, 6).map((f) => f.specialUse)).toEqual([
      "inbox",
      "drafts",
      "sent",
      "archive",
      "junk",
      "trash",
    ]);
    expect(folders.slice(0, 6).map((f) => f.path)).toEqual([
      "INBOX",
      "Drafts",
      "Sent",
      "Archive",
      "Junk",
      "Trash",
    ]);
    const inbox = folders.find((f) => f.path === "INBOX");
    expect(inbox).toMatchObject({
      messages: 3,
      unseen: 2,
      selectable: true,
      subscribed: true,
      delimiter: "/",
    });
    expect(folders.find((f) => f.path === "Trash")).toMatchObject({ messages: 1, unseen: 1 });
    expect(folders.find((f) => f.path === "Zadaci")).toMatchObject({
      specialUse: null,
      messages: 0,
      unseen: 0,
    });
  });

  it("creates folders with non-ASCII names and children, on the server", async () => {
    expect(await browser.client.imap.createFolder.mutate({ parentPath: null, name: "Računi" })).toBe(
      "Računi",
    );
    expect(await browser.client.imap.createFolder.mutate({ parentPath: "Računi", name: "2026" })).toBe(
      "Računi/2026",
    );
    const folders = await browser.client.imap.folders.query();
    expect(folders.find((f) => f.path === "Računi")).toMatchObject({
      name: "Računi",
      parentPath: "",
      subscribed: true,
      selectable: true,
    });
    expect(folders.find((f) => f.path === "Računi/2026")).toMatchObject({
      name: "2026",
      parentPath: "Računi",
      subscribed: true,
    });
    const onServer = await serverFolders(alice!.email);
    expect(onServer).toEqual(expect.arrayContaining(["Računi", "Računi/2026"]));
    // A folder name with the delimiter is refused with a clear code.
    await expect(
      browser.client.imap.createFolder.mutate({ parentPath: null, name: "a/b" }),
    ).rejects.toMatchObject({ data: { mailCode: "BAD_INPUT" } });
    // Creating what exists already is refused by the server, not an internal error.
    await expect(
      browser.client.imap.createFolder.mutate({ parentPath: null, name: "Računi" }),
    ).rejects.toMatchObject({ data: { mailCode: expect.not.stringMatching(/INTERNAL/) } });
  });

  it("renames and deletes folders", async () => {
    await browser.client.imap.createFolder.mutate({ parentPath: null, name: "Projekti" });
    expect(
      await browser.client.imap.renameFolder.mutate({ path: "Projekti", newName: "Projekti 2026 čćž" }),
    ).toBe("Projekti 2026 čćž");
    let onServer = await serverFolders(alice!.email);
    expect(onServer).toContain("Projekti 2026 čćž");
    expect(onServer).not.toContain("Projekti");
    // A child keeps its parent on rename.
    expect(
      await browser.client.imap.renameFolder.mutate({ path: "Računi/2026", newName: "Godina 2026" }),
    ).toBe("Računi/Godina 2026");
    await browser.client.imap.deleteFolder.mutate({ path: "Projekti 2026 čćž" });
    onServer = await serverFolders(alice!.email);
    expect(onServer).not.toContain("Projekti 2026 čćž");
    expect(onServer).toContain("Računi/Godina 2026");
    const folders = await browser.client.imap.folders.query();
    expect(folders.map((f) => f.path)).not.toContain("Projekti 2026 čćž");
    await expect(
      browser.client.imap.renameFolder.mutate({ path: "INBOX", newName: "X" }),
    ).rejects.toMatchObject({ data: { mailCode: "BAD_INPUT" } });
    await expect(browser.client.imap.deleteFolder.mutate({ path: "Nema ga" })).rejects.toMatchObject({
      data: { mailCode: expect.stringMatching(/NOT_FOUND|SERVER_REFUSED/) },
    });
  });

  // The app hides a folder that is not subscribed: a delete the server refuses (NO [NOPERM],
  // [HASCHILDREN]) must leave the subscription as it was, not hide a folder still there. Dovecot's
  // Maildir++ deletes whatever it may; one it refuses is a subscription with no folder behind it.
  it("leaves the subscription of a folder it could not delete", async () => {
    await stack.mail.doveadm(["mailbox", "subscribe", "-u", alice!.email, "Nestao"]);
    expect(await serverFolders(alice!.email, true)).toContain("Nestao");
    await expect(browser.client.imap.deleteFolder.mutate({ path: "Nestao" })).rejects.toMatchObject({
      data: { mailCode: expect.stringMatching(/NOT_FOUND|SERVER_REFUSED/) },
    });
    expect(await serverFolders(alice!.email, true)).toContain("Nestao");
    await stack.mail.doveadm(["mailbox", "unsubscribe", "-u", alice!.email, "Nestao"]);
  });

  // The folder stops being watched only once the server deleted (or renamed) it: refused, its
  // pages still hear of its mail at once (IDLE), not only from the counts' refresh (every 20 s,
  // and a count, not the new message) or once the folder is opened again.
  it("keeps watching a folder it could not delete or rename", async () => {
    await stack.mail.createFolder(alice!.email, "Ostaje");
    await stack.mail.createFolder(alice!.email, "Zauzeto");
    const events = collectEvents(browser.client);
    try {
      await waitUntil(
        () => events.started,
        10_000,
        () => "subscription did not start",
      );
      await browser.client.imap.watch.mutate({ folder: "Ostaje" });
      const restore = await refuseDeletes(stack, alice!.email);
      try {
        await expect(browser.client.imap.deleteFolder.mutate({ path: "Ostaje" })).rejects.toMatchObject({
          data: { mailCode: "SERVER_REFUSED" },
        });
      } finally {
        await restore();
      }
      expect(await serverFolders(alice!.email)).toContain("Ostaje");
      let from = events.events.length;
      await stack.mail.deliver(alice!.email, msg("posle odbijenog brisanja"), { folder: "Ostaje" });
      await events.waitFor("exists", (e) => e.folder === "Ostaje" && e.total === 1, 5000, from);
      // The same for a rename the server refuses ([ALREADYEXISTS]).
      await expect(
        browser.client.imap.renameFolder.mutate({ path: "Ostaje", newName: "Zauzeto" }),
      ).rejects.toMatchObject({ data: { mailCode: "SERVER_REFUSED" } });
      from = events.events.length;
      await stack.mail.deliver(alice!.email, msg("posle odbijenog preimenovanja"), { folder: "Ostaje" });
      await events.waitFor("exists", (e) => e.folder === "Ostaje" && e.total === 2, 5000, from);
    } finally {
      events.unsubscribe();
      await browser.client.imap.watch.mutate({ folder: "INBOX" });
    }
  });

  // Renaming a folder above the watched one ("Posao" while "Posao/2026" is open) renames the
  // watched one too: the watch follows it to its new path, where its mail is heard at once. Left
  // on the old path, Dovecot ended the connection (BYE) and the reconnect fell back to the Inbox.
  it("follows the watched folder when a folder above it is renamed or deleted", async () => {
    await browser.client.imap.createFolder.mutate({ parentPath: null, name: "Posao" });
    await browser.client.imap.createFolder.mutate({ parentPath: "Posao", name: "2026" });
    await browser.client.imap.createFolder.mutate({ parentPath: null, name: "Rad2" });
    const events = collectEvents(browser.client);
    try {
      await waitUntil(
        () => events.started,
        10_000,
        () => "subscription did not start",
      );
      await browser.client.imap.watch.mutate({ folder: "Posao/2026" });
      expect(await browser.client.imap.renameFolder.mutate({ path: "Posao", newName: "Rad" })).toBe("Rad");
      expect(await serverFolders(alice!.email)).toEqual(expect.arrayContaining(["Rad", "Rad/2026"]));
      let from = events.events.length;
      await stack.mail.deliver(alice!.email, msg("u preimenovanoj"), { folder: "Rad/2026" });
      await events.waitFor("exists", (e) => e.folder === "Rad/2026" && e.total === 1, 5000, from);

      // A folder whose name only begins with the renamed one's is not under it: watched as it was.
      await browser.client.imap.watch.mutate({ folder: "Rad2" });
      expect(await browser.client.imap.renameFolder.mutate({ path: "Rad", newName: "Posao" })).toBe("Posao");
      from = events.events.length;
      await stack.mail.deliver(alice!.email, msg("u sličnom imenu"), { folder: "Rad2" });
      await events.waitFor("exists", (e) => e.folder === "Rad2" && e.total === 1, 5000, from);

      // Dovecot deletes a folder alone and keeps those under it: the one watched stays watched.
      await browser.client.imap.watch.mutate({ folder: "Posao/2026" });
      await browser.client.imap.deleteFolder.mutate({ path: "Posao" });
      expect(await serverFolders(alice!.email)).toContain("Posao/2026");
      from = events.events.length;
      await stack.mail.deliver(alice!.email, msg("posle brisanja iznad"), { folder: "Posao/2026" });
      await events.waitFor("exists", (e) => e.folder === "Posao/2026" && e.total === 2, 5000, from);
      // All of it on the one connection: none was lost and made again.
      expect(events.events.filter((e) => e.type === "connection")).toEqual([]);
    } finally {
      events.unsubscribe();
      await browser.client.imap.watch.mutate({ folder: "INBOX" });
    }
  });

  it("subscribes and unsubscribes", async () => {
    await browser.client.imap.setSubscribed.mutate({ path: "Zadaci", subscribed: false });
    expect((await browser.client.imap.folders.query()).find((f) => f.path === "Zadaci")?.subscribed).toBe(
      false,
    );
    expect(await serverFolders(alice!.email, true)).not.toContain("Zadaci");
    await browser.client.imap.setSubscribed.mutate({ path: "Zadaci", subscribed: true });
    expect((await browser.client.imap.folders.query()).find((f) => f.path === "Zadaci")?.subscribed).toBe(
      true,
    );
    expect(await serverFolders(alice!.email, true)).toContain("Zadaci");
  });

  it("tells another session of the same account at once when a folder is made", async () => {
    const otherCookie = await signIn(stack, alice!.email, alice!.password);
    const other = connectClient(stack.gateway.url, otherCookie);
    // A session of another account must not hear of it.
    const stranger = connectClient(stack.gateway.url, await signIn(stack, bob!.email, bob!.password));
    const events = collectEvents(other.client);
    const strangerEvents = collectEvents(stranger.client);
    try {
      await waitUntil(
        () => events.started && strangerEvents.started,
        10_000,
        () => "subscriptions did not start",
      );
      const before = events.events.length;
      await browser.client.imap.createFolder.mutate({ parentPath: null, name: "Novo" });
      await events.waitFor("folders", () => true, 5000, before);
      expect((await other.client.imap.folders.query()).map((f) => f.path)).toContain("Novo");
      await new Promise((r) => setTimeout(r, 200));
      expect(strangerEvents.events.filter((e) => e.type === "folders")).toEqual([]);
    } finally {
      events.unsubscribe();
      strangerEvents.unsubscribe();
      void other.close();
      void stranger.close();
    }
  });
});
