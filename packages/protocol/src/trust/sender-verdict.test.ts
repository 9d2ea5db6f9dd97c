import { describe, expect, it } from "vitest";
import { readHeaderFields } from "./header-fields";
import { decideVerdict, senderVerdict } from "./sender-verdict";

// Header blocks shaped as the servers deliver them (topmost first), trimmed to the fields
// that matter plus the Received lines that show the hops.
const GMAIL_GITHUB = `Delivered-To: reader@gmail.com
Received: by 2002:a05:7010:8a06:b0:3c1:9e0f:4a9b with SMTP id n6csp1234567mdb;
        Tue, 4 Nov 2025 02:11:07 -0800 (PST)
ARC-Seal: i=1; a=rsa-sha256; t=1762251067; cv=none; d=google.com; s=arc-20240605; b=abc
ARC-Authentication-Results: i=1; mx.google.com;
       dkim=pass header.i=@github.com header.s=pf2023 header.b=Fq1nlgp3;
       spf=pass (google.com: domain of noreply@github.com designates 192.30.252.205 as permitted sender) smtp.mailfrom=noreply@github.com;
       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=github.com
Return-Path: <noreply@github.com>
Received: from out-22.smtp.github.com (out-22.smtp.github.com. [192.30.252.205])
        by mx.google.com with ESMTPS id 5b1f17b1804b1-4773a9f8c1esi12345f9.123.2025.11.04.02.11.07
        for <reader@gmail.com>; Tue, 04 Nov 2025 02:11:07 -0800 (PST)
Received-SPF: pass (google.com: domain of noreply@github.com designates 192.30.252.205 as permitted sender) client-ip=192.30.252.205;
Authentication-Results: mx.google.com;
       dkim=pass header.i=@github.com header.s=pf2023 header.b=Fq1nlgp3;
       spf=pass (google.com: domain of noreply@github.com designates 192.30.252.205 as permitted sender) smtp.mailfrom=noreply@github.com;
       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=github.com
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=github.com; s=pf2023; t=1762251066; bh=abc=; h=Date:From:To:Subject; b=Fq1nlgp3
Date: Tue, 04 Nov 2025 02:11:06 -0800
From: GitHub <noreply@github.com>
To: reader@gmail.com
Subject: [GitHub] A third-party OAuth application has been added to your account
`;

// Microsoft 365 writes no authserv-id; a tenant learns that from the topmost field.
const OUTLOOK_GMAIL_SENDER = `Received: from AM0PR02MB5555.eurprd02.prod.outlook.com (2603:10a6:208:15b::12)
 by DB9PR02MB7777.eurprd02.prod.outlook.com with HTTPS; Mon, 3 Nov 2025 09:12:44 +0000
Authentication-Results: spf=pass (sender IP is 209.85.208.171)
 smtp.mailfrom=gmail.com; dkim=pass (signature was verified)
 header.d=gmail.com;dmarc=pass action=none header.from=gmail.com;compauth=pass
 reason=100
Received-SPF: Pass (protection.outlook.com: domain of gmail.com designates 209.85.208.171 as permitted sender)
Received: from mail-lj1-f171.google.com (209.85.208.171) by AM0PR02MB5555.mail.protection.outlook.com
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=gmail.com; s=20230601; h=from:to:subject; bh=x=; b=y
From: =?UTF-8?Q?Jovan_Petrovi=C4=87?= <jovan.petrovic@gmail.com>
To: ana@contoso.com
Subject: Re: sastanak u utorak
`;

const OUTLOOK_SPOOF = `Authentication-Results: spf=fail (sender IP is 203.0.113.9)
 smtp.mailfrom=paypal.com; dkim=none (message not signed)
 header.d=none;dmarc=fail action=oreject header.from=paypal.com;compauth=fail
 reason=000
Received: from mail.example-bulk.ru (203.0.113.9) by AM0PR02MB5555.mail.protection.outlook.com
From: PayPal <service@paypal.com>
To: ana@contoso.com
Subject: Your account has been limited
`;

const FASTMAIL_GITHUB = `Return-Path: <noreply@github.com>
Received: from compute2.internal (compute2.nyi.internal [10.202.2.46])
	 by sloti41n01 (Cyrus 3.11.0) with LMTPA;
	 Mon, 03 Nov 2025 06:00:01 -0500
Authentication-Results: mx6.messagingengine.com;
    dkim=pass (2048-bit rsa key sha256) header.d=github.com header.i=@github.com header.b=Fq1nlgp3 header.a=rsa-sha256 header.s=pf2023 x-bits=2048;
    dmarc=pass policy.published-domain-policy=reject policy.applied-disposition=none policy.evaluated-disposition=none (p=reject,d=none,d.eval=none) policy.policy-from=p header.from=github.com;
    iprev=pass smtp.remote-ip=192.30.252.205 (out-22.smtp.github.com);
    spf=pass smtp.mailfrom=noreply@github.com smtp.helo=out-22.smtp.github.com;
    x-aligned-from=pass (Address match);
    x-me-sender=none
Received: from out-22.smtp.github.com (out-22.smtp.github.com [192.30.252.205])
	by mx6.messagingengine.com (Postfix) with ESMTPS
From: GitHub <noreply@github.com>
Subject: [GitHub] Please verify your device
`;

// A self-hosted Postfix with OpenDKIM and OpenDMARC writes one field per milter.
const OPENDKIM_BROKEN_BODY = `Return-Path: <newsletter@shop.example>
Authentication-Results: mail.example.org; dmarc=fail (p=quarantine dis=quarantine) header.from=shop.example
Authentication-Results: mail.example.org; dkim=fail reason="signature verification failed" (2048-bit key; unprotected) header.d=shop.example header.i=@shop.example header.b="kXy5QqtR"
Authentication-Results: mail.example.org; spf=pass smtp.mailfrom=shop.example
Received: from mta.shop.example (mta.shop.example [198.51.100.7]) by mail.example.org (Postfix) with ESMTPS id 4Q1xYz
From: Shop <newsletter@shop.example>
Subject: Akcija: 30% popusta
`;

// A phisher writes an Authentication-Results of a famous provider into the message; the
// user's server (mail.example.org) adds its own above it. Only the server's field counts.
const FORGED_FOREIGN = `Return-Path: <bounce@evil.example>
Authentication-Results: mail.example.org; dkim=none; spf=pass smtp.mailfrom=evil.example; dmarc=fail (p=reject) header.from=bank.example
Received: from evil.example (evil.example [203.0.113.66]) by mail.example.org (Postfix) with ESMTP id 9ZZ
Authentication-Results: mx.google.com; dkim=pass header.i=@bank.example header.s=s1; dmarc=pass (p=REJECT) header.from=bank.example
From: Bank <security@bank.example>
Subject: Potvrdite svoj nalog
`;

// The same trick with the server's own authserv-id, placed below the server's field.
const FORGED_SAME_ID = `Authentication-Results: mail.example.org; dkim=none (no signatures found); dmarc=fail (p=none) header.from=bank.example
Received: from evil.example (evil.example [203.0.113.66]) by mail.example.org (Postfix) with ESMTP id 9ZZ
Authentication-Results: mail.example.org; dkim=pass header.d=bank.example; dmarc=pass header.from=bank.example
From: Bank <security@bank.example>
Subject: Verify your account
`;

// Several hops: a university forwarder checked the message and added its field, then the
// user's server checked it again on arrival; the forwarder's word is not the server's.
const SEVERAL_HOPS = `Authentication-Results: mail.example.org; dkim=pass header.d=colleague.example header.s=sel; spf=fail smtp.mailfrom=colleague.example; dmarc=pass header.from=colleague.example
Received: from relay.uni.example (relay.uni.example [192.0.2.10]) by mail.example.org with ESMTPS id 1A
Authentication-Results: relay.uni.example; dkim=fail header.d=colleague.example; spf=pass smtp.mailfrom=colleague.example
Received: from out.colleague.example (out.colleague.example [198.51.100.20]) by relay.uni.example with ESMTPS id 2B
From: Marija Jovanović <marija@colleague.example>
Subject: Re: rad za konferenciju
`;

// ARC: an intermediary says DMARC passed (ARC-Authentication-Results), the user's server
// found it failing. ARC results are other servers' findings and never make a verdict.
const ARC_ONLY_PASS = `ARC-Seal: i=1; a=rsa-sha256; cv=none; d=forwarder.example; s=arc; b=x
ARC-Authentication-Results: i=1; mx.forwarder.example; dkim=pass header.d=bank.example; dmarc=pass header.from=bank.example
Authentication-Results: mail.example.org; dkim=none; dmarc=fail (p=none) header.from=bank.example; arc=fail (signature failed)
From: Bank <security@bank.example>
Subject: Hello
`;

// A mailing list (Mailman) kept the poster's From and added a footer, breaking the poster's
// signature; it signs with its own domain. The poster's domain publishes p=none.
const MAILING_LIST = `Authentication-Results: mail.example.org; dkim=pass header.d=lists.example.net header.s=list; dkim=fail (body hash mismatch) header.d=poster.example header.s=s1; dmarc=fail (p=none dis=none) header.from=poster.example
Received: from lists.example.net (lists.example.net [192.0.2.44]) by mail.example.org with ESMTPS id 3C
List-Id: Developers <dev.lists.example.net>
List-Post: <mailto:dev@lists.example.net>
From: Poster <someone@poster.example>
Subject: [dev] Release 2.0
`;

const GMAIL_BODY_ALTERED = `Authentication-Results: mx.google.com;
       dkim=neutral (body hash did not verify) header.i=@shop.example header.s=s1 header.b=AbCd1234;
       spf=pass (google.com: domain of bounce@esp.example designates 198.51.100.9 as permitted sender) smtp.mailfrom=bounce@esp.example
From: Shop <news@shop.example>
Subject: Offer
`;

const NO_AUTH_RESULTS = `Received: from mail.example.org by mail.example.org with LMTP
From: Ana <ana@example.net>
Subject: Plain
`;

const headers = (text: string) => readHeaderFields(text);

describe("senderVerdict", () => {
  it("Gmail: DMARC pass is verified for the From domain; the ARC copy above it is not used", () => {
    expect(senderVerdict(headers(GMAIL_GITHUB), { authservId: null })).toEqual({
      status: "verified",
      domain: "github.com",
      method: "server",
      authservId: "mx.google.com",
    });
  });

  it("Outlook: the field without authserv-id is learned from the top and believed", () => {
    expect(senderVerdict(headers(OUTLOOK_GMAIL_SENDER), { authservId: null })).toMatchObject({
      status: "verified",
      domain: "gmail.com",
    });
  });

  it("Outlook: a spoofed PayPal message fails DMARC and SPF", () => {
    expect(senderVerdict(headers(OUTLOOK_SPOOF), { authservId: null })).toEqual({
      status: "failed",
      method: "server",
      failed: ["dmarc", "spf"],
      domain: "paypal.com",
    });
  });

  it("Fastmail: verified; a configured authserv-id is compared without case", () => {
    expect(senderVerdict(headers(FASTMAIL_GITHUB), { authservId: "MX6.MessagingEngine.com" })).toMatchObject({
      status: "verified",
      domain: "github.com",
      authservId: "mx6.messagingengine.com",
    });
    expect(
      senderVerdict(headers(FASTMAIL_GITHUB), { authservId: ["mx1.example", "mx6.messagingengine.com"] }),
    ).toMatchObject({
      status: "verified",
    });
  });

  it("OpenDKIM + OpenDMARC fields (one per milter): only the topmost, OpenDMARC's, is read", () => {
    // The lower fields carry the same id, but so could a sender's: they add nothing.
    expect(senderVerdict(headers(OPENDKIM_BROKEN_BODY), { authservId: "mail.example.org" })).toEqual({
      status: "failed",
      method: "server",
      failed: ["dmarc"],
      domain: "shop.example",
      authservId: "mail.example.org",
    });
  });

  it("a forged field of a foreign authserv-id below the server's is ignored", () => {
    const verdict = senderVerdict(headers(FORGED_FOREIGN), { authservId: "mail.example.org" });
    expect(verdict).toMatchObject({ status: "failed", failed: ["dmarc"] });
    // Learning takes the topmost field, which is the server's.
    expect(senderVerdict(headers(FORGED_FOREIGN), { authservId: null })).toMatchObject({ status: "failed" });
  });

  it("a forged field with the server's own authserv-id below the server's field cannot override it", () => {
    expect(senderVerdict(headers(FORGED_SAME_ID), { authservId: "mail.example.org" })).toMatchObject({
      status: "failed",
      failed: ["dmarc"],
    });
  });

  it("a forged field with the server's id cannot add a result the server's own field left out", () => {
    // The server checked DKIM only; the sender's field below claims DMARC for bank.example.
    const text = `Authentication-Results: mail.example.org; dkim=pass header.d=evil.example
Received: from evil.example (evil.example [203.0.113.66]) by mail.example.org (Postfix) with ESMTP id 9ZZ
Authentication-Results: mail.example.org; dmarc=pass header.from=bank.example
From: Bank <security@bank.example>
Subject: Verify your account
`;
    expect(senderVerdict(headers(text), { authservId: "mail.example.org" })).toEqual({
      status: "not-verified",
      method: "server",
      authservId: "mail.example.org",
    });
  });

  it("a trusted id below a field of another id does not count: the server's own field is the topmost", () => {
    // The server signs as mx.example.org, Pismo trusts its IMAP host's name: the sender's
    // field under that name, below the server's, is not the server's word.
    const text = `Authentication-Results: mx.example.org; dkim=none; dmarc=fail (p=reject) header.from=bank.example
Received: from evil.example (evil.example [203.0.113.66]) by mx.example.org (Postfix) with ESMTP id 9ZZ
Authentication-Results: imap.example.org; dkim=pass header.d=bank.example; dmarc=pass header.from=bank.example
From: Bank <security@bank.example>
`;
    expect(senderVerdict(headers(text), { authservId: "imap.example.org" })).toBeNull();
    expect(senderVerdict(headers(text), { authservId: "imap.example.org,mx.example.org" })).toMatchObject({
      status: "failed",
      authservId: "mx.example.org",
    });
  });

  it("several hops: only the user's server's field counts, not the forwarder's", () => {
    expect(senderVerdict(headers(SEVERAL_HOPS), { authservId: "mail.example.org" })).toMatchObject({
      status: "verified",
      domain: "colleague.example",
    });
    // Trusting only the forwarder gives no verdict: its field is not the topmost.
    expect(senderVerdict(headers(SEVERAL_HOPS), { authservId: "relay.uni.example" })).toBeNull();
  });

  it("ARC-Authentication-Results never make a verdict", () => {
    expect(senderVerdict(headers(ARC_ONLY_PASS), { authservId: null })).toMatchObject({ status: "failed" });
    const arcOnly = ARC_ONLY_PASS.split("\n")
      .filter((line) => !line.startsWith("Authentication-Results"))
      .join("\n");
    expect(senderVerdict(headers(arcOnly), { authservId: null })).toBeNull();
  });

  it("a mailing list that broke the poster's signature (p=none) is not a failure", () => {
    expect(senderVerdict(headers(MAILING_LIST), { authservId: "mail.example.org" })).toEqual({
      status: "not-verified",
      method: "server",
      viaList: true,
      authservId: "mail.example.org",
    });
    // Without the list headers the same results are a failure.
    const direct = MAILING_LIST.split("\n")
      .filter((line) => !/^List-/.test(line))
      .join("\n");
    expect(senderVerdict(headers(direct), { authservId: "mail.example.org" })).toMatchObject({
      status: "failed",
    });
  });

  it("a body altered after signing (Gmail's 'neutral (body hash did not verify)') fails DKIM", () => {
    expect(senderVerdict(headers(GMAIL_BODY_ALTERED), { authservId: "mx.google.com" })).toMatchObject({
      status: "failed",
      failed: ["dkim"],
    });
  });

  it("no field of the server: null (Pismo may check itself); a configured id ignores other servers", () => {
    expect(senderVerdict(headers(NO_AUTH_RESULTS), { authservId: null })).toBeNull();
    expect(senderVerdict(headers(GMAIL_GITHUB), { authservId: "mail.example.org" })).toBeNull();
  });

  it("the server's explicit 'none' is not verified, whatever a lower field claims", () => {
    const text = `Authentication-Results: mail.example.org; none
Authentication-Results: mail.example.org; dmarc=pass header.from=bank.example
From: <a@bank.example>
`;
    expect(senderVerdict(headers(text), { authservId: "mail.example.org" })).toEqual({
      status: "not-verified",
      method: "server",
      authservId: "mail.example.org",
    });
  });
});

describe("decideVerdict", () => {
  const none = { fromDomain: "news.shop.example", dmarc: null, dkim: [], spf: null, viaList: false };

  it("a DKIM pass of a subdomain of the From's organization is aligned (relaxed)", () => {
    expect(
      decideVerdict({ ...none, dkim: [{ result: "pass", domain: "mail.shop.example" }] }, "pismo"),
    ).toEqual({
      status: "verified",
      domain: "mail.shop.example",
      method: "pismo",
    });
  });

  it("a DKIM pass of another organization (an ESP) verifies nothing", () => {
    expect(decideVerdict({ ...none, dkim: [{ result: "pass", domain: "sendgrid.net" }] }, "pismo")).toEqual({
      status: "not-verified",
      method: "pismo",
    });
  });

  it("organizational domains follow the Public Suffix List (co.uk, private github.io)", () => {
    expect(
      decideVerdict(
        { ...none, fromDomain: "shop.co.uk", dkim: [{ result: "pass", domain: "other.co.uk" }] },
        "pismo",
      ).status,
    ).toBe("not-verified");
    expect(
      decideVerdict(
        { ...none, fromDomain: "alice.github.io", dkim: [{ result: "pass", domain: "mallory.github.io" }] },
        "pismo",
      ).status,
    ).toBe("not-verified");
  });

  it("temporary errors and missing keys are not failures", () => {
    expect(
      decideVerdict(
        {
          ...none,
          dmarc: { result: "temperror", policy: null, domain: null },
          dkim: [{ result: "temperror", domain: "shop.example" }],
        },
        "pismo",
      ).status,
    ).toBe("not-verified");
  });

  it("an SPF failure of a forwarder's own domain is not the sender's failure", () => {
    expect(
      decideVerdict({ ...none, spf: { result: "fail", domain: "forwarder.example" } }, "server").status,
    ).toBe("not-verified");
    expect(
      decideVerdict({ ...none, spf: { result: "fail", domain: "shop.example" } }, "server"),
    ).toMatchObject({
      status: "failed",
      failed: ["spf"],
    });
  });

  it("a list cannot excuse a failure where the domain asks to reject", () => {
    expect(
      decideVerdict(
        { ...none, viaList: true, dmarc: { result: "fail", policy: "reject", domain: "shop.example" } },
        "server",
      ).status,
    ).toBe("failed");
  });
});
