import { describe, expect, it } from "vitest";
import { newUser, rejectionCode, signedInClient, testMessage, useStack } from "./helpers";

/**
 * UIDs name messages only together with the folder's UIDVALIDITY (RFC 9051 §2.3.1.1). A folder
 * deleted and made again on another device starts its UIDs over, so a screen listed before
 * names other messages by the same UIDs: what it asks is refused (FOLDER_CHANGED) and nothing
 * on the server changes; asked with the folder's UIDVALIDITY now, it is done.
 */
describe("actions carry the folder's UIDVALIDITY", () => {
  const stack = useStack();

  it("refuses every action named with the UIDVALIDITY of a folder made again since, and does the same with the new one", async () => {
    const user = await newUser(stack, { prefix: "uidv" });
    const mail = stack.mail;
    await mail.createFolder(user.email, "Work");
    for (const subject of ["Stara 1", "Stara 2", "Stara 3"])
      await mail.save(user.email, testMessage(subject), { folder: "Work" });
    const browser = await signedInClient(stack, user);
    try {
      const client = browser.client;
      const before = await client.imap.list.query({ folder: "Work", offset: 0, limit: 50 });
      const stale = before.uidValidity;
      const uids = before.messages.map((m) => m.uid).sort((a, b) => a - b);
      expect(uids).toEqual([1, 2, 3]);

      // Another device deletes the folder and makes one of the same name: new mail, same UIDs.
      await mail.doveadm(["mailbox", "delete", "-u", user.email, "Work"]);
      await mail.createFolder(user.email, "Work");
      for (const subject of ["Nova 1", "Nova 2", "Nova 3"])
        await mail.save(user.email, testMessage(subject), { folder: "Work" });
      const after = await client.imap.list.query({ folder: "Work", offset: 0, limit: 50 });
      expect(after.uidValidity).not.toBe(stale);
      expect(after.messages.map((m) => m.uid).sort((a, b) => a - b)).toEqual(uids);
      const inboxBefore = (await mail.counts(user.email, "INBOX")).messages;

      const refused = async (what: string, fn: () => Promise<unknown>) =>
        expect((await rejectionCode(fn)).code, what).toBe("FOLDER_CHANGED");
      const at = { folder: "Work", uids, uidValidity: stale };
      await refused("delete", () => client.actions.act.mutate({ kind: "delete", ...at }));
      await refused("move", () => client.actions.act.mutate({ kind: "move", ...at, to: "INBOX" }));
      await refused("archive", () => client.actions.act.mutate({ kind: "archive", ...at }));
      await refused("spam", () => client.actions.act.mutate({ kind: "spam", ...at, spam: true }));
      await refused("remove", () => client.imap.remove.mutate(at));
      await refused("imap.move", () => client.imap.move.mutate({ ...at, to: "INBOX" }));
      await refused("copy", () => client.imap.copy.mutate({ ...at, to: "INBOX" }));
      await refused("flags", () => client.imap.setFlags.mutate({ ...at, seen: true, flagged: true }));
      await refused("open", () =>
        client.imap.open.query({ folder: "Work", uid: 1, peek: false, uidValidity: stale }),
      );

      // Nothing changed: the new messages are all there, unread and unflagged, none went anywhere.
      const kept = await client.imap.list.query({ folder: "Work", offset: 0, limit: 50 });
      expect(kept.messages.map((m) => m.subject).sort()).toEqual(["Nova 1", "Nova 2", "Nova 3"]);
      expect(kept.messages.some((m) => m.seen || m.flagged)).toBe(false);
      expect(await mail.counts(user.email, "Work")).toMatchObject({ messages: 3, unseen: 3 });
      expect((await mail.counts(user.email, "INBOX")).messages).toBe(inboxBefore);

      // With the folder's UIDVALIDITY now, and without one (an older page), the same is done.
      const now = after.uidValidity;
      await client.imap.setFlags.mutate({ folder: "Work", uids: [1], flagged: true, uidValidity: now });
      await client.imap.setFlags.mutate({ folder: "Work", uids: [2], flagged: true });
      const opened = await client.imap.open.query({ folder: "Work", uid: 3, peek: true, uidValidity: now });
      expect(opened.subject).toBe("Nova 3");
      const moved = await client.actions.act.mutate({
        kind: "move",
        folder: "Work",
        uids: [1, 2],
        to: "INBOX",
        uidValidity: now,
      });
      expect(moved.moved.map((m) => m.uid)).toEqual([1, 2]);
      expect(await mail.counts(user.email, "Work")).toMatchObject({ messages: 1 });
      expect((await mail.counts(user.email, "INBOX")).messages).toBe(inboxBefore + 2);
    } finally {
      await browser.close();
    }
  });
});
