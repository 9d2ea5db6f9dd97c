// Pismo's own DKIM/DMARC check against messages signed here with mailauth's signer and
// keys made for the test; DNS answers come from a function (no network).

import { generateKeyPairSync } from "node:crypto";
import { dkimSign } from "mailauth";
import { describe, expect, it } from "vitest";
import { MailError } from "@pismo/protocol/errors";
import { CachedTxtResolver, MAX_DKIM_CHECK_BYTES, organizationResolver, verifyDkim } from "./verify-dkim";

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ed = generateKeyPairSync("ed25519");

const rsaRecord = `v=DKIM1; k=rsa; p=${rsa.publicKey.export({ type: "spki", format: "der" }).toString("base64")}`;
// An ed25519 key record holds the raw 32-byte key (RFC 8463 §4.2): the end of the SPKI DER.
const edRecord = `v=DKIM1; k=ed25519; p=${ed.publicKey.export({ type: "spki", format: "der" }).subarray(-32).toString("base64")}`;

function zone(records: Record<string, string>, lookups: string[] = []) {
  return (name: string): Promise<string[][]> => {
    lookups.push(name);
    const record = records[name];
    if (record === undefined) {
      return Promise.reject(Object.assign(new Error(`${name} not found`), { code: "ENOTFOUND" }));
    }
    // Long TXT records come in 255-byte chunks, as real DNS answers do.
    return Promise.resolve([record.match(/.{1,255}/g) ?? [record]]);
  };
}

const RECORDS = {
  "sel1._domainkey.firma.example": rsaRecord,
  "ed1._domainkey.firma.example": edRecord,
  "esp._domainkey.esp-mailer.example": rsaRecord,
  "_dmarc.firma.example": "v=DMARC1; p=reject; rua=mailto:dmarc@firma.example",
};

const MESSAGE = [
  "From: =?UTF-8?Q?Marija_Jovanovi=C4=87?= <marija@firma.example>",
  "To: Ana <ana@example.net>",
  "Subject: =?UTF-8?Q?Izve=C5=A1taj_za_oktobar?=",
  "Date: Mon, 03 Nov 2025 10:00:00 +0100",
  "Message-ID: <report-2025-10@firma.example>",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=utf-8",
  "Content-Transfer-Encoding: 8bit",
  "",
  "Zdravo Ana,",
  "",
  "u prilogu je izveštaj za oktobar. Ukupno: 1.250 EUR.",
  "",
  "Pozdrav,",
  "Marija",
  "",
].join("\r\n");

async function sign(
  message: string,
  signingDomain: string,
  selector: string,
  privateKey: string,
  algorithm = "rsa-sha256",
): Promise<Buffer> {
  const data = { signingDomain, selector, privateKey, algorithm, canonicalization: "relaxed/relaxed" };
  const { signatures, errors } = await dkimSign(message, {
    ...data,
    // A fixed time: without it mailauth reads the clock twice, and a second that turns in
    // between signs one t= and writes another (about one signature in a thousand fails).
    signTime: new Date(),
    signatureData: [data],
  });
  expect(errors).toEqual([]);
  return Buffer.from(signatures + message);
}

const rsaPem = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const edPem = ed.privateKey.export({ type: "pkcs8", format: "pem" }).toString();

/** Signed by firma.example (aligned with From), then by a domain the sender named freely. */
async function signedTwice(message = MESSAGE): Promise<Buffer> {
  const firma = await sign(message, "firma.example", "sel1", rsaPem);
  return sign(firma.toString("utf8"), "tracker.example", "opened-42", rsaPem);
}

describe("verifyDkim", () => {
  it("an aligned RSA signature with a DMARC record: verified for the From domain", async () => {
    const raw = await sign(MESSAGE, "firma.example", "sel1", rsaPem);
    const resolver = new CachedTxtResolver({ lookupTxt: zone(RECORDS) });
    expect(await verifyDkim(raw, { resolver })).toEqual({
      status: "verified",
      domain: "firma.example",
      method: "pismo",
    });
  });

  it("an aligned ed25519 signature (RFC 8463), domain without DMARC record: verified by alignment", async () => {
    const raw = await sign(MESSAGE, "firma.example", "ed1", edPem, "ed25519-sha256");
    const records: Record<string, string> = { ...RECORDS };
    delete records["_dmarc.firma.example"];
    const resolver = new CachedTxtResolver({ lookupTxt: zone(records) });
    expect(await verifyDkim(raw, { resolver })).toEqual({
      status: "verified",
      domain: "firma.example",
      method: "pismo",
    });
  });

  it("a body changed after signing: failed, naming DMARC and DKIM", async () => {
    const raw = await sign(MESSAGE, "firma.example", "sel1", rsaPem);
    const tampered = Buffer.from(raw.toString("utf8").replace("1.250 EUR", "9.250 EUR"));
    const resolver = new CachedTxtResolver({ lookupTxt: zone(RECORDS) });
    expect(await verifyDkim(tampered, { resolver })).toEqual({
      status: "failed",
      method: "pismo",
      failed: ["dmarc", "dkim"],
      domain: "firma.example",
    });
  });

  it("a forged From under another domain's valid signature: not verified (an ESP signature proves nothing about From)", async () => {
    const raw = await sign(MESSAGE, "esp-mailer.example", "esp", rsaPem);
    const resolver = new CachedTxtResolver({
      lookupTxt: zone({ ...RECORDS, "_dmarc.firma.example": "v=DMARC1; p=none" }),
    });
    expect(await verifyDkim(raw, { resolver })).toEqual({ status: "not-verified", method: "pismo" });
  });

  it("an unsigned message: not verified, and a DMARC fail without SPF is not taken for a failure", async () => {
    const resolver = new CachedTxtResolver({ lookupTxt: zone(RECORDS) });
    expect(await verifyDkim(Buffer.from(MESSAGE), { resolver })).toEqual({
      status: "not-verified",
      method: "pismo",
    });
  });

  it("DNS that does not answer: not verified (not failed), within the lookup timeout", async () => {
    const raw = await sign(MESSAGE, "firma.example", "sel1", rsaPem);
    const silent = () => new Promise<string[][]>(() => {});
    const resolver = new CachedTxtResolver({ lookupTxt: silent, lookupTimeoutMs: 100 });
    const started = Date.now();
    expect(await verifyDkim(raw, { resolver })).toEqual({ status: "not-verified", method: "pismo" });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("the per-message budget stops slow DNS even when each lookup is within its own timeout", async () => {
    const raw = await sign(MESSAGE, "firma.example", "sel1", rsaPem);
    const slow = (name: string) =>
      new Promise<string[][]>((resolve) => setTimeout(() => resolve(zone(RECORDS)(name)), 400)).then(
        (p) => p,
      );
    const resolver = new CachedTxtResolver({ lookupTxt: slow, lookupTimeoutMs: 1_000 });
    const started = Date.now();
    expect(await verifyDkim(raw, { resolver, budgetMs: 150 })).toEqual({
      status: "not-verified",
      method: "pismo",
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("answers are cached: a second check of the same sender does no lookup", async () => {
    const raw = await sign(MESSAGE, "firma.example", "sel1", rsaPem);
    const lookups: string[] = [];
    const resolver = new CachedTxtResolver({ lookupTxt: zone(RECORDS, lookups) });
    await verifyDkim(raw, { resolver });
    const first = lookups.length;
    expect(first).toBeGreaterThan(0);
    expect(await verifyDkim(raw, { resolver })).toMatchObject({ status: "verified" });
    expect(lookups.length).toBe(first);
  });

  it("looks up nothing outside the From domain's organization: another domain's key is never asked for", async () => {
    const raw = await signedTwice();
    const lookups: string[] = [];
    const resolver = new CachedTxtResolver({
      lookupTxt: zone({ ...RECORDS, "opened-42._domainkey.tracker.example": rsaRecord }, lookups),
    });
    expect(await verifyDkim(raw, { resolver })).toEqual({
      status: "verified",
      domain: "firma.example",
      method: "pismo",
    });
    expect(lookups.sort()).toEqual(["_dmarc.firma.example", "sel1._domainkey.firma.example"]);
  });

  it("a message signed only by another domain than From's: no lookup at all", async () => {
    const raw = await sign(MESSAGE, "esp-mailer.example", "esp", rsaPem);
    const lookups: string[] = [];
    const resolver = new CachedTxtResolver({ lookupTxt: zone(RECORDS, lookups) });
    expect(await verifyDkim(raw, { resolver })).toEqual({ status: "not-verified", method: "pismo" });
    expect(lookups).toEqual([]);
  });

  it("a broken aligned signature beside an unchecked one of another domain is no alarm", async () => {
    // Changed after firma.example signed, then signed by a relay: the relay's may verify.
    const firma = await sign(MESSAGE, "firma.example", "sel1", rsaPem);
    const changed = firma.toString("utf8").replace("1.250 EUR", "1.250 EUR (footer)");
    const raw = await sign(changed, "relay.example", "r1", rsaPem);
    const records: Record<string, string> = { ...RECORDS, "r1._domainkey.relay.example": rsaRecord };
    delete records["_dmarc.firma.example"];
    const lookups: string[] = [];
    const resolver = new CachedTxtResolver({ lookupTxt: zone(records, lookups) });
    expect(await verifyDkim(raw, { resolver })).toEqual({ status: "not-verified", method: "pismo" });
    expect(lookups.every((name) => name.endsWith("firma.example"))).toBe(true);
    // Alone, the same broken signature is a failure.
    expect(await verifyDkim(Buffer.from(changed), { resolver })).toMatchObject({
      status: "failed",
      failed: ["dkim"],
    });
  });

  it("refuses messages over the size cap with a specific error", async () => {
    const big = Buffer.alloc(MAX_DKIM_CHECK_BYTES + 1, 0x61);
    await expect(verifyDkim(big)).rejects.toBeInstanceOf(MailError);
    await expect(verifyDkim(big)).rejects.toMatchObject({ code: "MESSAGE_TOO_LARGE" });
  });
});

describe("organizationResolver", () => {
  const asked = async (fromDomain: string | null, names: string[]) => {
    const lookups: string[] = [];
    const resolver = organizationResolver((name) => {
      lookups.push(name);
      return Promise.resolve([["v=DKIM1; p=abc"]]);
    }, fromDomain);
    for (const name of names) await resolver(name, "TXT").catch(() => undefined);
    return lookups;
  };

  it("asks only names within the From domain's organizational domain", async () => {
    expect(
      await asked("news.firma.example", [
        "s1._domainkey.firma.example",
        "s1._domainkey.mail.firma.example",
        "_dmarc.news.firma.example",
        "_dmarc.firma.example",
        "S2._domainkey.FIRMA.example.",
        "s1._domainkey.tracker.example",
        "s1._domainkey.firma.example.tracker.example",
        "s1._domainkey.notfirma.example",
        "_dmarc.example",
      ]),
    ).toEqual([
      "s1._domainkey.firma.example",
      "s1._domainkey.mail.firma.example",
      "_dmarc.news.firma.example",
      "_dmarc.firma.example",
      "S2._domainkey.FIRMA.example.",
    ]);
  });

  it("follows the Public Suffix List, and asks nothing without a From domain", async () => {
    expect(
      await asked("shop.co.uk", ["s._domainkey.shop.co.uk", "s._domainkey.other.co.uk", "_dmarc.co.uk"]),
    ).toEqual(["s._domainkey.shop.co.uk"]);
    expect(await asked(null, ["s._domainkey.firma.example"])).toEqual([]);
  });

  it("answers a name it does not ask as 'no such record'", async () => {
    const resolver = organizationResolver(() => Promise.resolve([]), "firma.example");
    await expect(resolver("s._domainkey.tracker.example", "TXT")).rejects.toMatchObject({
      code: "ENOTFOUND",
    });
  });
});

describe("CachedTxtResolver", () => {
  it("expires entries after their TTL, caches 'not found' briefly, and evicts the least recently used", async () => {
    let clock = 0;
    const lookups: string[] = [];
    const resolver = new CachedTxtResolver({
      lookupTxt: zone({ "a.example": "A", "b.example": "B", "c.example": "C" }, lookups),
      ttlMs: 1_000,
      negativeTtlMs: 100,
      maxEntries: 2,
      now: () => clock,
    });
    await resolver.resolveTxt("a.example");
    await resolver.resolveTxt("A.example.");
    expect(lookups).toEqual(["a.example"]);
    clock = 1_001;
    await resolver.resolveTxt("a.example");
    expect(lookups).toEqual(["a.example", "a.example"]);

    await expect(resolver.resolveTxt("missing.example")).rejects.toMatchObject({ code: "ENOTFOUND" });
    await expect(resolver.resolveTxt("missing.example")).rejects.toMatchObject({ code: "ENOTFOUND" });
    expect(lookups.filter((name) => name === "missing.example")).toHaveLength(1);
    clock += 101;
    await expect(resolver.resolveTxt("missing.example")).rejects.toMatchObject({ code: "ENOTFOUND" });
    expect(lookups.filter((name) => name === "missing.example")).toHaveLength(2);

    await resolver.resolveTxt("b.example");
    await resolver.resolveTxt("c.example");
    expect(resolver.size).toBe(2);
  });

  it("does not cache timeouts", async () => {
    let calls = 0;
    const resolver = new CachedTxtResolver({
      lookupTxt: () => {
        calls++;
        return new Promise<string[][]>(() => {});
      },
      lookupTimeoutMs: 20,
    });
    await expect(resolver.resolveTxt("slow.example")).rejects.toMatchObject({ code: "ETIMEOUT" });
    await expect(resolver.resolveTxt("slow.example")).rejects.toMatchObject({ code: "ETIMEOUT" });
    expect(calls).toBe(2);
  });
});
