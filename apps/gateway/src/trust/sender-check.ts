// The gateway's side of "who really sent this": which Authentication-Results to believe,
// when Pismo checks a signature itself, and the DNS those checks use. One SenderChecks per
// gateway, so its DNS cache and its bound on concurrent checks are shared by every session.

import { Resolver } from "node:dns/promises";
import {
  fieldValues,
  fromDomainOf,
  listInfoOf,
  readHeaderFields,
  sameOrganization,
  senderVerdict,
} from "@pismo/protocol/trust";
import type { HeaderField, SenderVerdict } from "@pismo/protocol/trust";
import type { SenderTrust } from "@pismo/protocol/schemas";
import type { Logger } from "../log";
import { CachedTxtResolver, MAX_DKIM_CHECK_BYTES, verifyDkim } from "./verify-dkim";

/** The header fields the checks read; IMAP fetches only these (BODY.PEEK[HEADER.FIELDS]). */
export const TRUST_HEADER_FIELDS = [
  "authentication-results",
  "dkim-signature",
  "from",
  "list-id",
  "list-post",
  "reply-to",
] as const;

/** Self-checks hashing bodies at the same time, for the whole gateway (each may hash 4 MiB). */
const MAX_CONCURRENT_CHECKS = 4;

export interface SenderChecksOptions {
  /**
   * PISMO_AUTHSERV_ID: the ids of the mail server's own Authentication-Results. Empty: none is
   * believed. Where the server writes no such field, the topmost one is the sender's, under
   * whatever id it guessed (the mail host's name is public); only the operator knows which.
   */
  authservIds: readonly string[];
  /** PISMO_DNS_SERVERS (ip[:port]); empty: the system's resolver. */
  dnsServers: readonly string[];
  log: Logger;
  /** A resolver of one's own (tests). */
  resolver?: CachedTxtResolver;
}

class Gate {
  private used = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly size: number) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.used >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.used += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.used -= 1;
    }
  }
}

export class SenderChecks {
  readonly resolver: CachedTxtResolver;
  private readonly gate = new Gate(MAX_CONCURRENT_CHECKS);

  constructor(private readonly opts: SenderChecksOptions) {
    const lookupTxt = txtLookup(opts.dnsServers);
    this.resolver = opts.resolver ?? new CachedTxtResolver(lookupTxt ? { lookupTxt } : {});
  }

  /** The server's verdict, whether Pismo can check it itself, and the list headers. */
  assess(headers: readonly HeaderField[], size: number): SenderTrust {
    const verdict = senderVerdict(headers, { authservId: this.opts.authservIds });
    return {
      verdict,
      selfCheck: verdict === null && this.canSelfCheck(headers, size),
      list: listInfoOf(headers),
      hasReplyTo: fieldValues(headers, "reply-to").length > 0,
    };
  }

  canSelfCheck(headers: readonly HeaderField[], size: number): boolean {
    const fromDomain = fromDomainOf(headers);
    if (size > MAX_DKIM_CHECK_BYTES || fromDomain === null) return false;
    // Only signatures aligned with From are checked (verify-dkim.ts): without one there is
    // nothing to check, and no "Check sender" to offer.
    return fieldValues(headers, "dkim-signature").some((value) => {
      const domain = signingDomainOf(value);
      return domain !== null && sameOrganization(domain, fromDomain);
    });
  }

  /** Pismo's own DKIM/DMARC check of a whole message; null when it cannot be done. */
  async selfCheck(raw: Buffer): Promise<SenderVerdict | null> {
    if (raw.length > MAX_DKIM_CHECK_BYTES) return null;
    return this.gate.run(async () => {
      try {
        return await verifyDkim(raw, { resolver: this.resolver });
      } catch (error) {
        this.opts.log.warn("trust.self_check_failed", { reason: (error as Error).message });
        return null;
      }
    });
  }

  /**
   * The verdict on a whole raw message (a POP3 pull): the server's, else Pismo's own check
   * when the body is here. `headersOnly`: only the header block came, no signature to check.
   */
  async verdictOfRaw(raw: Buffer, headersOnly: boolean): Promise<SenderVerdict | null> {
    const headers = readHeaderFields(new Uint8Array(raw.buffer, raw.byteOffset, raw.length));
    const trust = this.assess(headers, raw.length);
    if (trust.verdict !== null || !trust.selfCheck || headersOnly) return trust.verdict;
    return this.selfCheck(raw);
  }
}

/** The d= tag of a DKIM-Signature (RFC 6376 §3.5), white space removed, or null. */
function signingDomainOf(signature: string): string | null {
  for (const tag of signature.split(";")) {
    const eq = tag.indexOf("=");
    if (eq > 0 && tag.slice(0, eq).trim() === "d") {
      const domain = tag
        .slice(eq + 1)
        .replace(/\s+/g, "")
        .toLowerCase();
      return domain === "" ? null : domain;
    }
  }
  return null;
}

/** TXT lookups through the configured servers, or the system's when none is named. */
function txtLookup(servers: readonly string[]): ((name: string) => Promise<string[][]>) | undefined {
  if (servers.length === 0) return undefined;
  // One try per server: the per-lookup and per-message budgets of verify-dkim bound the time.
  const resolver = new Resolver({ timeout: 1_000, tries: 1 });
  resolver.setServers([...servers]);
  return (name) => resolver.resolveTxt(name);
}
