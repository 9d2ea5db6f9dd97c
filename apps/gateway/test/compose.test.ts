import { describe, expect, it } from "vitest";
import { emptyDraft, type Draft } from "@pismo/protocol/compose";
import type { DraftAttachment } from "@pismo/protocol/schemas";
import { buildMessage, messageWithPicture } from "@pismo/mail-harness/seed";
import {
  connectClient,
  newUser,
  postUpload,
  rejectionCode,
  signIn,
  uploadFile,
  useStack,
  waitUntil,
} from "./helpers";

/** Rejects when `promise` has not settled within `ms`: a hang becomes a failure that says what hung. */
async function withinMs<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Writing mail through the gateway: drafts in \Drafts, sending through the private Postfix, the
 * copy in \Sent, thread headers, forwarding a server attachment, uploads, and errors. */
describe("compose against Postfix + Dovecot", () => {
  const stack = useStack({ mail: { smtp: true } });

  async function session(user: { email: string; password: string }) {
    const cookie = await signIn(stack, user.email, user.password);
    return { cookie, ...connectClient(stack.gateway.url, cookie) };
  }

  const inbox = async (email: string, field = "hdr") =>
    stack.mail.doveadm(["fetch", "-u", email, field, "mailbox", "INBOX"]);

  it("sends, files the copy in Sent, and threads a reply", async () => {
    const alice = await newUser(stack, { prefix: "alice" });
    const bob = await newUser(stack, { prefix: "bob" });
    const a = await session(alice);
    const b = await session(bob);
    try {
      const limits = await a.client.compose.limits.query();
      expect(limits.maxMessageBytes).toBeGreaterThan(1_000_000);
      // The server names its SIZE: an upload may be as large, no more.
      expect(limits.maxUploadBytes).toBe(limits.maxMessageBytes);
      const sent = await a.client.compose.send.mutate({
        draft: {
          ...emptyDraft(),
          to: [{ name: "Bob", address: bob.email }],
          subject: "Ćao, Bobe",
          text: "Prvi red.\nDrugi red.",
        },
        draftUid: null,
        answering: null,
      });
      expect(sent.rejected).toEqual([]);
      await waitUntil(
        async () => (await inbox(bob.email)).includes("Subject:"),
        10_000,
        () => "bob got nothing",
      );
      const sentCopy = await stack.mail.doveadm(["fetch", "-u", alice.email, "hdr", "mailbox", "Sent"]);
      expect(sentCopy).toContain(sent.messageId);

      // Bob's session learns of it as any client does: by IDLE, half a second after delivery.
      let list = await b.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 10 });
      await waitUntil(
        async () =>
          (list = await b.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 10 })).messages.length >
          0,
        5_000,
      );
      const original = await b.client.imap.open.query({ folder: "INBOX", uid: list.messages[0]!.uid });
      expect(original.subject).toBe("Ćao, Bobe");
      expect(original.messageId).toBe(sent.messageId);

      const reply = await b.client.compose.send.mutate({
        draft: {
          ...emptyDraft(),
          to: [{ name: "", address: alice.email }],
          subject: "Re: Ćao, Bobe",
          text: "Odgovor.",
          inReplyTo: original.messageId,
          references: [original.messageId!],
        },
        draftUid: null,
        answering: { folder: "INBOX", uid: original.uid },
      });
      await waitUntil(
        async () => (await inbox(alice.email)).includes(reply.messageId),
        10_000,
        () => "alice got no reply",
      );
      const headers = await inbox(alice.email);
      expect(headers).toContain(`In-Reply-To: ${sent.messageId}`);
      expect(headers).toContain(`References: ${sent.messageId}`);
      expect(headers).toContain("Subject: =?UTF-8?Q?Re=3A_=C4=86ao=2C_Bobe?=");
      expect(await inbox(bob.email, "flags")).toContain("\\Answered");
    } finally {
      void a.close();
      void b.close();
    }
  });

  it("saves a draft in Drafts, replaces it, and removes it when sent", async () => {
    const alice = await newUser(stack, { prefix: "drafter" });
    const bob = await newUser(stack, { prefix: "reader" });
    const a = await session(alice);
    try {
      const draft = {
        ...emptyDraft(),
        to: [{ name: "", address: bob.email }],
        bcc: [{ name: "", address: alice.email }],
        subject: "Nacrt",
        text: "v1",
      };
      const first = await a.client.compose.saveDraft.mutate({ draft, replaceUid: null });
      expect(first?.folder).toBe("Drafts");
      const second = await a.client.compose.saveDraft.mutate({
        draft: { ...draft, text: "v2" },
        replaceUid: first!.uid,
      });
      const drafts = await stack.mail.doveadm(["fetch", "-u", alice.email, "uid flags", "mailbox", "Drafts"]);
      expect(drafts.match(/^uid:/gm)).toHaveLength(1);
      expect(drafts).toContain("\\Draft");
      // The draft keeps its Bcc, so finishing it later still sends to them.
      expect(await stack.mail.doveadm(["fetch", "-u", alice.email, "hdr", "mailbox", "Drafts"])).toContain(
        `Bcc: ${alice.email}`,
      );
      // Opened again (to be finished), it says its Bcc, which the compose window fills in.
      const reopened = await a.client.imap.open.query({ folder: "Drafts", uid: second!.uid });
      expect(reopened.bcc).toEqual([{ name: "", address: alice.email }]);
      expect(reopened.cc).toEqual([]);
      await a.client.compose.send.mutate({
        draft: { ...draft, text: "v2" },
        draftUid: second!.uid,
        answering: null,
      });
      expect(
        (await stack.mail.doveadm(["fetch", "-u", alice.email, "uid", "mailbox", "Drafts"])).trim(),
      ).toBe("");
      await waitUntil(async () => (await inbox(bob.email)).includes("Nacrt"), 10_000);
      // A sent message never shows its Bcc; the sender's copy in Sent does.
      expect(await inbox(bob.email)).not.toContain("Bcc:");
      expect(await stack.mail.doveadm(["fetch", "-u", alice.email, "hdr", "mailbox", "Sent"])).toContain(
        `Bcc: ${alice.email}`,
      );
    } finally {
      void a.close();
    }
  });

  it("a reply's draft says which message it answers (X-Draft-Info), so that sent later it marks that one answered", async () => {
    const carol = await newUser(stack, { prefix: "replier" });
    await stack.mail.deliver(
      carol.email,
      buildMessage({ from: "vera@primer.rs", to: carol.email, subject: "Pitanje", text: "?" }),
    );
    const c = await session(carol);
    try {
      const uid = (await c.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 5 })).messages[0]!.uid;
      const reply = {
        ...emptyDraft(),
        to: [{ name: "", address: "vera@primer.rs" }],
        subject: "Re: Pitanje",
        text: "Odgovor.",
        answering: { folder: "INBOX", uid },
      };
      const saved = await c.client.compose.saveDraft.mutate({ draft: reply, replaceUid: null });
      expect(await stack.mail.doveadm(["fetch", "-u", carol.email, "hdr", "mailbox", "Drafts"])).toContain(
        `X-Draft-Info: type=reply; uid=${uid}; folder=B::SU5CT1g=`,
      );
      // Reopened (here or on another device): the draft names its original.
      const draft = await c.client.imap.open.query({ folder: "Drafts", uid: saved!.uid });
      expect(draft.answering).toEqual({ folder: "INBOX", uid });
      expect(
        (await c.client.imap.open.query({ folder: "INBOX", uid })).answering,
        "a message that is no draft names none",
      ).toBeNull();
      await c.client.compose.send.mutate({ draft: reply, draftUid: saved!.uid, answering: draft.answering! });
      expect(await stack.mail.doveadm(["fetch", "-u", carol.email, "flags", "mailbox", "INBOX"])).toContain(
        "\\Answered",
      );
      // What is sent never carries it.
      expect(await stack.mail.doveadm(["fetch", "-u", carol.email, "hdr", "mailbox", "Sent"])).not.toContain(
        "X-Draft-Info",
      );
    } finally {
      void c.close();
    }
  });

  it("keeps the draft and says so when the server will not file the Sent copy (over quota)", async () => {
    // Room for the draft, not for the draft and its Sent copy too.
    const alice = await newUser(stack, { prefix: "fullbox", quotaBytes: 20_000 });
    const bob = await newUser(stack, { prefix: "getsit" });
    const a = await session(alice);
    try {
      const draft = {
        ...emptyDraft(),
        to: [{ name: "", address: bob.email }],
        subject: "Pun sanduk",
        text: "Poruka koja ne staje dva puta. ".repeat(400),
      };
      const saved = await a.client.compose.saveDraft.mutate({ draft, replaceUid: null });
      const answer = await a.client.compose.send.mutate({ draft, draftUid: saved!.uid, answering: null });
      expect(answer).toMatchObject({ rejected: [], sentCopyFailed: "draft-kept" });
      // It went out, and the draft is the copy of what was sent that the account keeps.
      await waitUntil(async () => (await inbox(bob.email)).includes("Pun sanduk"), 10_000);
      expect(await stack.mail.doveadm(["fetch", "-u", alice.email, "uid", "mailbox", "Drafts"])).toContain(
        `uid: ${saved!.uid}`,
      );
      expect((await stack.mail.doveadm(["fetch", "-u", alice.email, "uid", "mailbox", "Sent"])).trim()).toBe(
        "",
      );
    } finally {
      void a.close();
    }
  });

  it("a draft save whose answer was lost can be made again with the same uploads; they go once a save replaces it", async () => {
    const alice = await newUser(stack, { prefix: "lostsave" });
    const a = await session(alice);
    try {
      const bytes = Buffer.from("%PDF-1.4 prilog");
      const upload = await uploadFile(stack, a.cookie, "prilog.pdf", bytes, "application/pdf");
      const draft = {
        ...emptyDraft(),
        to: [{ name: "", address: alice.email }],
        subject: "Nacrt sa prilogom",
        text: "v1",
        attachments: [
          {
            kind: "upload" as const,
            id: upload.id,
            filename: "prilog.pdf",
            contentType: "application/pdf",
            size: upload.size,
          },
        ],
      };
      // The browser never hears of this save (the connection dropped with its answer)...
      const lost = await a.client.compose.saveDraft.mutate({ draft, replaceUid: null });
      // ...so it saves again as it was: the upload is still there.
      const again = await a.client.compose.saveDraft.mutate({
        draft: { ...draft, text: "v2" },
        replaceUid: null,
      });
      expect(again?.uid).not.toBe(lost?.uid);
      // Answered, the browser holds the saved copy's part; the next save replaces the draft and the
      // upload goes.
      await a.client.compose.saveDraft.mutate({
        draft: { ...draft, text: "v3", attachments: again!.attachments },
        replaceUid: again!.uid,
      });
      await expect(
        a.client.compose.saveDraft.mutate({ draft: { ...draft, text: "v4" }, replaceUid: null }),
      ).rejects.toThrow();
    } finally {
      void a.close();
    }
  });

  it("discard removes the copy of a save whose answer was lost, named by the window's composeId", async () => {
    const alice = await newUser(stack, { prefix: "lostdiscard" });
    const a = await session(alice);
    const draftUids = async () =>
      (await stack.mail.doveadm(["fetch", "-u", alice.email, "uid", "mailbox", "Drafts"])).match(/^uid:/gm) ??
      [];
    try {
      const draft = { ...emptyDraft(), subject: "Odbačen", text: "v1", composeId: "window-one" };
      const first = await a.client.compose.saveDraft.mutate({ draft, replaceUid: null });
      // The browser never hears of this save (the connection dropped with its answer)...
      await a.client.compose.saveDraft.mutate({ draft: { ...draft, text: "v2" }, replaceUid: first!.uid });
      expect(await draftUids()).toHaveLength(1);
      // ...and Discard names the copy before, now gone, and its window.
      await a.client.compose.discardDraft.mutate({ uid: first!.uid, composeId: "window-one" });
      expect(await draftUids()).toHaveLength(0);

      // A window whose first save's answer was lost names no draft at all.
      const other = { ...draft, text: "w1", composeId: "window-two" };
      await a.client.compose.saveDraft.mutate({ draft: other, replaceUid: null });
      expect(await draftUids()).toHaveLength(1);
      await a.client.compose.discardDraft.mutate({ uid: null, composeId: "window-two" });
      expect(await draftUids()).toHaveLength(0);
    } finally {
      void a.close();
    }
  });

  it("streams an upload and forwards a server attachment without the browser", async () => {
    const alice = await newUser(stack, { prefix: "upl" });
    const bob = await newUser(stack, { prefix: "fwd" });
    const a = await session(alice);
    try {
      const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 256));
      const upload = await uploadFile(stack, a.cookie, "izveštaj.bin", bytes);
      expect(upload.size).toBe(bytes.length);
      // A draft kept in the browser asks which of its uploads the session still holds.
      const unknown = "A".repeat(24);
      expect(await a.client.compose.uploadsHeld.query({ ids: [upload.id, unknown] })).toEqual([upload.id]);
      await a.client.compose.send.mutate({
        draft: {
          ...emptyDraft(),
          to: [{ name: "", address: bob.email }],
          subject: "Sa prilogom",
          text: "Prilog.",
          attachments: [
            {
              kind: "upload",
              id: upload.id,
              filename: "izveštaj.bin",
              contentType: "application/octet-stream",
              size: upload.size,
            },
          ],
        },
        draftUid: null,
        answering: null,
      });
      // Sent: the upload is gone with it.
      expect(await a.client.compose.uploadsHeld.query({ ids: [upload.id] })).toEqual([]);
      // Forward it from alice's Sent to bob again: the part goes IMAP -> SMTP inside the gateway.
      const sentList = await a.client.imap.list.query({ folder: "Sent", offset: 0, limit: 5 });
      const sent = await a.client.imap.open.query({
        folder: "Sent",
        uid: sentList.messages[0]!.uid,
        peek: true,
      });
      const part = sent.attachments[0]!;
      expect(part.filename).toBe("izveštaj.bin");
      await a.client.compose.send.mutate({
        draft: {
          ...emptyDraft(),
          to: [{ name: "", address: bob.email }],
          subject: "Fwd: Sa prilogom",
          text: "Prosleđujem.",
          attachments: [
            {
              kind: "forward",
              folder: "Sent",
              uid: sent.uid,
              part: part.part,
              filename: part.filename,
              contentType: part.mimeType,
              size: part.size,
            },
          ],
        },
        draftUid: null,
        answering: null,
      });
      await waitUntil(async () => (await inbox(bob.email)).includes("Fwd: Sa prilogom"), 10_000);
      const c = await session(bob);
      try {
        const list = await c.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 5 });
        const fwd = await c.client.imap.open.query({
          folder: "INBOX",
          uid: list.messages.find((m) => m.subject === "Fwd: Sa prilogom")!.uid,
        });
        const got = await fetch(
          `${stack.gateway.url}/api/part?${new URLSearchParams({ folder: "INBOX", uid: String(fwd.uid), part: fwd.attachments[0]!.part })}`,
          { headers: { Cookie: c.cookie } },
        );
        expect(Buffer.compare(Buffer.from(await got.arrayBuffer()), bytes)).toBe(0);
      } finally {
        void c.close();
      }
    } finally {
      void a.close();
    }
  });

  it("forwards the images an HTML message shows by cid: beside its HTML, under their Content-IDs", async () => {
    const alice = await newUser(stack, { prefix: "fwdcid" });
    const bob = await newUser(stack, { prefix: "fwdcidto" });
    const cid = "image001.png@01DA";
    await stack.mail.deliver(alice.email, messageWithPicture(alice.email, "Slika u tekstu"));
    const a = await session(alice);
    try {
      const list = await a.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 5 });
      const original = await a.client.imap.open.query({ folder: "INBOX", uid: list.messages[0]!.uid });
      const image = original.attachments.find((x) => x.contentId === cid)!;
      expect(image.inline).toBe(true);
      const picture = (contentId: string): DraftAttachment => ({
        kind: "forward",
        folder: "INBOX",
        uid: original.uid,
        part: image.part,
        filename: "image-2.png",
        contentType: "image/png",
        size: image.size,
        contentId,
      });
      const forward = (subject: string, attachments: DraftAttachment[]): Draft => ({
        ...emptyDraft(),
        to: [{ name: "", address: bob.email }],
        subject,
        text: "Pogledaj:",
        html: `<p>Prosleđujem.</p><blockquote>${original.body.content}</blockquote>`,
        attachments,
      });
      /** bob's view of the message under `subject`: its files and pictures. */
      const received = async (subject: string) => {
        await waitUntil(async () => (await inbox(bob.email)).includes(subject), 10_000);
        const b = await session(bob);
        try {
          const got = await b.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 5 });
          const uid = got.messages.find((m) => m.subject === subject)!.uid;
          return await b.client.imap.open.query({ folder: "INBOX", uid });
        } finally {
          void b.close();
        }
      };

      await a.client.compose.send.mutate({
        draft: forward("Fwd: Slika u tekstu", [picture(cid)]),
        draftUid: null,
        answering: null,
      });
      // bob's reading view shows it in the text (an inline image), not as a file.
      const fwd = await received("Fwd: Slika u tekstu");
      expect(fwd.body.content).toContain(`src="cid:${cid}"`);
      expect(fwd.attachments).toEqual([
        expect.objectContaining({ contentId: cid, inline: true, mimeType: "image/png" }),
      ]);
      const raw = await stack.mail.doveadm(["fetch", "-u", bob.email, "text", "mailbox", "INBOX"]);
      expect(raw).toMatch(/Content-Type: multipart\/related/);
      expect(raw).toContain(`Content-ID: <${cid}>`);

      // Saved as a draft (the autosave) with a file beside it, and sent from that draft as the
      // form then names its files: the picture is a part beside the HTML ("1.2.2"), not part 2.
      const file = await uploadFile(stack, a.cookie, "plan.pdf", Buffer.from("%PDF-1.4 plan"));
      const withFile = forward("Fwd: Slika i plan", [
        picture(cid),
        {
          kind: "upload",
          id: file.id,
          filename: "plan.pdf",
          contentType: "application/pdf",
          size: file.size,
        },
      ]);
      const saved = (await a.client.compose.saveDraft.mutate({ draft: withFile, replaceUid: null }))!;
      const inDraft = await a.client.imap.open.query({ folder: "Drafts", uid: saved.uid });
      expect(saved.attachments).toEqual([
        expect.objectContaining({
          part: inDraft.attachments.find((x) => x.contentId === cid)?.part,
          contentId: cid,
        }),
        expect.objectContaining({ part: inDraft.attachments.find((x) => x.filename === "plan.pdf")?.part }),
      ]);
      await a.client.compose.send.mutate({
        draft: { ...withFile, attachments: saved.attachments },
        draftUid: saved.uid,
        answering: null,
      });
      expect(
        (await received("Fwd: Slika i plan")).attachments.map((x) => [x.mimeType, x.inline, x.contentId]),
      ).toEqual([
        ["application/pdf", false, null],
        ["image/png", true, cid],
      ]);

      // A Content-ID that could break the header is refused, and nothing is sent.
      await expect(
        a.client.compose.send.mutate({
          draft: forward("Loš cid", [picture("x>\r\nBcc: z@w.rs")]),
          draftUid: null,
          answering: null,
        }),
      ).rejects.toMatchObject({ data: { mailCode: "BAD_INPUT" } });
    } finally {
      void a.close();
    }
  });

  it("forwards two server attachments at once, and two forwards in parallel, without deadlocking the mailbox", async () => {
    const alice = await newUser(stack, { prefix: "fwd2" });
    const bob = await newUser(stack, { prefix: "fwd2to" });
    const first = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) % 256));
    const second = Buffer.from(Array.from({ length: 150_000 }, (_, i) => (i * 13 + 5) % 256));
    await stack.mail.deliver(
      alice.email,
      buildMessage({
        from: { name: "", address: "sender@example.rs" },
        to: alice.email,
        subject: "Dva priloga",
        text: "U prilogu.",
        attachments: [
          { filename: "prvi.bin", contentType: "application/octet-stream", content: first },
          { filename: "drugi.bin", contentType: "application/octet-stream", content: second },
        ],
      }),
    );
    const a = await session(alice);
    try {
      const list = await a.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 5 });
      const original = await a.client.imap.open.query({
        folder: "INBOX",
        uid: list.messages[0]!.uid,
        peek: true,
      });
      expect(original.attachments.map((x) => x.filename)).toEqual(["prvi.bin", "drugi.bin"]);
      const forward = (subject: string) =>
        a.client.compose.send.mutate({
          draft: {
            ...emptyDraft(),
            to: [{ name: "", address: bob.email }],
            subject,
            text: "Prosleđujem oba.",
            attachments: original.attachments.map((x) => ({
              kind: "forward" as const,
              folder: "INBOX",
              uid: original.uid,
              part: x.part,
              filename: x.filename,
              contentType: x.mimeType,
              size: x.size,
            })),
          },
          draftUid: null,
          answering: null,
        });
      // A deadlock never settles: give up long before the test's own timeout.
      await withinMs(15_000, forward("Fwd: jedan"), "forwarding two attachments");
      await withinMs(
        15_000,
        Promise.all([forward("Fwd: dva"), forward("Fwd: tri")]),
        "two forwards in parallel",
      );
      await waitUntil(
        async () => {
          const headers = await inbox(bob.email);
          return ["jedan", "dva", "tri"].every((w) => headers.includes(`Fwd: ${w}`));
        },
        10_000,
        () => "bob did not get all three forwards",
      );
      // The bytes arrive intact, each attachment in its place.
      const b = await session(bob);
      try {
        const got = await b.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 10 });
        expect(got.messages).toHaveLength(3);
        for (const m of got.messages) {
          const fwd = await b.client.imap.open.query({ folder: "INBOX", uid: m.uid, peek: true });
          expect(fwd.attachments.map((x) => x.filename)).toEqual(["prvi.bin", "drugi.bin"]);
          for (const [i, expected] of [first, second].entries()) {
            const res = await fetch(
              `${stack.gateway.url}/api/part?${new URLSearchParams({ folder: "INBOX", uid: String(fwd.uid), part: fwd.attachments[i]!.part })}`,
              { headers: { Cookie: b.cookie } },
            );
            expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), expected)).toBe(0);
          }
        }
      } finally {
        void b.close();
      }
      // The session is still usable afterwards: no lock was left held.
      expect(
        (await withinMs(5_000, a.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 5 }), "list"))
          .total,
      ).toBe(1);
    } finally {
      void a.close();
    }
  });

  it("refuses an upload over the server's size limit with 413 and MESSAGE_TOO_LARGE, declared or streamed", async () => {
    const user = await newUser(stack, { prefix: "big" });
    const a = await session(user);
    try {
      const limit = stack.mail.smtpMessageSizeLimit ?? 0;
      expect(limit).toBeGreaterThan(0);
      const chunk = Buffer.alloc(256 * 1024, 0x61);
      const chunks = Math.ceil(limit / chunk.length) + 2;
      const upload = (body: BodyInit) => postUpload(stack, a.cookie, "big.bin", body);
      // With a Content-Length the gateway refuses before reading the body.
      const declared = await upload(Buffer.concat(Array.from({ length: chunks }, () => chunk)));
      expect(declared.status).toBe(413);
      expect(((await declared.json()) as { error: { code: string } }).error.code).toBe("MESSAGE_TOO_LARGE");
      // Chunked, without a length: refused when the count passes the limit.
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < chunks) controller.enqueue(new Uint8Array(chunk));
          else controller.close();
        },
      });
      const streamed = await upload(stream);
      expect(streamed.status).toBe(413);
      expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe("MESSAGE_TOO_LARGE");
    } finally {
      void a.close();
    }
  });

  it("counts a message's files before building it: one upload listed over and over is refused, and so are files over the server's limit together when sent", async () => {
    const user = await newUser(stack, { prefix: "dup" });
    const a = await session(user);
    try {
      const limit = stack.mail.smtpMessageSizeLimit ?? 0;
      const upload = async (bytes: Uint8Array<ArrayBuffer>) => {
        const { id, size } = await uploadFile(stack, a.cookie, "part.bin", bytes);
        return {
          kind: "upload" as const,
          id,
          filename: "part.bin",
          contentType: "application/octet-stream",
          size,
        };
      };
      const draft = (attachments: Awaited<ReturnType<typeof upload>>[]) => ({
        draft: {
          ...emptyDraft(),
          to: [{ name: "", address: user.email }],
          subject: "Prilozi",
          text: "x",
          attachments,
        },
        draftUid: null,
        answering: null,
      });
      const one = await upload(Buffer.alloc(1024, 0x61));
      const twice = await rejectionCode(() =>
        a.client.compose.send.mutate(draft(Array.from({ length: 100 }, () => one))),
      );
      expect(twice).toMatchObject({ code: "BAD_INPUT", message: '"part.bin" is attached twice' });
      // Each under the limit, together over it: refused before a byte of the message is built.
      const share = Math.ceil(limit * 0.6);
      const [x, y] = [await upload(Buffer.alloc(share, 0x62)), await upload(Buffer.alloc(share, 0x63))];
      expect((await rejectionCode(() => a.client.compose.send.mutate(draft([x, y])))).code).toBe(
        "MESSAGE_TOO_LARGE",
      );
      // A draft is held to the session's upload bound, not the SMTP server's limit: saved to
      // IMAP, it does not wait for the SMTP server.
    } finally {
      void a.close();
    }
  });

  it("names a refused recipient and refuses header injection", async () => {
    const alice = await newUser(stack, { prefix: "err" });
    const a = await session(alice);
    try {
      const refused = await rejectionCode(() =>
        a.client.compose.send.mutate({
          draft: {
            ...emptyDraft(),
            to: [{ name: "", address: "nobody@pismo.test" }],
            subject: "x",
            text: "x",
          },
          draftUid: null,
          answering: null,
        }),
      );
      expect(refused.code).toBe("RECIPIENT_REFUSED");
      expect(refused.message).toContain("nobody@pismo.test");
      const injected = await rejectionCode(() =>
        a.client.compose.send.mutate({
          draft: {
            ...emptyDraft(),
            to: [{ name: "", address: "a@pismo.test" }],
            subject: "x\r\nBcc: victim@x.rs",
            text: "x",
          },
          draftUid: null,
          answering: null,
        }),
      );
      expect(injected.code).toBe("BAD_INPUT");
    } finally {
      void a.close();
    }
  });

  it("keeps a draft that has no recipient yet, and still refuses to send it", async () => {
    const alice = await newUser(stack, { prefix: "norcpt" });
    const a = await session(alice);
    try {
      // Refused with "No recipients" before: a message begun with its text stayed off the
      // server (the window said "not saved") until an address was typed.
      const draft = { ...emptyDraft(), subject: "Za koga, jos ne znam", text: "Prvo tekst." };
      const saved = await a.client.compose.saveDraft.mutate({ draft, replaceUid: null });
      expect(saved).toMatchObject({ folder: "Drafts", uid: 1 });
      expect(await stack.mail.doveadm(["fetch", "-u", alice.email, "hdr", "mailbox", "Drafts"])).toContain(
        "Subject: Za koga, jos ne znam",
      );
      const refused = await rejectionCode(() =>
        a.client.compose.send.mutate({ draft, draftUid: saved!.uid, answering: null }),
      );
      expect(refused).toMatchObject({ code: "BAD_INPUT", message: "Add at least one recipient" });
    } finally {
      void a.close();
    }
  });

  it("forwards a whole message as an attachment (message/rfc822), byte for byte, also from a saved draft", async () => {
    const alice = await newUser(stack, { prefix: "fwdeml" });
    const bob = await newUser(stack, { prefix: "fwdemlb" });
    // 8-bit text, an HTML alternative and a file: the attached message must keep all of it as
    // it was (its own headers and signatures too), not as a reader shows it.
    await stack.mail.deliver(
      alice.email,
      buildMessage({
        from: { name: "Računovodstvo", address: "racuni@example.rs" },
        to: alice.email,
        subject: "Račun za novembar",
        text: "Poštovani,\nu prilogu je račun.\n",
        html: "<p>Poštovani,<br>u prilogu je <b>račun</b>.</p>",
        attachments: [
          { filename: "račun.pdf", contentType: "application/pdf", content: Buffer.from("%PDF-1.4 ok") },
        ],
      }),
    );
    const a = await session(alice);
    const b = await session(bob);
    try {
      const list = await a.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 5 });
      const original = await a.client.imap.open.query({
        folder: "INBOX",
        uid: list.messages[0]!.uid,
        peek: true,
      });
      const source = async (cookie: string, folder: string, uid: number, part?: string) => {
        const q = new URLSearchParams({ folder, uid: String(uid), ...(part !== undefined ? { part } : {}) });
        const res = await fetch(`${stack.gateway.url}/api/${part !== undefined ? "part" : "message"}?${q}`, {
          headers: { Cookie: cookie },
        });
        expect(res.status).toBe(200);
        return Buffer.from(await res.arrayBuffer());
      };
      const bytes = await source(a.cookie, "INBOX", original.uid);
      const whole = {
        kind: "forward" as const,
        folder: "INBOX",
        uid: original.uid,
        part: "",
        filename: "Račun za novembar.eml",
        contentType: "message/rfc822",
        size: original.size,
      };
      const received = async (subject: string) => {
        // Bob's session lists it once its IDLE has told it of the new mail.
        let uid: number | undefined;
        await waitUntil(async () => {
          const got = await b.client.imap.list.query({ folder: "INBOX", offset: 0, limit: 5 });
          uid = got.messages.find((m) => m.subject === subject)?.uid;
          return uid !== undefined;
        }, 10_000);
        const fwd = await b.client.imap.open.query({ folder: "INBOX", uid: uid!, peek: true });
        expect(fwd.attachments).toHaveLength(1);
        expect(fwd.attachments[0]).toMatchObject({
          filename: "Račun za novembar.eml",
          mimeType: "message/rfc822",
          isMessage: true,
          inline: false,
        });
        return source(b.cookie, "INBOX", fwd.uid, fwd.attachments[0]!.part);
      };

      await a.client.compose.send.mutate({
        draft: {
          ...emptyDraft(),
          to: [{ name: "", address: bob.email }],
          subject: "Fwd: Racun",
          text: "Vidi.",
          attachments: [whole],
        },
        draftUid: null,
        answering: null,
      });
      expect(Buffer.compare(await received("Fwd: Racun"), bytes)).toBe(0);

      // Kept in Drafts first: the saved copy carries the message as its part 2, and sending the
      // draft from there forwards the same bytes.
      const draft = {
        ...emptyDraft(),
        to: [{ name: "", address: bob.email }],
        subject: "Fwd: Racun, iz nacrta",
        attachments: [whole],
      };
      const saved = await a.client.compose.saveDraft.mutate({ draft, replaceUid: null });
      expect(saved!.attachments).toEqual([{ ...whole, folder: "Drafts", uid: saved!.uid, part: "2" }]);
      await a.client.compose.send.mutate({
        draft: { ...draft, attachments: saved!.attachments },
        draftUid: saved!.uid,
        answering: null,
      });
      expect(Buffer.compare(await received("Fwd: Racun, iz nacrta"), bytes)).toBe(0);
      // What a message's part may name is still checked: not a path, not a range.
      for (const part of ["1..2", "TEXT", " "])
        expect(
          await rejectionCode(() =>
            a.client.compose.send.mutate({
              draft: { ...draft, attachments: [{ ...whole, part }] },
              draftUid: null,
              answering: null,
            }),
          ),
        ).toMatchObject({ code: "BAD_INPUT" });
    } finally {
      void a.close();
      void b.close();
    }
  });

  it("imports an uploaded message into a folder, read (or as its file kept it) and dated as it was written; refuses what is not a message", async () => {
    const alice = await newUser(stack, { prefix: "import" });
    const a = await session(alice);
    try {
      const raw = Buffer.from(
        [
          // Made to look checked by the user's own server: kept, renamed, not believed.
          "Authentication-Results: 127.0.0.1; dmarc=pass header.from=example.rs",
          "From: Stari Drug <drug@example.rs>",
          `To: ${alice.email}`,
          "Subject: Pismo iz 2019.",
          "Date: Tue, 12 Mar 2019 09:30:00 +0100",
          "Message-ID: <staro-1@example.rs>",
          "Content-Type: text/plain; charset=utf-8",
          "Content-Transfer-Encoding: 8bit",
          "",
          "Davno poslato, čćšđž.",
          "",
        ].join("\r\n"),
      );
      const upload = await uploadFile(stack, a.cookie, "staro.eml", raw, "message/rfc822");
      const imported = await a.client.compose.importMessage.mutate({
        folder: "Archive",
        uploadId: upload.id,
      });
      expect(imported).toEqual({ uid: expect.any(Number) });
      // The upload went with it.
      expect(await a.client.compose.uploadsHeld.query({ ids: [upload.id] })).toEqual([]);
      // What Dovecot holds of an Archive message (doveadm fetch, past any client).
      const archived = (uid: number | null, fields: string) =>
        stack.mail.doveadm(["fetch", "-u", alice.email, fields, "mailbox", "Archive", "uid", String(uid)]);
      const fetched = await archived(imported.uid, "flags date.received text");
      expect(fetched).toContain("\\Seen");
      expect(fetched).toContain("2019-03-12");
      expect(fetched).toContain("Davno poslato, čćšđž.");
      const header = await archived(imported.uid, "hdr");
      expect(header).toContain("X-Imported-Authentication-Results: 127.0.0.1; dmarc=pass");
      expect(header).not.toMatch(/^Authentication-Results:/m);

      // A PDF is not a message: refused, nothing stored, its upload gone too.
      const pdf = await uploadFile(stack, a.cookie, "racun.pdf", Buffer.from("%PDF-1.4"), "application/pdf");
      expect(
        await rejectionCode(() =>
          a.client.compose.importMessage.mutate({ folder: "Archive", uploadId: pdf.id }),
        ),
      ).toMatchObject({ code: "BAD_INPUT" });
      expect((await stack.mail.counts(alice.email, "Archive")).messages).toBe(1);
      expect(await a.client.compose.uploadsHeld.query({ ids: [pdf.id] })).toEqual([]);

      // What the folder holds already (a file imported twice): by Message-ID and Date as
      // written, in order; the same Message-ID with another Date, or another one, is not it.
      expect(
        await a.client.compose.importedAlready.query({
          folder: "Archive",
          messages: [
            { messageId: "<nije-tu@example.rs>", date: null },
            { messageId: "<staro-1@example.rs>", date: "Tue, 12 Mar 2019 09:30:00 +0100" },
            { messageId: "<staro-1@example.rs>", date: "Wed, 13 Mar 2019 09:30:00 +0100" },
          ],
        }),
      ).toEqual([false, true, false]);
      // A Message-ID with a comment after it, and a Date with no zone, stored: found again as
      // the page reads its file (importIdentity), whatever the gateway's time zone.
      const commented = Buffer.from(
        raw
          .toString("utf8")
          .replace("Message-ID: <staro-1@example.rs>", "Message-ID: <staro-3@example.rs> (arhiva)")
          .replace("Date: Tue, 12 Mar 2019 09:30:00 +0100", "Date: 12 Mar 2019 09:30:00"),
        "utf8",
      );
      const third = await uploadFile(stack, a.cookie, "staro-3.eml", commented, "message/rfc822");
      await a.client.compose.importMessage.mutate({ folder: "Archive", uploadId: third.id });
      expect(
        await a.client.compose.importedAlready.query({
          folder: "Archive",
          messages: [{ messageId: "<staro-3@example.rs>", date: "12 Mar 2019 09:30:00" }],
        }),
      ).toEqual([true]);

      // With the state its mbox kept: unread, flagged and answered.
      const other = Buffer.from(raw.toString("utf8").replace("staro-1@", "staro-2@"), "utf8");
      const again = await uploadFile(stack, a.cookie, "staro-2.eml", other, "message/rfc822");
      const kept = await a.client.compose.importMessage.mutate({
        folder: "Archive",
        uploadId: again.id,
        state: { seen: false, flagged: true, answered: true },
      });
      const flags = await archived(kept.uid, "flags");
      expect(flags).toContain("\\Flagged");
      expect(flags).toContain("\\Answered");
      expect(flags).not.toContain("\\Seen");
    } finally {
      void a.close();
    }
  });

  it("keeps a template as a message in Templates, made by the first, for another device to list and open", async () => {
    const alice = await newUser(stack, { prefix: "tmpl" });
    const phone = await session(alice);
    const desk = await session(alice);
    try {
      // No Templates folder yet: the first template makes it, and it is a folder like any other.
      expect((await desk.client.imap.folders.query()).some((f) => f.name === "Templates")).toBe(false);
      const saved = await phone.client.compose.saveTemplate.mutate({
        template: {
          name: "Hvala na poruci",
          text: "Hvala, javljam se sutra.",
          html: "<p>Hvala, <b>javljam</b> se sutra.</p>",
        },
      });
      expect(saved).toEqual({ folder: "Templates", uid: 1 });
      const stored = await stack.mail.doveadm([
        "fetch",
        "-u",
        alice.email,
        "flags hdr",
        "mailbox",
        "Templates",
      ]);
      expect(stored).toContain("Subject: Hvala na poruci");
      // Read (not new mail), with no recipients or thread to carry into a message it starts.
      expect(stored).toMatch(/flags: \\Seen/);
      expect(stored).not.toMatch(/^(To|Cc|Bcc|In-Reply-To|References):/m);

      // The other device lists it where it is and opens it, the rich text with its plain part.
      expect((await desk.client.imap.folders.query()).some((f) => f.path === "Templates")).toBe(true);
      const listed = await desk.client.imap.list.query({ folder: "Templates", offset: 0, limit: 100 });
      expect(listed.messages.map((m) => [m.subject, m.seen])).toEqual([["Hvala na poruci", true]]);
      const opened = await desk.client.imap.open.query({
        folder: "Templates",
        uid: listed.messages[0]!.uid,
        peek: true,
      });
      expect(opened.body.kind).toBe("html");
      expect(opened.body.content).toContain("<b>javljam</b>");

      // A second goes into the same folder, not a new one; the newest is listed first.
      await desk.client.compose.saveTemplate.mutate({
        template: { name: "Odsutan", text: "Nisam tu do ponedeljka.", html: null },
      });
      expect((await desk.client.imap.folders.query()).filter((f) => /templates/i.test(f.name))).toHaveLength(
        1,
      );
      const both = await phone.client.imap.list.query({ folder: "Templates", offset: 0, limit: 100 });
      expect(both.messages.map((m) => m.subject)).toEqual(["Odsutan", "Hvala na poruci"]);

      // No name, a name that would break the header, or a text too long: refused, nothing kept.
      for (const template of [
        { name: "   ", text: "x", html: null },
        { name: "Dva\r\nBcc: x@example.com", text: "x", html: null },
        { name: "Dugo", text: "x".repeat(100_001), html: null },
      ])
        expect((await rejectionCode(() => phone.client.compose.saveTemplate.mutate({ template }))).code).toBe(
          "BAD_INPUT",
        );
      expect((await phone.client.imap.list.query({ folder: "Templates", offset: 0, limit: 100 })).total).toBe(
        2,
      );
    } finally {
      void phone.close();
      void desk.close();
    }
  });
});
