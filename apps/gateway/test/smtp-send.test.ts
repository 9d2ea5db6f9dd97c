import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { setTimeout as delay } from "node:timers/promises";
import PostalMime from "postal-mime";
import { imapCommand, RawSocket, startMailServer, type MailServer } from "@pismo/mail-harness";
import { isMailError, type MailErrorCode } from "@pismo/protocol/errors";
import type { ServerEndpoint } from "@pismo/protocol/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../src/env";
import { composeMessage, sendMail, smtpSizeLimit, type OutgoingMessage } from "../src/smtp/send-mail";

const ALICE = { name: "alice@pismo.test", password: "alice-pw" };
const BOB = { name: "bob@pismo.test", password: "bob-pw" };
const CAROL = { name: "carol@pismo.test", password: "carol-pw" };
const SIZE_LIMIT = 256 * 1024;

async function expectCode(promise: Promise<unknown>, code: MailErrorCode): Promise<Error> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isMailError(error) ? error.code : error).toBe(code);
  return error as Error;
}

/** Every message in a user's INBOX whose Subject contains `marker`, byte-exact over IMAP. */
async function fetchBySubject(
  server: MailServer,
  user: { name: string; password: string },
  marker: string,
): Promise<Buffer[]> {
  const socket = await RawSocket.connect(server.imapPort);
  try {
    await socket.readLine();
    expect((await imapCommand(socket, `LOGIN "${user.name}" "${user.password}"`)).status).toMatch(/ OK/);
    await imapCommand(socket, "SELECT INBOX");
    const search = await imapCommand(socket, `UID SEARCH CHARSET UTF-8 SUBJECT "${marker}"`);
    const uids = (search.untagged.find((l) => l.startsWith("* SEARCH")) ?? "")
      .split(" ")
      .slice(2)
      .filter(Boolean);
    const out: Buffer[] = [];
    for (const uid of uids) {
      const fetch = await imapCommand(socket, `UID FETCH ${uid} BODY.PEEK[]`);
      if (fetch.literals[0]) out.push(fetch.literals[0]);
    }
    return out;
  } finally {
    socket.close();
  }
}

/** LMTP delivery happens after the SMTP answer (through Postfix's queue manager): poll. */
async function waitForMessage(
  server: MailServer,
  user: { name: string; password: string },
  marker: string,
): Promise<Buffer> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = await fetchBySubject(server, user, marker);
    if (found[0]) return found[0];
    if (Date.now() > deadline) throw new Error(`"${marker}" never reached ${user.name}`);
    await delay(50);
  }
}

function headerBlock(raw: Buffer): string {
  const end = raw.indexOf("\r\n\r\n");
  return raw.subarray(0, end < 0 ? raw.length : end).toString("latin1");
}

describe("sending through SMTP (Postfix → LMTP → Dovecot)", () => {
  let server: MailServer;
  let plain: ServerEndpoint;
  const alice = { user: ALICE.name, pass: ALICE.password };
  const simple = (subject: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    from: { name: "Alice", address: ALICE.name },
    to: [{ name: "Bob", address: BOB.name }],
    subject,
    text: "Hello.\n",
    attachments: [],
    ...extra,
  });

  beforeAll(async () => {
    server = await startMailServer({
      users: [ALICE, BOB, CAROL],
      smtp: { messageSizeLimit: SIZE_LIMIT },
      tls: true,
    });
    plain = { host: server.host, port: server.smtpPort ?? 0, security: "none" };
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("sends alice's letter to bob: UTF-8 subject, RFC 2231 attachment name, exact bytes, Bcc only in the envelope", async () => {
    const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(100 * 1024)]);
    const subject = "Račun za novembar — ČĆŽŠĐ čćžšđ";
    const result = await sendMail(plain, alice, {
      from: { name: "Alisa Ćirić", address: ALICE.name },
      to: [{ name: 'Bob, "the" builder', address: BOB.name }],
      bcc: [{ name: "Carol", address: CAROL.name }],
      subject,
      text: "Zdravo Bobe,\nu prilogu je račun.\n.\nPozdrav\n",
      html: "<p>Zdravo Bobe, u prilogu je <b>račun</b>.</p>",
      inReplyTo: "first@pismo.test",
      references: ["<first@pismo.test>"],
      attachments: [
        { filename: "račun-č.pdf", contentType: "application/pdf", content: pdf },
        {
          filename: "notes.txt",
          contentType: "text/plain",
          content: Readable.from([Buffer.from("streamed "), Buffer.from("content")]),
        },
      ],
    });
    expect(result.accepted.sort()).toEqual([BOB.name, CAROL.name]);
    expect(result.rejected).toEqual([]);
    expect(result.messageId).toMatch(/^<[^<>@\s]+@pismo\.test>$/);
    expect(headerBlock(result.raw)).not.toMatch(/^bcc:/im);
    expect(result.raw.toString("latin1")).toMatch(
      /^Content-Disposition: attachment; filename\*0\*=utf-8''ra%C4%8Dun-%C4%8D\.pdf\r$/m,
    );
    expect(result.raw.toString("latin1")).not.toMatch(/[^\r]\n/);

    const received = await waitForMessage(server, BOB, "Račun za novembar");
    // Postfix and Dovecot only prepend trace headers: the rest is byte for byte what was sent.
    expect(received.subarray(received.length - result.raw.length).equals(result.raw)).toBe(true);
    expect(headerBlock(received)).not.toMatch(/^bcc:/im);
    expect(headerBlock(received)).not.toContain(CAROL.name);
    const parsed = await PostalMime.parse(received);
    expect(parsed.subject).toBe(subject);
    expect(parsed.messageId).toBe(result.messageId);
    expect(parsed.inReplyTo).toBe("<first@pismo.test>");
    expect(parsed.from?.name).toBe("Alisa Ćirić");
    expect(parsed.to?.[0]?.name).toBe('Bob, "the" builder');
    expect(parsed.text).toContain("\n.\nPozdrav");
    const attachment = parsed.attachments.find((a) => a.filename === "račun-č.pdf");
    expect(attachment?.mimeType).toBe("application/pdf");
    expect(Buffer.from(attachment?.content as ArrayBuffer).equals(pdf)).toBe(true);
    const notes = parsed.attachments.find((a) => a.filename === "notes.txt");
    expect(Buffer.from(notes?.content as ArrayBuffer).toString()).toBe("streamed content");

    // The Bcc recipient got the same message, still without a Bcc header.
    const copy = await waitForMessage(server, CAROL, "Račun za novembar");
    expect(headerBlock(copy)).not.toMatch(/^bcc:/im);
  });

  it("reads the size limit from EHLO SIZE, with or without signing in", async () => {
    expect(await smtpSizeLimit(plain)).toBe(SIZE_LIMIT);
    expect(await smtpSizeLimit(plain, alice)).toBe(SIZE_LIMIT);
    await expectCode(smtpSizeLimit(plain, { user: ALICE.name, pass: "wrong" }), "AUTH_FAILED");
  });

  it("names a refused recipient (RECIPIENT_REFUSED), and reports a partly refused one", async () => {
    const error = await expectCode(
      sendMail(plain, alice, simple("Nobody home", { to: [{ name: "", address: "nobody@pismo.test" }] })),
      "RECIPIENT_REFUSED",
    );
    expect(error.message).toContain("nobody@pismo.test");
    const partly = await sendMail(
      plain,
      alice,
      simple("Half home", {
        to: [
          { name: "", address: BOB.name },
          { name: "", address: "ghost@pismo.test" },
        ],
      }),
    );
    expect(partly.accepted).toEqual([BOB.name]);
    expect(partly.rejected).toEqual(["ghost@pismo.test"]);
  });

  it("refuses an oversized message (MESSAGE_TOO_LARGE), from the server and before connecting", async () => {
    const big = simple("Too big", {
      attachments: [
        { filename: "big.bin", contentType: "application/octet-stream", content: randomBytes(SIZE_LIMIT) },
      ],
    });
    await expectCode(sendMail(plain, alice, big), "MESSAGE_TOO_LARGE");
    const unreachable: ServerEndpoint = { host: "127.0.0.1", port: 1, security: "none" };
    await expectCode(sendMail(unreachable, alice, big, { sizeLimit: SIZE_LIMIT }), "MESSAGE_TOO_LARGE");
    expect(await fetchBySubject(server, BOB, "Too big")).toEqual([]);
  });

  it("maps a wrong password to AUTH_FAILED and a closed port to SERVER_UNREACHABLE", async () => {
    await expectCode(
      sendMail(plain, { user: ALICE.name, pass: "wrong" }, simple("Wrong password")),
      "AUTH_FAILED",
    );
    await expectCode(
      sendMail({ host: "127.0.0.1", port: 1, security: "none" }, alice, simple("Nowhere")),
      "SERVER_UNREACHABLE",
    );
  });

  it("refuses header injection through any field (BAD_INPUT) and sends nothing", async () => {
    const attempts: Array<Partial<OutgoingMessage>> = [
      { subject: "Hi\r\nBcc: evil@example.com" },
      { subject: "Hi\nX-Injected: 1" },
      { from: { name: "Alice\r\nBcc: evil@example.com", address: ALICE.name } },
      { to: [{ name: "Bob", address: `${BOB.name}\r\nRCPT TO:<evil@example.com>` }] },
      { to: [{ name: "Bob", address: `${BOB.name}, evil@example.com` }] },
      { cc: [{ name: "Eve\n", address: "eve@example.com" }] },
      { bcc: [{ name: "", address: "<evil@example.com>" }] },
      { inReplyTo: "<a@b>\r\nBcc: evil@example.com" },
      { references: ["<a@b> <c@d>"] },
      {
        attachments: [
          {
            filename: "a.txt\r\nContent-Type: text/html",
            contentType: "text/plain",
            content: Buffer.from("x"),
          },
        ],
      },
      {
        attachments: [
          { filename: "a.txt", contentType: "text/plain\r\nX-Injected: 1", content: Buffer.from("x") },
        ],
      },
      { to: [], cc: [], bcc: [] },
    ];
    for (const attempt of attempts) {
      await expectCode(sendMail(plain, alice, simple("Injected", attempt)), "BAD_INPUT");
    }
    expect(await fetchBySubject(server, BOB, "Injected")).toEqual([]);
    expect(await fetchBySubject(server, BOB, "Hi")).toEqual([]);
  });

  it("sends over STARTTLS and implicit TLS, and refuses an unverified certificate (TLS_FAILED)", async () => {
    const starttls: ServerEndpoint = { ...plain, security: "starttls" };
    const implicit: ServerEndpoint = { host: server.host, port: server.smtpsPort ?? 0, security: "tls" };
    expect((await sendMail(starttls, alice, simple("Over STARTTLS"), { tlsVerify: false })).accepted).toEqual(
      [BOB.name],
    );
    expect((await sendMail(implicit, alice, simple("Over TLS"), { tlsVerify: false })).accepted).toEqual([
      BOB.name,
    ]);
    await waitForMessage(server, BOB, "Over STARTTLS");
    await waitForMessage(server, BOB, "Over TLS");
    await expectCode(sendMail(starttls, alice, simple("Unverified")), "TLS_FAILED");
    await expectCode(sendMail(implicit, alice, simple("Unverified")), "TLS_FAILED");
    expect(await smtpSizeLimit(starttls, alice, { tlsVerify: false })).toBe(SIZE_LIMIT);
  });

  it("composes without sending: CRLF lines and the envelope includes Bcc", async () => {
    const composed = await composeMessage(
      simple("Compose only", { bcc: [{ name: "", address: CAROL.name }] }),
    );
    expect(composed.envelope).toEqual({ from: ALICE.name, to: [BOB.name, CAROL.name] });
    expect(composed.raw.toString("latin1")).not.toMatch(/[^\r]\n/);
  });

  it("keeps a message of no text and one file multipart/mixed (its file after the body part), a message/rfc822 one whole", async () => {
    // Without a text part, nodemailer made the file the whole message: a draft's files are read
    // back as parts 2…, and a message/rfc822 file (Forward as attachment) went out empty.
    const inner = "From: a@pismo.test\r\nSubject: Unutra\r\n\r\nTelo poruke.\r\n";
    for (const [contentType, content] of [
      ["message/rfc822", Readable.from([Buffer.from(inner)])],
      ["application/pdf", Buffer.from("%PDF-1.4")],
    ] as const) {
      const { raw } = await composeMessage({
        ...simple("Samo prilog"),
        text: "",
        attachments: [{ filename: "prilog", contentType, content }],
      });
      const parsed = await PostalMime.parse(raw, { attachmentEncoding: "utf8" } as never);
      expect(raw.toString("latin1")).toMatch(/^Content-Type: multipart\/mixed;/m);
      expect(parsed.text ?? "").toBe("");
      expect(parsed.attachments.map((a) => a.mimeType)).toEqual([contentType]);
      if (contentType === "message/rfc822") expect(raw.toString("latin1")).toContain(inner);
    }
    // With HTML and no text, the HTML is the body part: no empty text/plain beside it.
    const { raw } = await composeMessage({
      ...simple("Samo HTML"),
      text: "",
      html: "<p>Samo HTML.</p>",
      attachments: [{ filename: "prilog.pdf", contentType: "application/pdf", content: Buffer.from("%PDF") }],
    });
    const source = raw.toString("latin1");
    expect(source).toMatch(/^Content-Type: multipart\/mixed;/m);
    expect(source).not.toMatch(/multipart\/alternative|text\/plain/);
    expect(source).toMatch(/Content-Type: text\/html/);
  });

  it("reads PISMO_SMTP_* into config.smtp and allows its host", () => {
    expect(readConfig({}).smtp).toBeNull();
    const config = readConfig({ PISMO_SMTP_HOST: "Smtp.Example.com" });
    expect(config.smtp).toEqual({ host: "Smtp.Example.com", port: 587, security: "starttls" });
    expect(config.allowedHosts).toContain("smtp.example.com");
    expect(
      readConfig({ PISMO_SMTP_HOST: "mail.example.com", PISMO_SMTP_PORT: "465", PISMO_SMTP_SECURITY: "tls" })
        .smtp,
    ).toEqual({ host: "mail.example.com", port: 465, security: "tls" });
    expect(() => readConfig({ PISMO_SMTP_SECURITY: "ssl" })).toThrow(/PISMO_SMTP_SECURITY/);
  });
});

describe("the sender's own copy", () => {
  it("names the blind copies in a Bcc field (encoded, folded), where what is sent has none; its other bytes are the same", async () => {
    const bcc = [
      { name: "Šef Službe Đorđević", address: "sef@primer.rs" },
      ...Array.from({ length: 6 }, (_, i) => ({ name: "", address: `kopija${i}@primer.rs` })),
    ];
    const built = await composeMessage({
      from: { name: "Ana", address: "ana@pismo.test" },
      to: [{ name: "", address: "bob@pismo.test" }],
      bcc,
      subject: "Sa skrivenom kopijom",
      text: "Tekst.\n",
    });
    expect(headerBlock(built.raw)).not.toMatch(/^bcc:/im);
    const copy = built.sentCopy.toString("latin1");
    const raw = built.raw.toString("latin1");
    // The same message, with one field more at the end of its header.
    const field = copy.slice(raw.indexOf("\r\n\r\n") + 2, copy.indexOf("\r\n\r\n") + 2);
    expect(copy.replace(field, "")).toBe(raw);
    expect(field).toMatch(/^Bcc: /);
    expect(
      field
        .split("\r\n")
        .slice(1, -1)
        .every((line) => /^[ \t]/.test(line) && line.length <= 78),
    ).toBe(true);
    const parsed = await PostalMime.parse(built.sentCopy);
    expect(parsed.bcc?.map((a) => [a.name, a.address])).toEqual(bcc.map((a) => [a.name, a.address]));
    // Without blind copies it is what was sent.
    const plain = await composeMessage({
      from: { name: "Ana", address: "ana@pismo.test" },
      to: [{ name: "", address: "bob@pismo.test" }],
      subject: "Bez",
      text: "x",
    });
    expect(plain.sentCopy.equals(plain.raw)).toBe(true);
  });
});
