import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMessage } from "@pismo/mail-harness/seed";
import { connectClient, makeUsers, signIn, startStack, type TestStack } from "./helpers";

// Dovecot holds what happened to the folder the session idles in for about half a second, and
// tells it when IDLE ends: for the list's own FETCH, after the gateway cut the window from the
// count it had. The answer is then read again from what the server told with it, so that a
// window asked for right after mail came is not one the page must wait for an event to correct
// (an event it may never get, a push lost on the way).
describe("a window of the folder the session idles in, asked for right after mail came", () => {
  let stack: TestStack;
  const [user] = makeUsers(1);
  beforeAll(async () => {
    stack = await startStack({ mail: { users: [user!] } });
    await stack.mail.seed(user!.email, { count: 0, folders: { INBOX: 5 } });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("counts the new mail and lists it first", async () => {
    const browser = connectClient(stack.gateway.url, await signIn(stack, user!.email, user!.password));
    try {
      const before = await browser.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 50 });
      expect(before.total).toBe(5);
      // Long enough for the session to be idling in the Inbox again.
      await new Promise((r) => setTimeout(r, 300));
      for (const subject of ["Kasno 1", "Kasno 2", "Kasno 3"])
        await stack.mail.save(
          user!.email,
          buildMessage({ from: "a@primer.rs", to: user!.email, subject, text: subject }),
        );
      const after = await browser.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 50 });
      expect(after.total).toBe(8);
      expect(after.messages.map((m) => m.subject).slice(0, 3)).toEqual(["Kasno 3", "Kasno 2", "Kasno 1"]);
      expect(after.messages).toHaveLength(8);
    } finally {
      void browser.close();
    }
  });
});
