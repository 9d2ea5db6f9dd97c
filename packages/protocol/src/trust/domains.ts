// Domain names as the trust checks compare them: ASCII (A-label) form for comparison,
// Unicode (U-label) form for reading, the organizational domain from the Public Suffix List
// (RFC 7489 §3.2 defines DMARC alignment over it), and the Unicode scripts a label is
// written in (UTS #39 mixed-script detection).

// The types of punycode.js live next to this file; the reference brings them along into
// every program that compiles this file (the gateway's and the web app's too).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient module declaration cannot be imported
/// <reference path="./punycode-js.d.ts" />
import punycode from "punycode.js";
import { getDomain } from "tldts";

// The same PSL sections mailauth uses for DMARC alignment, so a result Pismo computes and
// one the gateway computes with mailauth agree on what "the same organization" means.
const PSL_OPTIONS = { allowIcannDomains: true, allowPrivateDomains: true } as const;

/** Lower-case A-label form of a host name (IDNA via the WHATWG URL parser), or null when it is not a valid host. */
export function toAsciiHost(host: string): string | null {
  const trimmed = host.trim().replace(/\.$/, "");
  if (trimmed === "" || /[\s/?#@\\:[\]%]/.test(trimmed)) return null;
  try {
    const hostname = new URL(`http://${trimmed}/`).hostname;
    return hostname === "" ? null : hostname;
  } catch {
    return null;
  }
}

/** The host as a person reads it: every xn-- label decoded (left as is when it does not decode). */
export function toUnicodeHost(host: string): string {
  return host
    .split(".")
    .map((label) => {
      if (!/^xn--/i.test(label)) return label;
      try {
        return punycode.toUnicode(label.toLowerCase());
      } catch {
        return label;
      }
    })
    .join(".");
}

/** The registrable ("organizational") domain of an A-label host, or the host itself when the PSL has none (an IP, a bare suffix). */
export function organizationalDomain(host: string): string {
  const ascii = toAsciiHost(host) ?? host.toLowerCase();
  return getDomain(ascii, PSL_OPTIONS) ?? ascii;
}

/** DMARC relaxed alignment: the two hosts share an organizational domain. */
export function sameOrganization(a: string, b: string): boolean {
  return organizationalDomain(a) === organizationalDomain(b);
}

/** The domain part of an address (after the last @), lower-case, or null. */
export function domainOfAddress(address: string): string | null {
  const at = address.lastIndexOf("@");
  if (at < 0) return null;
  const domain = address
    .slice(at + 1)
    .trim()
    .replace(/[>\].]+$/, "")
    .toLowerCase();
  return domain === "" ? null : domain;
}

// The scripts a domain label can be written in, tested in this order; letters of any other
// script count as "Other". Common (digits, hyphen) and Inherited (combining marks) belong to
// no script and never make a label mixed.
const SCRIPTS: ReadonlyArray<readonly [string, RegExp]> = [
  ["Latin", /\p{Script=Latin}/u],
  ["Cyrillic", /\p{Script=Cyrillic}/u],
  ["Greek", /\p{Script=Greek}/u],
  ["Armenian", /\p{Script=Armenian}/u],
  ["Georgian", /\p{Script=Georgian}/u],
  ["Hebrew", /\p{Script=Hebrew}/u],
  ["Arabic", /\p{Script=Arabic}/u],
  ["Han", /\p{Script=Han}/u],
  ["Hiragana", /\p{Script=Hiragana}/u],
  ["Katakana", /\p{Script=Katakana}/u],
  ["Bopomofo", /\p{Script=Bopomofo}/u],
  ["Hangul", /\p{Script=Hangul}/u],
  ["Thai", /\p{Script=Thai}/u],
  ["Devanagari", /\p{Script=Devanagari}/u],
  ["Cherokee", /\p{Script=Cherokee}/u],
];

const NO_SCRIPT = /[\p{Script=Common}\p{Script=Inherited}]/u;

/** The scripts of the letters in a (Unicode) label, in order of first appearance. */
export function scriptsOf(label: string): string[] {
  const found: string[] = [];
  for (const char of label) {
    if (NO_SCRIPT.test(char)) continue;
    const script = SCRIPTS.find(([, pattern]) => pattern.test(char))?.[0] ?? "Other";
    if (!found.includes(script)) found.push(script);
  }
  return found;
}

// UTS #39 "Highly Restrictive": besides a single script, only Latin combined with the East
// Asian scripts that are written together (Japanese, Chinese with Bopomofo, Korean).
const ALLOWED_COMBINATIONS: ReadonlyArray<ReadonlySet<string>> = [
  new Set(["Latin", "Han", "Hiragana", "Katakana"]),
  new Set(["Latin", "Han", "Bopomofo"]),
  new Set(["Latin", "Han", "Hangul"]),
];

function isMixed(scripts: readonly string[]): boolean {
  if (scripts.length <= 1) return false;
  return !ALLOWED_COMBINATIONS.some((allowed) => scripts.every((script) => allowed.has(script)));
}

// Cyrillic and Greek letters drawn like Latin ones (Chromium's IDN spoof checker list for
// Cyrillic, plus the Greek letters of UTS #39's confusables of a-z). A label made only of
// these reads as a Latin word: "аррӏе" is all Cyrillic and looks like "apple".
const LATIN_LOOKALIKES = new Set([..."аысԁеԍһіюјӏорԗԛѕԝхуъьҽпгѵѡ", ..."αικνορτυχ"]);

/** Why a host name reads as something it is not, or null when it is plain. */
export interface LookalikeHost {
  /** The host in A-label (punycode) form, the form that cannot disguise itself. */
  ascii: string;
  /** The host as it would be shown decoded. */
  unicode: string;
  /** The first label that disguises itself, decoded. */
  label: string;
  /** "mixed-scripts": one label mixes scripts (Latin with Cyrillic…); "latin-lookalike": a non-Latin label made only of letters drawn like Latin ones, under a Latin top-level domain. */
  reason: "mixed-scripts" | "latin-lookalike";
  scripts: string[];
}

/**
 * Detect an internationalized host that imitates another: a label mixing scripts against
 * UTS #39's highly restrictive profile, or a whole-script Cyrillic/Greek imitation of a Latin
 * word placed under a Latin TLD (how browsers decide to show punycode instead).
 */
export function findLookalikeHost(host: string): LookalikeHost | null {
  const ascii = toAsciiHost(host);
  if (ascii === null) return null;
  const unicode = toUnicodeHost(ascii);
  if (unicode === ascii && !/[^\p{ASCII}]/u.test(host)) return null;
  const labels = unicode.split(".");
  const tld = labels[labels.length - 1] ?? "";
  const tldScripts = scriptsOf(tld);
  for (const label of labels) {
    const scripts = scriptsOf(label);
    if (isMixed(scripts)) return { ascii, unicode, label, reason: "mixed-scripts", scripts };
    const letters = [...label].filter((char) => !NO_SCRIPT.test(char));
    if (
      scripts.length === 1 &&
      (scripts[0] === "Cyrillic" || scripts[0] === "Greek") &&
      !tldScripts.includes(scripts[0]) &&
      letters.length > 0 &&
      letters.every((char) => LATIN_LOOKALIKES.has(char.toLowerCase()))
    ) {
      return { ascii, unicode, label, reason: "latin-lookalike", scripts };
    }
  }
  return null;
}
