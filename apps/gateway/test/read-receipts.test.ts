import { describe, expect, it } from "vitest";
import { emptyDraft } from "@pismo/protocol/compose";
import { buildMessage } from "@pismo/mail-harness/seed";
import { connectClient, newUser, rejectionCode, signIn, useStack, waitUntil } from "./helpers";

/**
 * Read receipts (RFC 8098) through the gateway, against the private Postfix and Dovecot: the
 * request written into a sent message, read from an opened one, the receipt sent as a
 * multipart/report, and $MDNSent (RFC 3503) set on the original when it is sent or declined,
 * so that no device asks again.
 */
describe("read receipts against Postfix + Dovecot", () => {
  const stack = useStack({ mail: { smtp: true } });

  async function session(user: { email: string; password: string }) {
    const cookie = await signIn(stack, user.email, user.password);
    return { cookie, ...connectClient(stack.gateway.url, cookie) };
  }

  const folderText = (email: string, field: string, folder = "INBOX") =>
    stack.mail.doveadm(["fetch", "-u", email, field, "mailbox", folder]);

  async function firstUid(client: ReturnType<typeof connectClient>["client"]): Promise<number> {
    let uid: number | undefined;
    await waitUntil(
      async () => {
        uid = (await client.imap.list.query({ folder: "INBOX", offset: 0, limit: 10 })).messages[0]?.uid;
        return uid !== undefined;
      },
      10_000,
      () => "nothing in the Inbox",
    );
    return uid!;
  }

  it("asks for one when sending, sends one as a multipart/report, and notes it on the original", async () => {
    const alice = await newUser(stack, { prefix: "rcpta" });
    const bob = await newUser(stack, { prefix: "rcptb" });
    const a = await session(alice);
    const b = await session(bob);
    try {
      const sent = await a.client.compose.send.mutate({
        draft: {
          ...emptyDraft(),
          to: [{ name: "Bob", address: bob.email }],
          subject: "Ugovor, potpiši",
          text: "Javi kad pročitaš.",
          requestReceipt: true,
        },
        draftUid: null,
        answering: null,
      });
      // The Sent copy carries the request too: what was sent is what is filed.
      expect(await folderText(alice.email, "hdr", "Sent")).toContain(
        `Disposition-Notification-To: <${alice.email}>`,
      );

      const uid = await firstUid(b.client);
      const original = await b.client.imap.open.query({ folder: "INBOX", uid });
      expect(original.receipt).toEqual({ to: [alice.email], elsewhere: false, answered: false });

      const answer = await b.client.compose.answerReceipt.mutate({
        receipt: {
          to: original.receipt!.to,
          subject: original.subject,
          originalMessageId: original.messageId,
          language: "sr",
        },
        original: { folder: "INBOX", uid },
      });
      expect(answer).toEqual({ noted: true });
      expect(await folderText(bob.email, "flags")).toContain("$MDNSent");
      // Bob has nothing of it in Sent: a receipt is not filed (RFC 3503 §3.1).
      expect(await folderText(bob.email, "hdr", "Sent").catch(() => "")).not.toContain("Auto-Submitted");

      await waitUntil(
        async () => (await folderText(alice.email, "hdr")).includes("Auto-Submitted: auto-replied"),
        10_000,
        () => "alice got no receipt",
      );
      const receipt = await folderText(alice.email, "text");
      expect(receipt).toMatch(/Content-Type: multipart\/report; report-type=disposition-notification/i);
      expect(receipt).toContain("Content-Type: message/disposition-notification");
      expect(receipt).toContain(`Final-Recipient: rfc822;${bob.email}`);
      expect(receipt).toContain(`Original-Message-ID: ${sent.messageId}`);
      expect(receipt).toContain("Disposition: manual-action/MDN-sent-manually; displayed");
      const headers = await folderText(alice.email, "hdr");
      expect(headers).toContain(`In-Reply-To: ${sent.messageId}`);
      expect(headers).toContain("Auto-Submitted: auto-replied");
      // A receipt never asks for one of its own.
      expect(headers.match(/Disposition-Notification-To/gi) ?? []).toHaveLength(0);

      // Opened again (or on another device): answered, so nobody asks.
      const again = await b.client.imap.open.query({ folder: "INBOX", uid });
      expect(again.receipt?.answered).toBe(true);
      // And the receipt, opened by Alice, asks for nothing.
      const receiptUid = await firstUid(a.client);
      const opened = await a.client.imap.open.query({ folder: "INBOX", uid: receiptUid });
      expect(opened.subject).toBe("Pročitano: Ugovor, potpiši");
      expect(opened.body.content).toContain(`poslali na ${bob.email} sa naslovom „Ugovor, potpiši“`);
      expect(opened.receipt).toBeNull();
    } finally {
      void a.close();
      void b.close();
    }
  });

  it("declined: noted on the original and nothing sent; a bad address is refused before anything is sent", async () => {
    const carol = await newUser(stack, { prefix: "rcptc" });
    await stack.mail.deliver(
      carol.email,
      buildMessage({
        from: "jelena@primer.rs",
        to: carol.email,
        subject: "Pratimo vas",
        text: "x",
        headers: { "Disposition-Notification-To": "tracker@reklame.example" },
      }),
    );
    const c = await session(carol);
    try {
      const uid = await firstUid(c.client);
      const m = await c.client.imap.open.query({ folder: "INBOX", uid });
      expect(m.receipt).toEqual({ to: ["tracker@reklame.example"], elsewhere: true, answered: false });
      const refused = await rejectionCode(() =>
        c.client.compose.answerReceipt.mutate({
          receipt: { to: ["x@y.rs\r\nBcc: z@w.rs"], subject: "x", originalMessageId: null, language: "en" },
          original: { folder: "INBOX", uid },
        }),
      );
      expect(refused.code).toBe("BAD_INPUT");
      expect(await folderText(carol.email, "flags")).not.toContain("$MDNSent");

      expect(
        await c.client.compose.answerReceipt.mutate({ receipt: null, original: { folder: "INBOX", uid } }),
      ).toEqual({
        noted: true,
      });
      expect((await c.client.imap.open.query({ folder: "INBOX", uid })).receipt?.answered).toBe(true);
    } finally {
      void c.close();
    }
  });
});
