// Pismo's own check of who sent a message, for mail the user's server did not check
// (no Authentication-Results of its own). DKIM (RFC 6376) and DMARC's DKIM alignment
// (RFC 7489) with mailauth, over DNS lookups that are bounded in time and cached.
//
// SPF needs the address of the client that handed the message to the receiving server;
// only that server saw it, so Pismo does not guess it from Received lines. DMARC can then
// pass (through an aligned DKIM signature) but a DMARC "fail" says only that no aligned
// signature verified: it counts as a failure only together with a broken signature.
//
// A lookup is asked of the nameservers of the name looked up, so whoever runs them learns
// when the message was checked, which in a reading view is when it was opened. The check
// therefore looks up nothing outside the From domain's organizational domain: only the
// signatures aligned with From are checked (no other can verify the sender anyway), and
// DMARC only when one of them is there. Which From domains to check at all, and when, is
// the reading view's decision (the web app checks by itself only senders the user trusts).

import { promises as dns } from "node:dns";
import { dkimVerify, dmarc } from "mailauth";
import type { DNSResolver } from "mailauth";
import { MailError } from "@pismo/protocol/errors";
import {
  decideVerdict,
  fromDomainOf,
  isListMessage,
  organizationalDomain,
  readHeaderFields,
  sameOrganization,
} from "@pismo/protocol/trust";
import type { AuthFindings, DmarcPolicy, SenderVerdict } from "@pismo/protocol/trust";

/** Larger messages are not checked: hashing the body costs time and memory per message read. */
export const MAX_DKIM_CHECK_BYTES = 4 * 1024 * 1024;
/** One DNS lookup that takes longer than this counts as a temporary error. */
export const DNS_LOOKUP_TIMEOUT_MS = 1_500;
/** All lookups of one message together; past it, the check ends as "not verified". */
export const DNS_BUDGET_MS = 4_000;
/** How long answers stay cached (DKIM keys and DMARC records change rarely). */
export const DNS_CACHE_TTL_MS = 10 * 60 * 1000;
/** How long "no such record" stays cached. */
export const DNS_NEGATIVE_TTL_MS = 60 * 1000;
export const DNS_CACHE_MAX_ENTRIES = 2_000;

/** Looks up TXT records as node:dns's resolveTxt does: one array of chunks per record. */
export type TxtLookup = (name: string) => Promise<string[][]>;

class DnsError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

interface CacheEntry {
  expires: number;
  records?: string[][];
  errorCode?: string;
}

export interface DnsCacheOptions {
  /** The real lookup; node:dns's resolveTxt by default. Tests serve records from a function. */
  lookupTxt?: TxtLookup;
  lookupTimeoutMs?: number;
  ttlMs?: number;
  negativeTtlMs?: number;
  maxEntries?: number;
  /** The clock, for tests of expiry. */
  now?: () => number;
}

/**
 * A TXT resolver shared by all checks of a gateway: answers and "no such record" are
 * cached (least recently used entries go first), timeouts and server failures are not.
 */
export class CachedTxtResolver {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly pending = new Map<string, Promise<string[][]>>();
  private readonly lookupTxt: TxtLookup;
  private readonly lookupTimeoutMs: number;
  private readonly ttlMs: number;
  private readonly negativeTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: DnsCacheOptions = {}) {
    this.lookupTxt = options.lookupTxt ?? ((name) => dns.resolveTxt(name));
    this.lookupTimeoutMs = options.lookupTimeoutMs ?? DNS_LOOKUP_TIMEOUT_MS;
    this.ttlMs = options.ttlMs ?? DNS_CACHE_TTL_MS;
    this.negativeTtlMs = options.negativeTtlMs ?? DNS_NEGATIVE_TTL_MS;
    this.maxEntries = options.maxEntries ?? DNS_CACHE_MAX_ENTRIES;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.cache.size;
  }

  /** TXT records of a name; rejects with a code mailauth understands (ENOTFOUND, ENODATA, ETIMEOUT…). */
  async resolveTxt(name: string): Promise<string[][]> {
    const key = name.toLowerCase().replace(/\.$/, "");
    const cached = this.cache.get(key);
    if (cached && cached.expires > this.now()) {
      // Refresh its place: the map's order is the eviction order.
      this.cache.delete(key);
      this.cache.set(key, cached);
      if (cached.records) return cached.records;
      throw new DnsError(cached.errorCode ?? "ENOTFOUND", `${key}: no TXT record (cached)`);
    }
    if (cached) this.cache.delete(key);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const lookup = this.lookupWithTimeout(key).finally(() => this.pending.delete(key));
    this.pending.set(key, lookup);
    return lookup;
  }

  private async lookupWithTimeout(key: string): Promise<string[][]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DnsError("ETIMEOUT", `${key}: no DNS answer within ${this.lookupTimeoutMs} ms`)),
        this.lookupTimeoutMs,
      );
    });
    try {
      const records = await Promise.race([this.lookupTxt(key), timeout]);
      this.store(key, { expires: this.now() + this.ttlMs, records });
      return records;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === "ENOTFOUND" || code === "ENODATA") {
        this.store(key, { expires: this.now() + this.negativeTtlMs, errorCode: code });
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private store(key: string, entry: CacheEntry): void {
    this.cache.set(key, entry);
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }
}

/** mailauth's resolver for one message: TXT only, and nothing more once the budget is spent. */
function budgetedResolver(resolver: CachedTxtResolver, deadline: number): DNSResolver {
  return async (name, rrtype) => {
    if (rrtype !== "TXT") throw new DnsError("ENOTIMP", `${rrtype} lookups are not used by this check`);
    const left = deadline - Date.now();
    if (left <= 0) throw new DnsError("ETIMEOUT", `the DNS budget of this message is spent (${name})`);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        resolver.resolveTxt(name),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new DnsError("ETIMEOUT", `the DNS budget of this message is spent (${name})`)),
            left,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * mailauth's resolver kept inside the From domain's organizational domain: a name anywhere
 * else (a key of a domain the sender named in d=, a DMARC record above the organization) is
 * answered "no such record" without a lookup. Nothing at all when there is no From domain.
 */
export function organizationResolver(resolver: DNSResolver, fromDomain: string | null): DNSResolver {
  const organization = fromDomain === null ? null : organizationalDomain(fromDomain);
  return async (name, rrtype) => {
    const host = name.toLowerCase().replace(/\.$/, "");
    if (organization === null || (host !== organization && !host.endsWith(`.${organization}`))) {
      throw new DnsError("ENOTFOUND", `${name}: not looked up, outside the sender's domain`);
    }
    return resolver(name, rrtype);
  };
}

/** The selector's key record exists and holds a key (RFC 6376 §3.6.1 p=, not revoked). */
async function signerKeyExists(resolver: DNSResolver, name: string): Promise<boolean> {
  if (name.startsWith(".")) return false;
  try {
    const records = (await resolver(name, "TXT")) as string[][];
    return records.some((chunks) => /(?:^|;)\s*p\s*=\s*[A-Za-z0-9+/]/.test(chunks.join("")));
  } catch {
    return false;
  }
}

export interface VerifyDkimOptions {
  /** Shared across checks so the cache helps; a fresh one (real DNS) when absent. */
  resolver?: CachedTxtResolver;
  /** The DNS budget for this message (DNS_BUDGET_MS by default). */
  budgetMs?: number;
  /** "Now" for signature expiry (x=), for tests. */
  now?: Date;
}

function dmarcPolicy(value: string | undefined): DmarcPolicy | null {
  const policy = value?.toLowerCase();
  return policy === "none" || policy === "quarantine" || policy === "reject" ? policy : null;
}

/**
 * Check the DKIM signatures of a raw message and DMARC's alignment of them with From.
 * Returns the same verdict the server's results give, with method "pismo". DNS that does
 * not answer in time makes the check "not-verified", never "failed".
 */
export async function verifyDkim(raw: Buffer, options: VerifyDkimOptions = {}): Promise<SenderVerdict> {
  if (raw.length > MAX_DKIM_CHECK_BYTES) {
    throw new MailError(
      "MESSAGE_TOO_LARGE",
      `The message is ${raw.length} bytes; Pismo checks signatures of messages up to ${MAX_DKIM_CHECK_BYTES} bytes.`,
    );
  }
  const resolverCache = options.resolver ?? new CachedTxtResolver();
  const budgetMs = options.budgetMs ?? DNS_BUDGET_MS;
  const headers = readHeaderFields(new Uint8Array(raw.buffer, raw.byteOffset, raw.length));
  const fromDomain = fromDomainOf(headers);
  const resolver = organizationResolver(budgetedResolver(resolverCache, Date.now() + budgetMs), fromDomain);

  const dkim = await dkimVerify(raw, { resolver, ...(options.now ? { curTime: options.now } : {}) });
  const signed = dkim.results.filter((result) => result.signingDomain);
  // The others were not checked (their keys were not looked up): see the top of this file.
  const aligned = signed.filter(
    (result) => fromDomain !== null && sameOrganization(result.signingDomain.toLowerCase(), fromDomain),
  );
  const signatures = await Promise.all(
    aligned.map(async (result) => {
      // mailauth (like Gmail) reports a body changed after signing as neutral "body hash
      // did not verify", and checks the hash before it looks up the key. A changed body
      // is a failure only when the signer's key exists: archived mail whose line ends were
      // rewritten, or a signature naming a domain that publishes no such key, is not
      // evidence of forgery, and DNS that does not answer never makes a failure.
      const bodyChanged =
        result.status.result === "neutral" && /body hash did not verify/i.test(result.status.comment ?? "");
      const domain = result.signingDomain.toLowerCase();
      return {
        result: bodyChanged
          ? (await signerKeyExists(resolver, `${result.selector ?? ""}._domainkey.${domain}`))
            ? "fail"
            : "neutral"
          : result.status.result,
        domain,
        aligned: Boolean(result.status.aligned),
        underSized: Boolean(result.status.underSized),
        id: result.id,
      };
    }),
  );

  let dmarcFinding: AuthFindings["dmarc"] = null;
  // With no aligned signature DMARC can only fail, which alone proves nothing (see the top).
  if (fromDomain !== null && dkim.headerFrom.length === 1 && signatures.length > 0) {
    const result = await dmarc({
      headerFrom: dkim.headerFrom,
      spfDomains: [],
      dkimDomains: signatures
        .filter((signature) => signature.result === "pass")
        .map((signature) => ({
          domain: signature.domain,
          aligned: signature.aligned,
          underSized: signature.underSized,
          ...(signature.id ? { id: signature.id } : {}),
        })),
      resolver,
    });
    if (result) {
      const brokenSignature = signatures.some((signature) => signature.result === "fail");
      // Without SPF a DMARC "fail" only means no aligned signature passed; see the top comment.
      if (result.status.result !== "fail" || brokenSignature) {
        dmarcFinding = {
          result: result.status.result,
          policy: dmarcPolicy(result.policy),
          domain:
            typeof result.status.header?.["from"] === "string" ? result.status.header["from"] : fromDomain,
        };
      }
    }
  }

  const findings: AuthFindings = {
    fromDomain,
    dmarc: dmarcFinding,
    dkim: signatures.map(({ result, domain }) => ({ result, domain })),
    spf: null,
    viaList: isListMessage(headers),
  };
  const verdict = decideVerdict(findings, "pismo");
  // A broken aligned signature beside another domain's (an ESP's, a forwarder's) is ordinary
  // relayed mail when that one verifies (decideVerdict); unchecked, it may have: no alarm.
  const dkimOnly = verdict.status === "failed" && !verdict.failed?.includes("dmarc");
  if (dkimOnly && signed.length > aligned.length) return { status: "not-verified", method: "pismo" };
  return verdict;
}
