// Pismo's own DKIM/DMARC check against messages signed here with mailauth's signer and
// keys made for the test; DNS answers come from a function (no network).

import { generateKeyPairSync } from "node:crypto";
import { dkimSign } from "mailauth";
import { describe, expect, it } from "vitest";
import { MailError } from "@pismo/protocol/errors";
import { CachedTxtResolver, MAX_DKIM_CHECK_BYTES, verifyDkim } from "./verify-dkim";

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

  it("refuses messages over the size cap with a specific error", async () => {
    const big = Buffer.alloc(MAX_DKIM_CHECK_BYTES + 1, 0x61);
    await expect(verifyDkim(big)).rejects.toBeInstanceOf(MailError);
    await expect(verifyDkim(big)).rejects.toMatchObject({ code: "MESSAGE_TOO_LARGE" });
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
