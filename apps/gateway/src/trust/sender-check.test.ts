// Which Authentication-Results the gateway believes, and Pismo's own check through the DNS
// servers of PISMO_DNS_SERVERS (a TXT server on loopback serves the test's key).

import { generateKeyPairSync } from "node:crypto";
import { dkimSign } from "mailauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTxtDnsServer, type TxtDnsServer } from "@pismo/mail-harness";
import { readHeaderFields } from "@pismo/protocol/trust";
import { createLogger } from "../log";
import { SenderChecks } from "./sender-check";
import { CachedTxtResolver } from "./verify-dkim";

const log = createLogger("silent");
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const record = `v=DKIM1; k=rsa; p=${rsa.publicKey.export({ type: "spki", format: "der" }).toString("base64")}`;

const MESSAGE = [
  "From: Marija <marija@firma.example>",
  "To: Ana <ana@example.net>",
  "Subject: Izveštaj",
  "Date: Mon, 03 Nov 2025 10:00:00 +0100",
  "Message-ID: <r1@firma.example>",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Zdravo Ana.",
  "",
].join("\r\n");

async function signed(message = MESSAGE): Promise<Buffer> {
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
  return Buffer.from(signatures + message);
}

const headers = (text: string) => readHeaderFields(`${text}\r\n\r\nbody`);

describe("SenderChecks.assess", () => {
  const checks = new SenderChecks({ authservIds: ["mail.firma.example"], dnsServers: ["127.0.0.1:9"], log });

  it("believes no Authentication-Results without PISMO_AUTHSERV_ID: the topmost may be the sender's", () => {
    const unset = new SenderChecks({ authservIds: [], dnsServers: ["127.0.0.1:9"], log });
    const fields = headers(
      [
        "Authentication-Results: mail.firma.example; dkim=pass header.d=bank.example; dmarc=pass header.from=bank.example",
        "From: Bank <support@bank.example>",
      ].join("\r\n"),
    );
    expect(unset.assess(fields, 500).verdict).toBeNull();
  });

  it("ignores an Authentication-Results the sender wrote under another id", () => {
    const forged = headers(
      [
        "Authentication-Results: mx.google.com; dkim=pass header.d=bank.example; dmarc=pass header.from=bank.example",
        "From: Bank <support@bank.example>",
      ].join("\r\n"),
    );
    expect(checks.assess(forged, 500)).toEqual({
      verdict: null,
      selfCheck: false,
      list: null,
      hasReplyTo: false,
    });
  });

  it("a sender's field under the user's own domain is not the server's", () => {
    const forged = headers(
      [
        "Authentication-Results: firma.example; dkim=pass header.d=bank.example; dmarc=pass header.from=bank.example",
        "From: Bank <support@bank.example>",
      ].join("\r\n"),
    );
    expect(checks.assess(forged, 500).verdict).toBeNull();
  });

  it("a sender's field below the server's, under the server's id, adds nothing to it", () => {
    const fields = headers(
      [
        "Authentication-Results: mail.firma.example; dkim=pass header.d=evil.example",
        "Authentication-Results: mail.firma.example; dmarc=pass header.from=bank.example",
        "From: Bank <support@bank.example>",
      ].join("\r\n"),
    );
    expect(checks.assess(fields, 500).verdict).toEqual({
      status: "not-verified",
      method: "server",
      authservId: "mail.firma.example",
    });
  });

  it("believes the server's own field, and then needs no check of its own", () => {
    const fields = headers(
      [
        "Authentication-Results: mail.firma.example; dkim=pass header.d=bank.example; dmarc=pass header.from=bank.example",
        "DKIM-Signature: v=1; d=bank.example; s=x; b=abc",
        "From: Bank <support@bank.example>",
      ].join("\r\n"),
    );
    expect(checks.assess(fields, 500)).toMatchObject({
      verdict: { status: "verified", domain: "bank.example", method: "server" },
      selfCheck: false,
    });
  });

  it("offers its own check only for a signed message within the size cap", () => {
    const fields = headers("DKIM-Signature: v=1; d=firma.example; s=x; b=abc\r\nFrom: marija@firma.example");
    expect(checks.assess(fields, 1000).selfCheck).toBe(true);
    expect(checks.assess(fields, 5 * 1024 * 1024).selfCheck).toBe(false);
    expect(checks.assess(headers("From: marija@firma.example"), 1000).selfCheck).toBe(false);
  });

  it("offers it only where a signature is aligned with From: no other is checked", () => {
    const other = headers("DKIM-Signature: v=1; d=tracker.example; s=x; b=abc\r\nFrom: marija@firma.example");
    expect(checks.assess(other, 1000).selfCheck).toBe(false);
    const folded = headers(
      "DKIM-Signature: v=1; a=rsa-sha256;\r\n d=mail.firma.example ; s=x; b=abc\r\nFrom: marija@firma.example",
    );
    expect(checks.assess(folded, 1000).selfCheck).toBe(true);
  });
});

describe("SenderChecks through PISMO_DNS_SERVERS", () => {
  let dns: TxtDnsServer;
  beforeAll(async () => {
    dns = await startTxtDnsServer({
      "sel1._domainkey.firma.example": record,
      "_dmarc.firma.example": "v=DMARC1; p=reject",
    });
  });
  afterAll(async () => {
    await dns.stop();
  });

  it("verifies a signed message with the key the configured DNS server serves, and caches it", async () => {
    const checks = new SenderChecks({ authservIds: [], dnsServers: [dns.address], log });
    const raw = await signed();
    expect(await checks.verdictOfRaw(raw, false)).toEqual({
      status: "verified",
      domain: "firma.example",
      method: "pismo",
    });
    const asked = dns.asked.length;
    expect(asked).toBeGreaterThan(0);
    await checks.verdictOfRaw(raw, false);
    expect(dns.asked.length).toBe(asked);
  });

  it("a body changed after signing fails", async () => {
    const checks = new SenderChecks({ authservIds: [], dnsServers: [dns.address], log });
    const raw = Buffer.from((await signed()).toString("utf8").replace("Zdravo Ana.", "Platite odmah."));
    expect(await checks.verdictOfRaw(raw, false)).toMatchObject({
      status: "failed",
      method: "pismo",
    });
  });

  it("a changed body with no key to be found is not a failure (archived mail, a made-up signer)", async () => {
    const noKeys = new CachedTxtResolver({
      lookupTxt: (name) => Promise.reject(Object.assign(new Error(`${name}: none`), { code: "ENOTFOUND" })),
    });
    const checks = new SenderChecks({ authservIds: [], dnsServers: [], log, resolver: noKeys });
    const raw = Buffer.from((await signed()).toString("utf8").replace("Zdravo Ana.", "Platite odmah."));
    expect(await checks.verdictOfRaw(raw, false)).toEqual({
      status: "not-verified",
      method: "pismo",
    });
  });

  it("does not check a message that came as headers only", async () => {
    const checks = new SenderChecks({ authservIds: [], dnsServers: [dns.address], log });
    expect(await checks.verdictOfRaw(await signed(), true)).toBeNull();
  });
});
