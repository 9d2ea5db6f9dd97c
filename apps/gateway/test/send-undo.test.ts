import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { emptyDraft, type Draft } from "@pismo/protocol/compose";
import { randomId } from "@pismo/protocol/ids";
import { gatewayEnv, startRedis } from "@pismo/mail-harness";
import { readConfig } from "../src/env";
import { startGateway, type Gateway } from "../src/gateway";
import { createLogger } from "../src/log";
import {
  connectClient,
  newUser,
  signIn,
  signInRaw,
  signOut,
  startStack,
  uploadFile,
  useStack,
  waitUntil,
  type TestStack,
} from "./helpers";

/** What a mailbox holds, as doveadm reads it ("" when the folder does not exist yet). */
const headers = (stack: TestStack, email: string, mailbox: string) =>
  stack.mail.doveadm(["fetch", "-u", email, "hdr", "mailbox", mailbox]).catch(() => "");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Undo send: the gateway holds a message for the user's delay, keyed by the session, against
 * the private Postfix + Dovecot. */
describe("undo send against Postfix + Dovecot", () => {
  const stack = useStack({ mail: { smtp: true } });

  async function imapSession(user: { email: string; password: string }) {
    const cookie = await signIn(stack, user.email, user.password);
    return { cookie, ...connectClient(stack.gateway.url, cookie) };
  }

  it("IMAP: Undo before the deadline sends nothing and gives the draft back, attachment and all", async () => {
    const alice = await newUser(stack, { prefix: "undo" });
    const bob = await newUser(stack, { prefix: "rcpt" });
    const a = await imapSession(alice);
    try {
      const bytes = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7) % 256));
      const file = await uploadFile(stack, a.cookie, "plan.bin", bytes);
      const draft: Draft = {
        ...emptyDraft(),
        to: [{ name: "Bob", address: bob.email }],
        cc: [],
        subject: "Predomislio sam se",
        text: "Ovo ne treba da ode.",
        attachments: [
          {
            kind: "upload",
            id: file.id,
            filename: "plan.bin",
            contentType: "application/octet-stream",
            size: file.size,
          },
        ],
      };
      const held = await a.client.compose.sendLater.mutate({
        id: randomId(),
        draft,
        draftUid: null,
        answering: null,
        delaySeconds: 2,
      });
      expect(held.sendAt).toBeGreaterThan(Date.now());
      const outcome = a.client.compose.sendOutcome.mutate({ id: held.id });
      const undone = await a.client.compose.cancelSend.mutate({ id: held.id });
      expect(undone).toEqual({ state: "cancelled", draft });
      expect(await outcome).toEqual({ state: "cancelled", result: null });
      // Past the deadline: nothing went out, and no Sent copy was filed.
      await sleep(3000);
      expect(await headers(stack, bob.email, "INBOX")).not.toContain("Predomislio");
      expect(await headers(stack, alice.email, "Sent")).not.toContain("Predomislio");

      // The draft that came back still works: its upload was kept. Sent again, it goes out once.
      const again = await a.client.compose.sendLater.mutate({
        id: randomId(),
        draft,
        draftUid: null,
        answering: null,
        delaySeconds: 1,
      });
      // Asked a second time under the same id (a retry), it is refused, not held twice.
      await expect(
        a.client.compose.sendLater.mutate({
          id: again.id,
          draft,
          draftUid: null,
          answering: null,
          delaySeconds: 1,
        }),
      ).rejects.toMatchObject({ data: { mailCode: "BAD_INPUT" } });
      const sent = await a.client.compose.sendOutcome.mutate({ id: again.id });
      expect(sent.state).toBe("sent");
      expect(sent.result?.raw).toBeNull();
      await waitUntil(
        async () => (await headers(stack, bob.email, "INBOX")).includes("Predomislio"),
        10_000,
        () => "bob got nothing",
      );
      expect(await headers(stack, alice.email, "Sent")).toContain(sent.result?.messageId ?? "?");
      // A late Undo is told plainly that it went.
      expect(await a.client.compose.cancelSend.mutate({ id: again.id })).toEqual({
        state: "sent",
        draft: null,
      });
      const count = (await stack.mail.doveadm(["search", "-u", bob.email, "mailbox", "INBOX", "ALL"]))
        .trim()
        .split("\n")
        .filter(Boolean).length;
      expect(count).toBe(1);
    } finally {
      void a.close();
    }
  });

  it("a held send refused at delivery gives the draft back with its upload still there: sent again, it goes", async () => {
    const alice = await newUser(stack, { prefix: "refused" });
    const bob = await newUser(stack, { prefix: "rcpt" });
    const a = await imapSession(alice);
    try {
      const bytes = Buffer.from("prilog koji mora da preživi odbijeno slanje");
      const file = await uploadFile(stack, a.cookie, "plan.txt", bytes);
      const draft: Draft = {
        ...emptyDraft(),
        to: [{ name: "", address: "nobody@pismo.test" }],
        subject: "Odbijeno pa ponovo",
        text: "Drugi put na pravu adresu.",
        attachments: [
          { kind: "upload", id: file.id, filename: "plan.txt", contentType: "text/plain", size: file.size },
        ],
      };
      const held = await a.client.compose.sendLater.mutate({
        id: randomId(),
        draft,
        draftUid: null,
        answering: null,
        delaySeconds: 1,
      });
      await expect(a.client.compose.sendOutcome.mutate({ id: held.id })).rejects.toMatchObject({
        data: { mailCode: "RECIPIENT_REFUSED" },
      });
      // The address mended in the form, Send again: the file it uploaded before goes with it.
      const mended = { ...draft, to: [{ name: "", address: bob.email }] };
      const again = await a.client.compose.sendLater.mutate({
        id: randomId(),
        draft: mended,
        draftUid: null,
        answering: null,
        delaySeconds: 1,
      });
      expect((await a.client.compose.sendOutcome.mutate({ id: again.id })).state).toBe("sent");
      await waitUntil(
        async () => (await headers(stack, bob.email, "INBOX")).includes("Odbijeno pa ponovo"),
        10_000,
        () => "bob got nothing",
      );
      const body = await stack.mail.doveadm(["fetch", "-u", bob.email, "body", "mailbox", "INBOX"]);
      expect(body).toContain("plan.txt");
    } finally {
      void a.close();
    }
  });

  it("IMAP: a closed tab does not stop a held send; it goes at the deadline", async () => {
    const alice = await newUser(stack, { prefix: "tab" });
    const bob = await newUser(stack, { prefix: "rcpt" });
    const a = await imapSession(alice);
    const held = await a.client.compose.sendLater.mutate({
      id: randomId(),
      draft: { ...emptyDraft(), to: [{ name: "", address: bob.email }], subject: "Tab zatvoren", text: "x" },
      draftUid: null,
      answering: null,
      delaySeconds: 2,
    });
    await a.close();
    await sleep(1000);
    expect(await headers(stack, bob.email, "INBOX")).not.toContain("Tab zatvoren");
    await waitUntil(
      async () => (await headers(stack, bob.email, "INBOX")).includes("Tab zatvoren"),
      10_000,
      () => "the held send did not go out after the tab closed",
    );
    expect(Date.now()).toBeGreaterThanOrEqual(held.sendAt);
    await waitUntil(
      async () => (await headers(stack, alice.email, "Sent")).includes("Tab zatvoren"),
      5_000,
      () => "no Sent copy",
    );
  });

  it("IMAP: sign-out sends what is held at once, with its Sent copy", async () => {
    const alice = await newUser(stack, { prefix: "out" });
    const bob = await newUser(stack, { prefix: "rcpt" });
    const a = await imapSession(alice);
    try {
      await a.client.compose.sendLater.mutate({
        id: randomId(),
        draft: { ...emptyDraft(), to: [{ name: "", address: bob.email }], subject: "Pre odjave", text: "x" },
        draftUid: null,
        answering: null,
        delaySeconds: 30,
      });
      const before = Date.now();
      expect((await signOut(stack, a.cookie)).status).toBe(200);
      // Sign-out waited for the send, and the IMAP connection was still there for the copy.
      expect(await headers(stack, alice.email, "Sent")).toContain("Pre odjave");
      await waitUntil(
        async () => (await headers(stack, bob.email, "INBOX")).includes("Pre odjave"),
        10_000,
        () => "bob got nothing",
      );
      expect(Date.now() - before).toBeLessThan(20_000);
    } finally {
      void a.close();
    }
  });

  it("POP3: the held send goes out after the delay and hands back the bytes for the local Sent", async () => {
    const alice = await newUser(stack, { prefix: "pop" });
    const bob = await newUser(stack, { prefix: "rcpt" });
    const signedIn = await signInRaw(stack, {
      protocol: "pop3",
      email: alice.email,
      password: alice.password,
    });
    const a = connectClient(stack.gateway.url, signedIn.cookie ?? "");
    try {
      const undone = await a.client.compose.sendLater.mutate({
        id: randomId(),
        draft: { ...emptyDraft(), to: [{ name: "", address: bob.email }], subject: "POP odustao", text: "x" },
        draftUid: null,
        answering: null,
        delaySeconds: 1,
      });
      expect((await a.client.compose.cancelSend.mutate({ id: undone.id })).state).toBe("cancelled");
      const held = await a.client.compose.sendLater.mutate({
        id: randomId(),
        draft: { ...emptyDraft(), to: [{ name: "", address: bob.email }], subject: "POP poslato", text: "x" },
        draftUid: null,
        answering: null,
        delaySeconds: 1,
      });
      const sent = await a.client.compose.sendOutcome.mutate({ id: held.id });
      expect(sent.state).toBe("sent");
      expect(Buffer.from(sent.result?.raw ?? "", "base64").toString()).toContain("Subject: POP poslato");
      // The bytes stay until the browser says it filed them (a page closed while it waited
      // leaves them for the next one); then only the state is told.
      expect((await a.client.compose.sendOutcome.mutate({ id: held.id })).result?.raw).toBe(sent.result?.raw);
      await a.client.compose.ackSent.mutate({ id: held.id });
      expect(await a.client.compose.sendOutcome.mutate({ id: held.id })).toEqual({
        state: "sent",
        result: null,
      });
      await waitUntil(
        async () => (await headers(stack, bob.email, "INBOX")).includes("POP poslato"),
        10_000,
        () => "bob got nothing",
      );
      expect(await headers(stack, bob.email, "INBOX")).not.toContain("POP odustao");
    } finally {
      void a.close();
    }
  });

  it("refuses a delay over 30 s and a held id of another session", async () => {
    const alice = await newUser(stack, { prefix: "lim" });
    const eve = await newUser(stack, { prefix: "eve" });
    const a = await imapSession(alice);
    const e = await imapSession(eve);
    try {
      const draft = { ...emptyDraft(), to: [{ name: "", address: eve.email }], subject: "Tuđe", text: "x" };
      await expect(
        a.client.compose.sendLater.mutate({
          id: randomId(),
          draft,
          draftUid: null,
          answering: null,
          delaySeconds: 31,
        }),
      ).rejects.toThrow();
      const held = await a.client.compose.sendLater.mutate({
        id: randomId(),
        draft,
        draftUid: null,
        answering: null,
        delaySeconds: 2,
      });
      expect(await e.client.compose.cancelSend.mutate({ id: held.id })).toEqual({
        state: "unknown",
        draft: null,
      });
      expect((await a.client.compose.sendOutcome.mutate({ id: held.id })).state).toBe("sent");
    } finally {
      void a.close();
      void e.close();
    }
  });
});

describe("undo send when the gateway stops", () => {
  it("sends what it holds before it goes, so a restart loses no message", async () => {
    const stack = await startStack({ mail: { smtp: true } });
    try {
      const alice = await newUser(stack, { prefix: "stop" });
      const bob = await newUser(stack, { prefix: "rcpt" });
      const cookie = await signIn(stack, alice.email, alice.password);
      const a = connectClient(stack.gateway.url, cookie);
      await a.client.compose.sendLater.mutate({
        id: randomId(),
        draft: { ...emptyDraft(), to: [{ name: "", address: bob.email }], subject: "Pre gasenja", text: "x" },
        draftUid: null,
        answering: null,
        delaySeconds: 30,
      });
      void a.close();
      await stack.gateway.close();
      await waitUntil(
        async () => (await headers(stack, bob.email, "INBOX")).includes("Pre gasenja"),
        10_000,
        () => "the held send was lost when the gateway stopped",
      );
      expect(await headers(stack, alice.email, "Sent")).toContain("Pre gasenja");
    } finally {
      // Closing the gateway again only waits for the first close; the stack also removes its data.
      await stack.stop();
    }
  });

  /** How many messages the user's INBOX holds. */
  const inboxCount = async (stack: TestStack, email: string) =>
    (await stack.mail.doveadm(["search", "-u", email, "mailbox", "INBOX", "ALL"]))
      .trim()
      .split("\n")
      .filter(Boolean).length;

  /** A POP3 session that holds a message for 30 s, its page gone before it went. */
  async function heldByPop3(stack: TestStack, subject: string) {
    const alice = await newUser(stack, { prefix: "pstop" });
    const bob = await newUser(stack, { prefix: "rcpt" });
    const cookie = await signIn(stack, alice.email, alice.password, "pop3");
    const a = connectClient(stack.gateway.url, cookie);
    const draft = { ...emptyDraft(), to: [{ name: "", address: bob.email }], subject, text: "x" };
    const held = await a.client.compose.sendLater.mutate({
      id: randomId(),
      draft,
      draftUid: null,
      answering: null,
      delaySeconds: 30,
    });
    // Another one, whose answer the page took and acknowledged before the stop: nothing to keep.
    const done = await a.client.compose.sendLater.mutate({
      id: randomId(),
      draft: { ...draft, subject: `${subject} (primljeno)` },
      draftUid: null,
      answering: null,
      delaySeconds: 0,
    });
    expect((await a.client.compose.sendOutcome.mutate({ id: done.id })).state).toBe("sent");
    await a.client.compose.ackSent.mutate({ id: done.id });
    await a.close();
    return { bob, cookie, id: held.id, done: done.id };
  }

  /** The page, on the gateway that resumes the session: the copy is there, filed, let go. */
  async function fileAfterStop(
    gateway: Gateway,
    stack: TestStack,
    held: Awaited<ReturnType<typeof heldByPop3>>,
    subject: string,
  ) {
    const b = connectClient(gateway.url, held.cookie);
    try {
      const outcome = await b.client.compose.sendOutcome.mutate({ id: held.id });
      expect(outcome.state).toBe("sent");
      expect(Buffer.from(outcome.result?.raw ?? "", "base64").toString()).toContain(`Subject: ${subject}`);
      // Asked again (a page reloaded before it filed it): still there.
      expect(await b.client.compose.sendOutcome.mutate({ id: held.id })).toEqual(outcome);
      // A late Undo is told that it went; a send under its id again is refused, not made.
      expect(await b.client.compose.cancelSend.mutate({ id: held.id })).toEqual({
        state: "sent",
        draft: null,
      });
      await expect(
        b.client.compose.sendLater.mutate({
          id: held.id,
          draft: { ...emptyDraft(), to: [{ name: "", address: held.bob.email }], subject, text: "x" },
          draftUid: null,
          answering: null,
          delaySeconds: 0,
        }),
      ).rejects.toMatchObject({ data: { mailCode: "BAD_INPUT" } });
      // The one acknowledged before the stop was not kept.
      expect(await b.client.compose.sendOutcome.mutate({ id: held.done })).toEqual({
        state: "unknown",
        result: null,
      });
      await b.client.compose.ackSent.mutate({ id: held.id });
      expect(await b.client.compose.sendOutcome.mutate({ id: held.id })).toEqual({
        state: "unknown",
        result: null,
      });
      // Sent once, with the one before it.
      await waitUntil(
        async () => (await inboxCount(stack, held.bob.email)) >= 2,
        10_000,
        () => "bob did not get both",
      );
      expect(await inboxCount(stack, held.bob.email)).toBe(2);
    } finally {
      await b.close();
    }
  }

  it("POP3: the Sent copy of what it sent as it stopped is the restarted gateway's answer, until acknowledged", async () => {
    const stack = await startStack({ mail: { smtp: true } });
    let restarted: Gateway | undefined;
    try {
      const subject = "POP pre gasenja";
      const held = await heldByPop3(stack, subject);
      await stack.gateway.close();
      await waitUntil(
        async () => (await headers(stack, held.bob.email, "INBOX")).includes(subject),
        10_000,
        () => "the held send was lost when the gateway stopped",
      );
      // The same session files, as after a restart.
      restarted = await startGateway(
        readConfig({ PISMO_PORT: "0", PISMO_DATA_DIR: stack.dataDir, ...gatewayEnv(stack.mail) }),
        createLogger("silent"),
      );
      await fileAfterStop(restarted, stack, held, subject);
      // Acknowledged: nothing of it is left on the gateway's disk.
      expect(await readdir(path.join(stack.dataDir, "sent"), { recursive: true })).toEqual([]);
    } finally {
      await restarted?.close();
      await stack.stop();
    }
  });

  it("POP3 with Redis: the gateway that stops keeps it for another gateway of the session", async () => {
    const redis = await startRedis();
    const env = { PISMO_REDIS_URL: redis.url, PISMO_SECRET: "a-cluster-secret-of-at-least-32-characters" };
    let other: Gateway | undefined;
    let stack: TestStack | undefined;
    try {
      stack = await startStack({ env, mail: { smtp: true } });
      other = await startGateway(
        readConfig({ PISMO_PORT: "0", ...gatewayEnv(stack.mail), ...env }),
        createLogger("silent"),
      );
      const subject = "POP pre gasenja, Redis";
      const held = await heldByPop3(stack, subject);
      await stack.gateway.close();
      await fileAfterStop(other, stack, held, subject);
    } finally {
      await other?.close();
      await stack?.stop();
      await redis.stop();
    }
  });
});
