import { describe, expect, it } from "vitest";
import { parseAuthenticationResults, propertyOf } from "./authentication-results";

// Field values as the servers write them (unfolded as readHeaderFields unfolds them).
const GMAIL_PASS =
  "mx.google.com; dkim=pass header.i=@github.com header.s=pf2023 header.b=Fq1nlgp3; " +
  "spf=pass (google.com: domain of noreply@github.com designates 192.30.252.205 as permitted sender) smtp.mailfrom=noreply@github.com; " +
  "dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=github.com";

const MICROSOFT_PASS =
  "spf=pass (sender IP is 209.85.208.171) smtp.mailfrom=gmail.com; dkim=pass (signature was verified) " +
  "header.d=gmail.com;dmarc=pass action=none header.from=gmail.com;compauth=pass reason=100";

const MICROSOFT_FAIL =
  "spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=paypal.com; dkim=none (message not signed) " +
  "header.d=none;dmarc=fail action=oreject header.from=paypal.com;compauth=fail reason=000";

const FASTMAIL_PASS =
  "mx6.messagingengine.com; " +
  "dkim=pass (2048-bit rsa key sha256) header.d=github.com header.i=@github.com header.b=Fq1nlgp3 header.a=rsa-sha256 header.s=pf2023 x-bits=2048; " +
  "dmarc=pass policy.published-domain-policy=reject policy.applied-disposition=none policy.evaluated-disposition=none (p=reject,d=none,d.eval=none) policy.policy-from=p header.from=github.com; " +
  "iprev=pass smtp.remote-ip=192.30.252.205 (out-22.smtp.github.com); " +
  "spf=pass smtp.mailfrom=noreply@github.com smtp.helo=out-22.smtp.github.com; " +
  "x-aligned-from=pass (Address match); x-me-sender=none; " +
  "x-return-mx=pass header.domain=github.com policy.is_org=yes (MX Records found: aspmx.l.google.com,alt1.aspmx.l.google.com); " +
  "x-tls=pass smtp.version=TLSv1.3 smtp.cipher=TLS_AES_256_GCM_SHA384 smtp.bits=256/256; x-vs=clean score=-100 state=0";

const RSPAMD_LIST =
  "mail.example.org; dkim=pass header.d=lists.debian.org header.s=bullseye header.b=Ujq0Ls6X; dmarc=none; " +
  'spf=pass (mail.example.org: domain of "debian-devel-request@lists.debian.org" designates 2001:41b8:202:deb:216:36ff:fe40:4002 as permitted sender) ' +
  'smtp.mailfrom="debian-devel-request@lists.debian.org"';

const OPENDKIM =
  'mail.example.org; dkim=pass (2048-bit key; unprotected) header.d=example.com header.i=@example.com header.a=rsa-sha256 header.s=mail header.b="kXy5QqtR"; dkim-atps=neutral';

const YAHOO =
  "atlas-production.v2-mail-prod1-gq1.omega.yahoo.com; dkim=pass header.i=@gmail.com header.s=20230601; " +
  "spf=pass smtp.mailfrom=gmail.com; dmarc=pass(p=NONE sp=QUARANTINE dis=NONE) header.from=gmail.com;";

describe("parseAuthenticationResults", () => {
  it("reads Gmail's field: authserv-id, three methods, comments and properties", () => {
    const header = parseAuthenticationResults(GMAIL_PASS);
    expect(header.authservId).toBe("mx.google.com");
    expect(header.problems).toEqual([]);
    expect(header.results.map((r) => `${r.method}=${r.result}`)).toEqual([
      "dkim=pass",
      "spf=pass",
      "dmarc=pass",
    ]);
    const [dkim, spf, dmarc] = header.results;
    expect(propertyOf(dkim!, "header", "i")).toBe("@github.com");
    expect(spf!.comments[0]).toMatch(/^google\.com: domain of noreply@github\.com designates/);
    expect(propertyOf(spf!, "smtp", "mailfrom")).toBe("noreply@github.com");
    expect(dmarc!.comments).toEqual(["p=REJECT sp=REJECT dis=NONE"]);
    expect(propertyOf(dmarc!, "header", "from")).toBe("github.com");
  });

  it("reads Microsoft 365's field, which has no authserv-id and no space after ';'", () => {
    const header = parseAuthenticationResults(MICROSOFT_PASS);
    expect(header.authservId).toBeNull();
    expect(header.results.map((r) => `${r.method}=${r.result}`)).toEqual([
      "spf=pass",
      "dkim=pass",
      "dmarc=pass",
      "compauth=pass",
    ]);
    expect(header.results[2]!.extensions).toEqual([{ key: "action", value: "none" }]);
    expect(header.results[3]!.reason).toBe("100");
    expect(propertyOf(header.results[1]!, "header", "d")).toBe("gmail.com");
  });

  it("reads Microsoft 365's failure: dkim=none with header.d=none, dmarc=fail action=oreject", () => {
    const header = parseAuthenticationResults(MICROSOFT_FAIL);
    expect(header.results.map((r) => `${r.method}=${r.result}`)).toEqual([
      "spf=fail",
      "dkim=none",
      "dmarc=fail",
      "compauth=fail",
    ]);
    expect(header.results[2]!.extensions).toEqual([{ key: "action", value: "oreject" }]);
    expect(header.results[3]!.reason).toBe("000");
  });

  it("reads Fastmail's vendor keys and policy properties", () => {
    const header = parseAuthenticationResults(FASTMAIL_PASS);
    expect(header.authservId).toBe("mx6.messagingengine.com");
    const dkim = header.results.find((r) => r.method === "dkim")!;
    expect(dkim.extensions).toEqual([{ key: "x-bits", value: "2048" }]);
    const dmarc = header.results.find((r) => r.method === "dmarc")!;
    expect(propertyOf(dmarc, "policy", "published-domain-policy")).toBe("reject");
    expect(header.results.find((r) => r.method === "x-vs")?.result).toBe("clean");
  });

  it("unquotes quoted values (rspamd's smtp.mailfrom, OpenDKIM's header.b)", () => {
    const rspamd = parseAuthenticationResults(RSPAMD_LIST);
    expect(propertyOf(rspamd.results[2]!, "smtp", "mailfrom")).toBe("debian-devel-request@lists.debian.org");
    expect(rspamd.results[1]).toMatchObject({ method: "dmarc", result: "none" });
    const opendkim = parseAuthenticationResults(OPENDKIM);
    expect(propertyOf(opendkim.results[0]!, "header", "b")).toBe("kXy5QqtR");
    expect(opendkim.results[0]!.comments).toEqual(["2048-bit key; unprotected"]);
    expect(opendkim.results[1]).toMatchObject({ method: "dkim-atps", result: "neutral" });
  });

  it("reads a comment glued to the result and a trailing ';' (Yahoo)", () => {
    const header = parseAuthenticationResults(YAHOO);
    expect(header.problems).toEqual([]);
    expect(header.results[2]).toMatchObject({
      method: "dmarc",
      result: "pass",
      comments: ["p=NONE sp=QUARANTINE dis=NONE"],
    });
  });

  it("reads the version, 'none', nested comments and quoted reasons (RFC 8601 appendix B)", () => {
    expect(parseAuthenticationResults("example.org 1; none")).toMatchObject({
      authservId: "example.org",
      version: 1,
      none: true,
      results: [],
    });
    const header = parseAuthenticationResults(
      'example.com; dkim=fail reason="signature verification failed" (a (nested) comment) header.d=example.net',
    );
    expect(header.results[0]).toMatchObject({
      method: "dkim",
      result: "fail",
      reason: "signature verification failed",
      comments: ["a (nested) comment"],
    });
    const versioned = parseAuthenticationResults("example.com; auth/1=pass smtp.auth=sender@example.com");
    expect(versioned.results[0]).toMatchObject({ method: "auth", methodVersion: "1", result: "pass" });
  });

  it("skips what it cannot read, names it, and keeps the rest", () => {
    const header = parseAuthenticationResults(
      'mx.example.org; garbage here; dkim=pass header.d=a.example; spf=(unclosed "x',
    );
    expect(header.results.map((r) => r.method)).toEqual(["dkim"]);
    expect(header.problems.join(" | ")).toMatch(/not a method=result statement: "garbage here"/);
    expect(header.problems.join(" | ")).toMatch(/comment is not closed/);
  });

  it("reads the old Yahoo form with from= before each result", () => {
    const header = parseAuthenticationResults(
      "mta1247.mail.bf1.yahoo.com  from=example.com; domainkeys=pass (ok);  from=example.com; dkim=pass (ok)",
    );
    expect(header.authservId).toBe("mta1247.mail.bf1.yahoo.com");
    expect(header.results.map((r) => `${r.method}=${r.result}`)).toContain("dkim=pass");
  });
});
