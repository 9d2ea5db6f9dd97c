import ICAL from "ical.js";
import type { Contact } from "./address-book";

/**
 * vCard import and export (RFC 6350 vCard 4.0, RFC 2426 vCard 3.0, and the quoted-printable
 * of old 2.1 files), with ical.js doing the RFC work: line folding, escaped commas and
 * semicolons, multi-valued CATEGORIES. Only what the address book keeps is read: FN (else N),
 * every EMAIL, NOTE, and CATEGORIES as groups.
 */

export type VcardErrorCode = "empty" | "notVcard" | "unterminated" | "badLine" | "noCards";

export type ParseVcardResult =
  | { ok: true; contacts: Array<Omit<Contact, "id">> }
  | { ok: false; code: VcardErrorCode; line?: number; text?: string };

/** vCard 2.1 writes parameters without names (`EMAIL;INTERNET;PREF:`); later versions say TYPE=. */
function nameBareParams(head: string): string {
  const [prop, ...params] = head.split(";");
  return [prop, ...params.map((p) => (p.includes("=") ? p : `TYPE=${p}`))].join(";");
}

/** The head (name and parameters) of a content line: up to the first colon outside quotes. */
function splitLine(line: string): [string, string] | null {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ":" && !quoted) return [line.slice(0, i), line.slice(i + 1)];
  }
  return null;
}

function decodeQuotedPrintable(value: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value.slice(i + 1, i + 3);
    if (value[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of new TextEncoder().encode(value[i] ?? "")) bytes.push(b);
    }
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder("utf-8");
  }
  return decoder.decode(new Uint8Array(bytes));
}

/**
 * Rewrites a 2.1 file's lines the way ical.js reads them: quoted-printable values decoded
 * (their soft line breaks, a trailing "=", joined first) and bare parameters named.
 */
function normalizeOldVcard(text: string): string {
  const lines = text.split(/\r\n|\n|\r/);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? "";
    const parts = splitLine(line);
    if (!parts || /^[ \t]/.test(line)) {
      out.push(line);
      continue;
    }
    let [head, value] = parts;
    if (/QUOTED-PRINTABLE/i.test(head)) {
      while (value.endsWith("=") && i + 1 < lines.length) {
        value = value.slice(0, -1) + (lines[i + 1] ?? "");
        i += 1;
      }
      const charset = /;CHARSET=([^;:]+)/i.exec(head)?.[1] ?? "utf-8";
      head = head.replace(/;(ENCODING=)?QUOTED-PRINTABLE/gi, "").replace(/;CHARSET=[^;:]+/gi, "");
      // The decoded text may hold line breaks, which a content line writes as \n.
      value = decodeQuotedPrintable(value, charset).replace(/\r\n|\n|\r/g, "\\n");
    }
    line = `${nameBareParams(head)}:${value}`;
    out.push(line);
  }
  return out.join("\r\n");
}

/** ical.js leaves `\;` in vCard 3.0 text values; RFC 2426 §4 says it stands for ";". */
function unescapeText(value: unknown): string {
  return typeof value === "string" ? value.replace(/\\([;,\\])/g, "$1").trim() : "";
}

function lineOf(text: string, fragment: string): number | undefined {
  const index = text.indexOf(fragment);
  return index < 0 ? undefined : text.slice(0, index).split(/\r\n|\n|\r/).length;
}

/** Every card of a .vcf file, or why the file cannot be read (then nothing of it is taken). */
export function parseVcards(input: string): ParseVcardResult {
  const text = input.replace(/^\uFEFF/, "");
  if (!text.trim()) return { ok: false, code: "empty" };
  if (!/^\s*BEGIN:VCARD\s*$/im.test(text)) return { ok: false, code: "notVcard" };
  const normalized = normalizeOldVcard(text);
  let parsed: unknown;
  try {
    parsed = ICAL.parse(normalized);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/began but did not end/i.test(message)) return { ok: false, code: "unterminated" };
    const quoted = /(?:"([^"]*)"|'([^']*)')\s*$/.exec(message);
    const fragment = quoted?.[1] ?? quoted?.[2];
    const line = fragment ? lineOf(text, fragment.split(":")[0] ?? fragment) : undefined;
    return {
      ok: false,
      code: "badLine",
      ...(line !== undefined ? { line } : {}),
      ...(fragment ? { text: fragment } : {}),
    };
  }
  const roots = (Array.isArray(parsed) && typeof parsed[0] !== "string" ? parsed : [parsed]) as unknown[];
  const contacts: Array<Omit<Contact, "id">> = [];
  for (const root of roots) {
    const card = new ICAL.Component(root as ConstructorParameters<typeof ICAL.Component>[0]);
    if (card.name !== "vcard") return { ok: false, code: "notVcard" };
    const n = card.getFirstPropertyValue("n");
    const fromN = Array.isArray(n)
      ? [n[1], n[2], n[0]].map(unescapeText).filter(Boolean).join(" ")
      : unescapeText(n);
    const emails = card
      .getAllProperties("email")
      .map((p) => unescapeText(p.getFirstValue()).replace(/^mailto:/i, ""))
      .filter(Boolean);
    contacts.push({
      name: unescapeText(card.getFirstPropertyValue("fn")) || fromN,
      emails,
      note: card
        .getAllProperties("note")
        .map((p) => unescapeText(p.getFirstValue()))
        .filter(Boolean)
        .join("\n"),
      groups: card
        .getAllProperties("categories")
        .flatMap((p) => p.getValues().map(unescapeText))
        .filter(Boolean),
    });
  }
  if (contacts.length === 0) return { ok: false, code: "noCards" };
  return { ok: true, contacts };
}

/**
 * RFC 6350 §3.2: lines longer than 75 octets are folded (CRLF and a space), never inside a
 * UTF-8 character. ical.js folds by UTF-16 units, which lets Serbian text run longer.
 */
function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const ch of line) {
    const size = new TextEncoder().encode(ch).length;
    const limit = parts.length === 0 ? 75 : 74; // a continuation line starts with its space
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/** The contacts as one vCard 4.0 file (RFC 6350: CRLF, lines folded at 75 octets). */
export function formatVcards(contacts: readonly Contact[]): string {
  return contacts
    .map((c) => {
      const card = new ICAL.Component("vcard");
      card.addPropertyWithValue("version", "4.0");
      card.addPropertyWithValue("uid", c.id);
      card.addPropertyWithValue("fn", c.name || c.emails[0] || "");
      for (const e of c.emails) card.addPropertyWithValue("email", e);
      if (c.note) card.addPropertyWithValue("note", c.note);
      if (c.groups.length) {
        const categories = new ICAL.Property("categories", card);
        categories.setValues(c.groups);
        card.addProperty(categories);
      }
      return card
        .toString()
        .replace(/\r\n[ \t]/g, "")
        .split("\r\n")
        .map(foldLine)
        .join("\r\n")
        .concat("\r\n");
    })
    .join("");
}
