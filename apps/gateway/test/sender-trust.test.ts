import { generateKeyPairSync } from "node:crypto";
import { dkimSign } from "mailauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTxtDnsServer, type TxtDnsServer } from "@pismo/mail-harness";
import { connectClient, leaveOnServerPolicy, newUser, pullUntilDone, signIn, useStack } from "./helpers";

// Who sent it, through the gateway against Dovecot: the server's Authentication-Results come
// with the open (only the server's own, here its host name 127.0.0.1), a forged one does
// not, and a signed message is checked by Pismo with the key a loopback DNS server serves.

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const keyRecord = `v=DKIM1; k=rsa; p=${rsa.publicKey.export({ type: "spki", format: "der" }).toString("base64")}`;

function plain(headers: string[], body = "Zdravo.\r\n"): string {
  return [
    ...headers,
    "To: reader@pismo.test",
    "Date: Mon, 03 Nov 2025 10:00:00 +0100",
    `Message-ID: <${Math.random().toString(36).slice(2)}@firma.example>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    body,
  ].join("\r\n");
}

async function signed(message: string): Promise<string> {
  const data = {
    signingDomain: "firma.example",
    selector: "sel1",
    privateKey: rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    algorithm: "rsa-sha256",
    canonicalization: "relaxed/relaxed",
  };
  const { signatures } = await dkimSign(message, {
    ...data,
    // A fixed time: without it mailauth reads the clock twice, and a second that turns in
    // between signs one t= and writes another (about one signature in a thousand fails).
    signTime: new Date(),
    signatureData: [data],
  });
  return signatures + message;
}

/** A bank's message whose Authentication-Results (passing) were written by someone other than the server. */
const forged = () =>
  plain([
    "Authentication-Results: mx.bank.example; dkim=pass header.d=bank.example; dmarc=pass header.from=bank.example",
    "From: Bank <support@bank.example>",
    "Subject: forged",
  ]);

/** A message DKIM-signed by firma.example with the key the loopback DNS server publishes. */
const signedByFirma = () => signed(plain(["From: Marija <marija@firma.example>", "Subject: signed"]));

describe("sender checks through the gateway", () => {
  let dns: TxtDnsServer;
  beforeAll(async () => {
    dns = await startTxtDnsServer({
      "sel1._domainkey.firma.example": keyRecord,
      "_dmarc.firma.example": "v=DMARC1; p=reject",
    });
  });
  afterAll(async () => {
    await dns?.stop();
  });
  // Started after the DNS server it asks, stopped before it.
  // The test server's own id is its host name (the test mail arrives with such fields).
  const stack = useStack(() => ({ env: { PISMO_DNS_SERVERS: dns.address, PISMO_AUTHSERV_ID: "127.0.0.1" } }));

  it("IMAP: a forged result counts for nothing, the server's own does, a signature is checked on request", async () => {
    const user = await newUser(stack, { prefix: "trust" });
    await stack.mail.deliver(user.email, forged());
    await stack.mail.deliver(
      user.email,
      plain([
        "Authentication-Results: 127.0.0.1; dkim=fail header.d=bank.example; dmarc=fail (p=reject) header.from=bank.example",
        "Authentication-Results: mx.bank.example; dkim=pass header.d=bank.example; dmarc=pass header.from=bank.example",
        "From: Bank <support@bank.example>",
        "Subject: server-checked",
      ]),
    );
    await stack.mail.deliver(user.email, await signedByFirma());
    const { client, close } = connectClient(
      stack.gateway.url,
      await signIn(stack, user.email, user.password),
    );
    try {
      const list = await client.imap.list.query({ folder: "INBOX", offset: 0, limit: 10 });
      const uid = (subject: string) => list.messages.find((m) => m.subject === subject)!.uid;

      const forged = await client.imap.open.query({ folder: "INBOX", uid: uid("forged"), peek: true });
      expect(forged.sender).toEqual({ verdict: null, selfCheck: false, list: null, hasReplyTo: false });
      expect(await client.imap.verifySender.query({ folder: "INBOX", uid: uid("forged") })).toBeNull();

      const checked = await client.imap.open.query({
        folder: "INBOX",
        uid: uid("server-checked"),
        peek: true,
      });
      expect(checked.sender?.verdict).toMatchObject({
        status: "failed",
        method: "server",
        authservId: "127.0.0.1",
        failed: ["dmarc", "dkim"],
      });

      const signedOpen = await client.imap.open.query({ folder: "INBOX", uid: uid("signed"), peek: true });
      expect(signedOpen.sender).toEqual({ verdict: null, selfCheck: true, list: null, hasReplyTo: false });
      expect(await client.imap.verifySender.query({ folder: "INBOX", uid: uid("signed") })).toEqual({
        status: "verified",
        domain: "firma.example",
        method: "pismo",
      });
      // Checking read the whole message with BODY.PEEK: it is still unread.
      const after = await client.imap.list.query({ folder: "INBOX", offset: 0, limit: 10 });
      expect(after.messages.find((m) => m.subject === "signed")?.seen).toBe(false);
    } finally {
      void close();
    }
  });

  it("POP3: each pulled message comes with its verdict", async () => {
    const user = await newUser(stack, { prefix: "trustpop" });
    await stack.mail.deliver(user.email, await signedByFirma());
    await stack.mail.deliver(user.email, forged());
    const { client, close } = connectClient(
      stack.gateway.url,
      await signIn(stack, user.email, user.password, "pop3"),
    );
    try {
      const verdicts = new Map<string, unknown>();
      const run = pullUntilDone(client, { known: [], policy: leaveOnServerPolicy }, (event, run) => {
        const subject = /^Subject: (\S+)/m.exec(Buffer.from(event.raw, "base64").toString())?.[1] ?? "";
        verdicts.set(subject, event.verdict);
        run.queue(() => client.pop3.ack.mutate({ pullId: run.pullId, uid: event.uid }));
      });
      await run.ended;
      expect(verdicts.get("signed")).toEqual({
        status: "verified",
        domain: "firma.example",
        method: "pismo",
      });
      expect(verdicts.get("forged")).toBeNull();
    } finally {
      void close();
    }
  });
});
