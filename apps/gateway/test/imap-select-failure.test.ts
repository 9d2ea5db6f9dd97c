import { chmod, stat } from "node:fs/promises";
import { join } from "node:path";
import { buildMessage } from "@pismo/mail-harness/seed";
import { describe, expect, it } from "vitest";
import {
  collectEvents,
  connectClient,
  imapConnections,
  makeUsers,
  rejectionCode,
  signIn,
  signInRaw,
  useStack,
  waitUntil,
  type TestStack,
} from "./helpers";

/** Makes a folder unselectable the way a broken or foreign-owned maildir is: Dovecot's mail
 * process (the mail uid) can no longer read its `cur` directory, so SELECT answers
 * `NO [SERVERBUG]` while LOGIN still succeeds. Returns the undo. */
async function breakFolder(stack: TestStack, user: string, folder: string): Promise<() => Promise<void>> {
  const maildir = join(stack.mail.dir, "users", user, "Maildir");
  const cur = join(folder === "INBOX" ? maildir : join(maildir, `.${folder}`), "cur");
  const { mode } = await stat(cur);
  await chmod(cur, 0);
  return () => chmod(cur, mode & 0o7777);
}

describe("a SELECT that fails after a successful IMAP login", () => {
  const users = makeUsers(2, { prefix: "sel" });
  const stack = useStack({ mail: { users } });

  it("fails the sign-in with a specific error when the Inbox cannot be opened, and logs that connection out", async () => {
    const u = users[0]!;
    const restore = await breakFolder(stack, u.email, "INBOX");
    try {
      const result = await signInRaw(stack, { protocol: "imap", email: u.email, password: u.password });
      expect(result.status).toBe(502);
      expect(result.cookie).toBeNull();
      expect(result.body.error?.code).toBe("SERVER_REFUSED");
      // No logged-in connection is left behind holding the password and a Dovecot process.
      await waitUntil(
        async () => (await imapConnections(stack.mail, u.email)) === 0,
        5_000,
        () => "Dovecot still holds an IMAP connection of the refused sign-in",
      );
      expect(result.body.error?.message).toMatch(/could not open the Inbox/);
    } finally {
      await restore();
    }
    // Once the Inbox opens again, the same account signs in: the refusal left nothing behind.
    const cookie = await signIn(stack, u.email, u.password);
    expect(cookie).toMatch(/^pismo_session=/);
    expect(await imapConnections(stack.mail, u.email)).toBe(1);
  });

  it("a folder that cannot be selected fails alone: the connection stays usable and IDLE stays on the Inbox", async () => {
    const u = users[1]!;
    await stack.mail.createFolder(u.email, "Arhiva");
    await stack.mail.deliver(
      u.email,
      buildMessage({ from: { name: "", address: "a@example.rs" }, to: u.email, subject: "Stara", text: "x" }),
      { folder: "Arhiva" },
    );
    const cookie = await signIn(stack, u.email, u.password);
    const { client, close } = connectClient(stack.gateway.url, cookie);
    const events = collectEvents(client);
    const restore = await breakFolder(stack, u.email, "Arhiva");
    try {
      await waitUntil(() => events.started);
      // Looking at the broken folder fails with the server's reason, and so does reading it.
      expect((await rejectionCode(() => client.imap.watch.mutate({ folder: "Arhiva" }))).code).toBe(
        "SERVER_REFUSED",
      );
      expect(
        (await rejectionCode(() => client.imap.list.query({ folder: "Arhiva", offset: 0, limit: 10 }))).code,
      ).toBe("SERVER_REFUSED");
      // The same connection goes on serving the other folders.
      expect((await client.imap.list.query({ folder: "INBOX", offset: 0, limit: 10 })).total).toBe(0);
      // And IDLE still listens on the Inbox: a delivery there is pushed.
      const from = events.events.length;
      await stack.mail.deliver(
        u.email,
        buildMessage({
          from: { name: "", address: "a@example.rs" },
          to: u.email,
          subject: "Nova",
          text: "y",
        }),
      );
      await events.waitFor("exists", (e) => e.folder === "INBOX" && e.total === 1, 5_000, from);
      // Neither a reconnect nor a second connection: one Dovecot process for the session.
      expect(await imapConnections(stack.mail, u.email)).toBe(1);
    } finally {
      await restore();
      events.unsubscribe();
      void close();
    }
    // Readable again, the folder opens on the same session.
    const again = connectClient(stack.gateway.url, cookie);
    try {
      expect((await again.client.imap.list.query({ folder: "Arhiva", offset: 0, limit: 10 })).total).toBe(1);
    } finally {
      void again.close();
    }
  });
});
