// Where a link really goes. A link whose visible text is itself an address (a URL, a
// domain, an e-mail address) promises a destination; when the real target belongs to
// another organization, the promise is false. Some targets deserve a look whatever the
// text says: a bare IP address, a host that imitates another in other scripts, a URL that
// hides its host behind "user@".

import { parse } from "tldts";
import { findLookalikeHost, organizationalDomain, toAsciiHost, toUnicodeHost } from "./domains";
import type { LookalikeHost } from "./domains";

export type LinkReason =
  /** The text shows another organization's URL or domain than the target's. */
  | "text-shows-other-domain"
  /** The text shows an e-mail address but the link opens a web page, or the reverse. */
  | "text-shows-other-kind"
  /** The target host is an IP address (v4 in any notation, or v6). */
  | "ip-address"
  /** The target host imitates another in other scripts (mixed scripts, Cyrillic drawn as Latin). */
  | "lookalike-host"
  /** The target host is written in punycode but does not decode to a valid name. */
  | "undecodable-punycode"
  /** The URL carries a user name before its host (https://www.bank.example@evil.example/). */
  | "credentials-in-url";

export interface LinkCheck {
  /** The visible text promises another destination than the target: mark the link. */
  differs: boolean;
  /** Show the real destination before opening, whatever the text (IP, lookalike, userinfo, or differs). */
  alwaysAsk: boolean;
  reasons: LinkReason[];
  /** The target's scheme without ":" ("https", "mailto"), or null when the href is not a URL. */
  targetScheme: string | null;
  /** The target host in A-label form (the mailbox domain for mailto:), or null. */
  targetHost: string | null;
  /** The target host as decoded Unicode, for reading; equals targetHost when plain ASCII. */
  targetHostUnicode: string | null;
  /** The registrable domain of the target (highlight this part), or null. */
  targetDomain: string | null;
  /** The host (or mailbox domain) the visible text shows, A-label form, or null when the text is plain words. */
  shownHost: string | null;
  /** Set when reasons include "lookalike-host". */
  lookalike?: LookalikeHost;
}

// Top-level domains that are also common file extensions: "setup.py" or "notes.md" as
// link text names a file, not a site, unless written with a scheme, "www." or a path.
// (.rs and .pl are not here: Serbian and Polish sites are named that way in text.)
const FILE_LIKE_TLDS = new Set(["zip", "mov", "md", "py", "sh"]);

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

interface Shown {
  kind: "web" | "mail";
  host: string;
}

/** Unwrap what people put around an address in text: angle brackets, quotes, trailing punctuation. */
function unwrap(text: string): string {
  return text
    .trim()
    .replace(/^[<(["'«»„“”‘’]+/u, "")
    .replace(/[>)\]"'«»„“”‘’.,;:!?]+$/u, "")
    .trim();
}

function hostOfUrlText(text: string): string | null {
  try {
    const url = new URL(text);
    return url.hostname === "" ? null : url.hostname.replace(/^\[|\]$/g, "");
  } catch {
    return null;
  }
}

/** What destination the visible text promises, or null for plain words ("Click here", "Kliknite ovde"). */
export function shownDestination(text: string): Shown | null {
  const candidate = unwrap(text.normalize("NFKC"));
  if (candidate === "" || /\s/.test(candidate)) return null;
  if (/^mailto:/i.test(candidate)) {
    const domain = candidate.slice(7).split("?")[0]?.split("@").pop() ?? "";
    const host = toAsciiHost(domain);
    return host ? { kind: "mail", host } : null;
  }
  const scheme = SCHEME.exec(candidate)?.[1]?.toLowerCase();
  if (scheme === "http" || scheme === "https" || scheme === "ftp") {
    const host = hostOfUrlText(candidate);
    return host ? { kind: "web", host } : null;
  }
  if (scheme !== undefined && !/^[^/]*\.[^/]*:\d/.test(candidate)) {
    // Some other scheme (tel:, news:); "example.com:8080/x" has a port, not a scheme.
    return null;
  }
  const mail = /^[^@\s/]+@([^@\s/]+)$/.exec(candidate);
  if (mail?.[1]) {
    const host = toAsciiHost(mail[1]);
    return host && parse(host).isIcann ? { kind: "mail", host } : null;
  }
  const hostPart = candidate.split(/[/?#]/)[0] ?? "";
  const host = toAsciiHost(hostPart.replace(/:\d+$/, ""));
  if (!host || !host.includes(".")) return null;
  if (/^\d+(?:\.\d+){3}$/.test(host)) return { kind: "web", host };
  const info = parse(host);
  if (!info.domain || !info.isIcann) return null;
  const suffix = info.publicSuffix ?? "";
  const explicit = /^www\./i.test(candidate) || candidate.includes("/");
  if (FILE_LIKE_TLDS.has(suffix) && !explicit) return null;
  return { kind: "web", host };
}

function isIpHost(host: string): boolean {
  return /^\d+(?:\.\d+){3}$/.test(host) || host.startsWith("[");
}

/**
 * Check one link: its visible text and its href (as written in the message). Relative and
 * scriptless hrefs (#anchor, cid:) have no host and never differ.
 */
export function checkLink(text: string, href: string): LinkCheck {
  const reasons: LinkReason[] = [];
  let targetScheme: string | null = null;
  let targetHost: string | null = null;
  let lookalike: LookalikeHost | null = null;
  let url: URL | null = null;
  try {
    url = new URL(href.trim());
  } catch {
    url = null;
  }
  if (url) {
    targetScheme = url.protocol.replace(/:$/, "").toLowerCase();
    if (targetScheme === "mailto") {
      const address = decodeURIComponentSafe(url.pathname.split(",")[0] ?? "");
      const domain = address.includes("@") ? address.split("@").pop() : undefined;
      targetHost = domain ? toAsciiHost(domain) : null;
    } else if (url.hostname !== "") {
      targetHost = url.hostname;
      if (url.username !== "" || url.password !== "") reasons.push("credentials-in-url");
    }
  }
  if (targetHost !== null) {
    if (isIpHost(targetHost)) reasons.push("ip-address");
    lookalike = findLookalikeHost(targetHost);
    if (lookalike) reasons.push("lookalike-host");
    else if (
      targetHost.split(".").some((label) => label.startsWith("xn--")) &&
      toUnicodeHost(targetHost) === targetHost
    ) {
      reasons.push("undecodable-punycode");
    }
  }

  const shown = shownDestination(text);
  const shownHost = shown?.host ?? null;
  if (shown && targetScheme !== null) {
    const targetKind =
      targetScheme === "mailto"
        ? "mail"
        : targetScheme === "http" || targetScheme === "https" || targetScheme === "ftp"
          ? "web"
          : null;
    if (targetKind !== shown.kind) reasons.push("text-shows-other-kind");
    else if (
      targetHost === null ||
      organizationalDomain(targetHost.replace(/^\[|\]$/g, "")) !== organizationalDomain(shown.host)
    ) {
      reasons.push("text-shows-other-domain");
    }
  }
  const differs = reasons.includes("text-shows-other-domain") || reasons.includes("text-shows-other-kind");
  const result: LinkCheck = {
    differs,
    alwaysAsk: reasons.length > 0,
    reasons,
    targetScheme,
    targetHost,
    targetHostUnicode: targetHost === null ? null : toUnicodeHost(targetHost),
    targetDomain: targetHost === null || isIpHost(targetHost) ? null : organizationalDomain(targetHost),
    shownHost,
  };
  if (lookalike) result.lookalike = lookalike;
  return result;
}

/** An href split for display so the registrable domain can be highlighted. */
export interface HighlightedUrl {
  before: string;
  domain: string;
  after: string;
}

/**
 * Split a URL as the confirmation shows it: everything before the registrable domain, the
 * domain (highlighted, in punycode when it imitates another host), and the rest. Null when
 * the href has no host.
 */
export function highlightUrl(href: string): HighlightedUrl | null {
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return null;
  }
  if (url.hostname === "") return null;
  const host = url.hostname;
  const shownHost = findLookalikeHost(host) ? host : toUnicodeHost(host);
  const domainAscii = isIpHost(host) ? host : organizationalDomain(host);
  const shownDomain = findLookalikeHost(host) ? domainAscii : toUnicodeHost(domainAscii);
  const userinfo = url.username !== "" ? `${url.username}${url.password !== "" ? ":***" : ""}@` : "";
  const prefix = `${url.protocol}//${userinfo}${shownHost.slice(0, shownHost.length - shownDomain.length)}`;
  const port = url.port !== "" ? `:${url.port}` : "";
  return { before: prefix, domain: shownDomain, after: `${port}${url.pathname}${url.search}${url.hash}` };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
