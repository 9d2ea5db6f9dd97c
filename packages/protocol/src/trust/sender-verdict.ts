// Who really sent a message, as far as DKIM (RFC 6376) and DMARC (RFC 7489) can tell.
//
// Only results the user's own mail server wrote count: any sender can put an
// Authentication-Results field into a message, so a field is believed only when its
// authserv-id is the server's (RFC 8601 §5). ARC-Authentication-Results (RFC 8617) are
// other servers' findings on the way and never decide the verdict.
//
// And only the topmost field counts. The receiving server prepends its field (RFC 8601 §5),
// so its own is the topmost; a field below it, even one under the same authserv-id, may
// have come with the message, and many servers leave such fields in place. A lower field
// can be an earlier step of the same server (OpenDKIM and OpenDMARC write one field each),
// but nothing in the message tells it from one the sender wrote, so it is never read: the
// verdict of such a server is what its topmost field says. When the topmost field is not
// the server's, the server wrote none that can be told apart from a sender's, and there
// is no verdict.

import { addressParser } from "postal-mime";
import { parseAuthenticationResults, propertyOf } from "./authentication-results";
import type { AuthResult, AuthResultsHeader } from "./authentication-results";
import { domainOfAddress, sameOrganization, toAsciiHost } from "./domains";
import { fieldValues, firstFieldValue } from "./header-fields";
import type { HeaderField } from "./header-fields";

export type VerdictStatus = "verified" | "not-verified" | "failed";
export type FailedCheck = "dmarc" | "dkim" | "spf";

export interface SenderVerdict {
  /** verified: DMARC pass, or a DKIM pass aligned with From. failed: a check the sender's domain asks for failed. not-verified: neither (no alarm). */
  status: VerdictStatus;
  /** The domain the verification speaks for (DMARC's header.from, or the aligned DKIM d=), A-label form. */
  domain?: string;
  /** Who checked: the user's mail server (its Authentication-Results), or Pismo itself (the gateway with mailauth). */
  method: "server" | "pismo";
  /** What failed, for a "failed" verdict. */
  failed?: FailedCheck[];
  /** The server that checked (its authserv-id), for method "server". */
  authservId?: string;
  /** The message came through a mailing list, whose changes explain a broken signature: not counted as a failure. */
  viaList?: boolean;
}

/** A DMARC policy of the From domain as the check reported it. */
export type DmarcPolicy = "none" | "quarantine" | "reject";

/** The checks' findings, however they were obtained (a server's header or Pismo's own check). */
export interface AuthFindings {
  /** The From domain (A-label, lower-case), or null when From has not exactly one address. */
  fromDomain: string | null;
  dmarc: { result: string; policy: DmarcPolicy | null; domain: string | null } | null;
  /** One entry per DKIM signature. `result` is RFC 8601's; a body that no longer matches its hash counts as "fail" here. */
  dkim: Array<{ result: string; domain: string | null }>;
  spf: { result: string; domain: string | null } | null;
  /** The message carries List-Id or List-Post (RFC 2919, RFC 2369). */
  viaList: boolean;
}

/**
 * Decide the verdict from findings. Verified: DMARC pass, or a DKIM pass whose d= shares
 * the From domain's organizational domain (DMARC relaxed alignment). Failed: DMARC fail,
 * or a DKIM (or aligned SPF) failure with no aligned pass. A mailing list legitimately
 * breaks its posters' signatures (footer, subject tag), so on list mail a failure counts
 * only when the domain's DMARC policy asks receivers to quarantine or reject.
 */
export function decideVerdict(findings: AuthFindings, method: "server" | "pismo"): SenderVerdict {
  const { fromDomain, dmarc, dkim, spf, viaList } = findings;
  const base = { method } as const;
  if (dmarc?.result === "pass") {
    const domain = dmarc.domain ?? fromDomain;
    return { ...base, status: "verified", ...(domain ? { domain } : {}) };
  }
  const alignedPass =
    fromDomain === null
      ? undefined
      : dkim.find(
          (sig) => sig.result === "pass" && sig.domain !== null && sameOrganization(sig.domain, fromDomain),
        );
  if (alignedPass?.domain) return { ...base, status: "verified", domain: alignedPass.domain };

  const failed: FailedCheck[] = [];
  if (dmarc?.result === "fail") failed.push("dmarc");
  if (dkim.some((sig) => sig.result === "fail")) failed.push("dkim");
  const spfFailed =
    spf?.result === "fail" &&
    (failed.includes("dmarc") ||
      (fromDomain !== null && spf.domain !== null && sameOrganization(spf.domain, fromDomain)));
  if (spfFailed) failed.push("spf");
  // A DKIM failure alone is a failure only when nothing else vouches for the sender: a
  // second, passing signature of an unrelated domain (an ESP's) with a broken first one is
  // ordinary relayed mail, and so is a failing SPF of a forwarder's own domain.
  const decisive =
    failed.includes("dmarc") || (failed.length > 0 && !dkim.some((sig) => sig.result === "pass"));
  if (!decisive) return { ...base, status: "not-verified" };
  const strictPolicy = dmarc?.policy === "quarantine" || dmarc?.policy === "reject";
  if (viaList && !strictPolicy) return { ...base, status: "not-verified", viaList: true };
  return { ...base, status: "failed", failed, ...(fromDomain ? { domain: fromDomain } : {}) };
}

/** The From domain when From holds exactly one address (DMARC does not apply otherwise, RFC 7489 §6.6.1). */
export function fromDomainOf(headers: readonly HeaderField[]): string | null {
  const from = fieldValues(headers, "from");
  if (from.length !== 1) return null;
  const mailboxes = addressParser(from[0] ?? "", { flatten: true });
  if (mailboxes.length !== 1) return null;
  const domain = domainOfAddress(mailboxes[0]?.address ?? "");
  return domain === null ? null : toAsciiHost(domain);
}

/** The message carries list headers (RFC 2919 List-Id, RFC 2369 List-Post). */
export function isListMessage(headers: readonly HeaderField[]): boolean {
  return firstFieldValue(headers, "list-id") !== null || firstFieldValue(headers, "list-post") !== null;
}

function dmarcPolicyOf(result: AuthResult): DmarcPolicy | null {
  // Fastmail: policy.published-domain-policy=reject; rspamd: (policy=reject); Gmail,
  // Yahoo, OpenDMARC: (p=REJECT sp=NONE dis=NONE); Microsoft: action=oreject.
  const published =
    propertyOf(result, "policy", "published-domain-policy") ?? propertyOf(result, "policy", "dmarc");
  const text = [published ? `p=${published}` : "", ...result.comments].join(" ");
  const match = /(?:^|[\s(,])(?:p|policy)=(none|quarantine|reject)\b/i.exec(text);
  if (match?.[1]) return match[1].toLowerCase() as DmarcPolicy;
  const action = result.extensions.find((entry) => entry.key === "action")?.value.toLowerCase();
  if (action === "oreject" || action === "reject") return "reject";
  if (action === "quarantine" || action === "oquarantine") return "quarantine";
  return null;
}

function dkimResultOf(result: AuthResult): string {
  // Gmail and mailauth report a body altered after signing as "neutral (body hash did not
  // verify)": the signature is broken just as surely as with "fail".
  if (
    result.result === "neutral" &&
    result.comments.some((comment) => /body hash did not verify/i.test(comment))
  ) {
    return "fail";
  }
  return result.result;
}

function dkimDomainOf(result: AuthResult): string | null {
  const d = propertyOf(result, "header", "d");
  if (d && d !== "none") return d.toLowerCase();
  const i = propertyOf(result, "header", "i");
  return i ? domainOfAddress(i) : null;
}

function normalizeId(id: string): string {
  return id.trim().toLowerCase();
}

/** The findings of the server's own Authentication-Results field (the topmost one). */
export function findingsFromHeaders(
  headers: readonly HeaderField[],
  server: AuthResultsHeader,
): AuthFindings {
  const fromDomain = fromDomainOf(headers);
  const byMethod = (method: string) => server.results.filter((result) => result.method === method);
  const dmarcResult = byMethod("dmarc")[0];
  const spfResult = byMethod("spf")[0];
  return {
    fromDomain,
    dmarc: dmarcResult
      ? {
          result: dmarcResult.result,
          policy: dmarcPolicyOf(dmarcResult),
          domain: propertyOf(dmarcResult, "header", "from")?.toLowerCase() ?? null,
        }
      : null,
    dkim: byMethod("dkim").map((result) => ({
      result: dkimResultOf(result),
      domain: dkimDomainOf(result),
    })),
    spf: spfResult
      ? {
          result: spfResult.result,
          domain: (() => {
            const mailfrom = propertyOf(spfResult, "smtp", "mailfrom");
            const helo = propertyOf(spfResult, "smtp", "helo");
            return mailfrom
              ? (domainOfAddress(mailfrom) ?? mailfrom.toLowerCase())
              : (helo?.toLowerCase() ?? null);
          })(),
        }
      : null,
    viaList: isListMessage(headers),
  };
}

export interface SenderVerdictOptions {
  /**
   * The authserv-id(s) of the user's own mail server (PISMO_AUTHSERV_ID). Null: learn it
   * from the topmost Authentication-Results field, which the receiving server adds last.
   */
  authservId: string | readonly string[] | null;
}

/**
 * The verdict of the user's mail server on a message's sender, from the message's header
 * fields in order (topmost first): what the topmost Authentication-Results field says, when
 * its authserv-id is the server's. Null when it is not (or there is none): then Pismo checks
 * the signature itself (the gateway's verifyDkim), or shows nothing.
 */
export function senderVerdict(
  headers: readonly HeaderField[],
  options: SenderVerdictOptions,
): SenderVerdict | null {
  const top = fieldValues(headers, "authentication-results").map(parseAuthenticationResults)[0];
  if (top === undefined) return null;
  if (options.authservId !== null) {
    const ids = typeof options.authservId === "string" ? options.authservId.split(",") : options.authservId;
    const trustedIds = ids.map(normalizeId).filter((id) => id !== "");
    // A trusted id lower down does not count: see the top of this file.
    if (top.authservId === null || !trustedIds.includes(top.authservId)) return null;
  }
  const authservId = top.authservId;
  if (top.results.length === 0) {
    // The server wrote "none": it checked nothing, so there is nothing to show but that.
    return { status: "not-verified", method: "server", ...(authservId ? { authservId } : {}) };
  }
  const verdict = decideVerdict(findingsFromHeaders(headers, top), "server");
  return { ...verdict, ...(authservId ? { authservId } : {}) };
}
