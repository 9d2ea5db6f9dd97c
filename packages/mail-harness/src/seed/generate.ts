import {
  ATTACHMENT_NAMES,
  ENGLISH_SENTENCES,
  ENGLISH_SUBJECTS,
  MONTHS_SR,
  PEOPLE,
  SERBIAN_SENTENCES,
  SERBIAN_SUBJECTS,
} from "./corpus";
import { buildMessage, type Attachment, type Charset } from "./mime";
import { createPrng, type Prng } from "./prng";

export interface SeedOptions {
  /** Messages spread with the default folder mix, on top of the explicit `folders` counts. */
  count: number;
  /** Exact counts per folder (IMAP names, "/" as the hierarchy separator, UTF-8). */
  folders?: Record<string, number>;
  /** @default 1 */
  seed?: number;
  /** Adds a few (at most 25) messages with 1–5 MB attachments. @default false */
  bigAttachments?: boolean;
  /** Address the mail is for (To of received mail, From of sent mail). @default "demo@pismo.test" */
  user?: string;
  /** Newest message date; messages spread over the two years before it. @default 2026-11-01T00:00:00Z */
  now?: Date;
  /**
   * With full-text search on, index the seeded mail before returning (`doveadm index`), so the
   * first body search answers from the index; without it the first search indexes as it goes.
   * Worth it for a benchmark or a demo; a test that never searches bodies leaves it off.
   * @default false
   */
  ftsIndex?: boolean;
}

export interface SeedMessage {
  folder: string;
  raw: Uint8Array;
  date: Date;
  /** IMAP system flags, e.g. "\\Seen". */
  flags: string[];
}

/** Default mix when only `count` is given; the rest of the rounding goes to INBOX. */
export const DEFAULT_FOLDER_WEIGHTS: Readonly<Record<string, number>> = {
  INBOX: 0.6,
  Archive: 0.12,
  Sent: 0.1,
  Poslato: 0.04,
  "Računi/2026": 0.05,
  Računi: 0.02,
  Newsletters: 0.03,
  Trash: 0.02,
  Junk: 0.02,
};

const TWO_YEARS_MS = 2 * 365 * 24 * 3600 * 1000;
const DEFAULT_NOW = new Date(Date.UTC(2026, 10, 1));
const FILLER_BYTES = 512 * 1024;
const MAX_BIG = 25;

/** Exact number of messages per folder for these options. */
export function planFolders(opts: SeedOptions): Map<string, number> {
  const plan = new Map<string, number>();
  for (const [folder, n] of Object.entries(opts.folders ?? {})) plan.set(folder, (plan.get(folder) ?? 0) + n);
  const rest = Math.max(0, opts.count);
  let assigned = 0;
  for (const [folder, w] of Object.entries(DEFAULT_FOLDER_WEIGHTS)) {
    if (folder === "INBOX") continue;
    const n = Math.floor(rest * w);
    assigned += n;
    if (n > 0) plan.set(folder, (plan.get(folder) ?? 0) + n);
  }
  if (rest - assigned > 0) plan.set("INBOX", (plan.get("INBOX") ?? 0) + rest - assigned);
  for (const [folder, n] of plan) if (n <= 0) plan.delete(folder);
  return plan;
}

let fillerCache: { seed: number; bytes: Uint8Array } | undefined;

/** Incompressible-looking bytes for attachments, made once and sliced, because per-byte PRNG work for megabytes is slow. */
function filler(seed: number): Uint8Array {
  if (fillerCache?.seed === seed) return fillerCache.bytes;
  const prng = createPrng(seed ^ 0x5eed);
  const bytes = new Uint8Array(FILLER_BYTES);
  for (let i = 0; i < bytes.length; i += 4) {
    const v = Math.floor(prng.next() * 4294967296);
    bytes[i] = v & 0xff;
    bytes[i + 1] = (v >>> 8) & 0xff;
    bytes[i + 2] = (v >>> 16) & 0xff;
    bytes[i + 3] = v >>> 24;
  }
  fillerCache = { seed, bytes };
  return bytes;
}

function binaryContent(
  prng: Prng,
  seed: number,
  size: number,
  head: Uint8Array,
  tail: Uint8Array,
): Uint8Array {
  const src = filler(seed);
  const out = new Uint8Array(size + head.length + tail.length);
  out.set(head, 0);
  let pos = head.length;
  let offset = prng.int(0, src.length - 1);
  while (pos < head.length + size) {
    const n = Math.min(src.length - offset, head.length + size - pos);
    out.set(src.subarray(offset, offset + n), pos);
    pos += n;
    offset = 0;
  }
  out.set(tail, pos);
  return out;
}

const PDF_HEAD = Buffer.from(
  "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstream\n",
  "latin1",
);
const PDF_TAIL = Buffer.from("\nendstream\n%%EOF\n", "latin1");
const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const EMPTY = new Uint8Array(0);

function paragraphs(prng: Prng, sentences: readonly string[], min: number, max: number): string[] {
  const out: string[] = [];
  const n = prng.int(min, max);
  for (let p = 0; p < n; p++) {
    const s: string[] = [];
    const m = prng.int(2, 6);
    for (let i = 0; i < m; i++) s.push(prng.pick(sentences));
    out.push(s.join(" "));
  }
  return out;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Deterministic stream of realistic messages: same options, same bytes. Pure: no I/O.
 * Dates rise with the index, so UIDs (assigned in file-name time order) follow dates.
 */
export function* generateMessages(opts: SeedOptions): Generator<SeedMessage> {
  const seed = opts.seed ?? 1;
  const prng = createPrng(seed);
  const user = opts.user ?? "demo@pismo.test";
  const now = (opts.now ?? DEFAULT_NOW).getTime();
  const plan = planFolders(opts);
  const remaining = new Map(plan);
  let left = [...plan.values()].reduce((a, b) => a + b, 0);
  const total = left;
  const recentIds: string[] = [];
  let bigMade = 0;

  for (let i = 0; i < total; i++) {
    // Weighted by what is left, so every folder gets exactly its planned count.
    let r = prng.int(0, left - 1);
    let folder = "INBOX";
    for (const [f, n] of remaining) {
      if (r < n) {
        folder = f;
        break;
      }
      r -= n;
    }
    remaining.set(folder, (remaining.get(folder) ?? 1) - 1);
    left--;

    const date = new Date(
      Math.floor(now - TWO_YEARS_MS + (TWO_YEARS_MS * (i + 1)) / total - prng.int(0, 3_600_000)),
    );
    const cr = prng.next();
    const charset: Charset = cr < 0.08 ? "windows-1250" : cr < 0.13 ? "iso-8859-2" : "utf-8";
    const serbian =
      charset !== "utf-8" || prng.chance(0.5) || folder === "Poslato" || folder.startsWith("Računi");
    const sentences = serbian ? SERBIAN_SENTENCES : ENGLISH_SENTENCES;
    const n = prng.int(100, 99999);
    let subject = prng
      .pick(serbian ? SERBIAN_SUBJECTS : ENGLISH_SUBJECTS)
      .replace("{n}", String(n))
      .replace("{month}", prng.pick(MONTHS_SR));
    const person = prng.pick(PEOPLE);
    const outgoing = folder === "Sent" || folder === "Poslato" || folder === "Drafts";
    const me = { name: serbian ? "Demo Korisnik" : "Demo User", address: user };

    let inReplyTo: string | undefined;
    let references: string[] | undefined;
    if (recentIds.length > 0 && prng.chance(0.12)) {
      inReplyTo = prng.pick(recentIds);
      references = [inReplyTo];
      subject = `Re: ${subject}`;
    }

    const paras = paragraphs(prng, sentences, 1, 6);
    const greeting = serbian ? `Zdravo ${person.name.split(" ")[0]},` : `Hi ${person.name.split(" ")[0]},`;
    const signoff = serbian
      ? `Srdačno,\n${outgoing ? me.name : person.name}`
      : `Best,\n${outgoing ? me.name : person.name}`;
    const text = [greeting, ...paras, signoff].join("\n\n") + "\n";
    const html = prng.chance(0.3)
      ? `<!DOCTYPE html><html><head><meta charset="${charset}"></head><body style="font-family:sans-serif">` +
        `\n<p>${escapeHtml(greeting)}</p>\n${paras.map((p) => `<p>${escapeHtml(p)}</p>\n`).join("")}` +
        `<p style="color:#666">${escapeHtml(signoff).replace("\n", "<br>")}</p>\n</body></html>\n`
      : undefined;

    const attachments: Attachment[] = [];
    const attachCount = prng.chance(0.06) ? prng.int(1, 2) : 0;
    for (let a = 0; a < attachCount; a++) {
      const spec = prng.pick(ATTACHMENT_NAMES);
      const filename = spec.filename.replace("{n}", String(n));
      // Mostly small; one in a hundred attachments is 200 KB – 1 MB.
      const size = prng.chance(0.01) ? prng.int(200_000, 1_000_000) : prng.int(2_000, 60_000);
      const content =
        spec.contentType === "text/plain"
          ? Buffer.from(paragraphs(prng, sentences, 3, 20).join("\n\n") + "\n", "utf8")
          : binaryContent(
              prng,
              seed,
              size,
              spec.contentType === "image/png" ? PNG_HEAD : PDF_HEAD,
              spec.contentType === "image/png" ? EMPTY : PDF_TAIL,
            );
      attachments.push({ filename, contentType: spec.contentType, content });
    }
    if (opts.bigAttachments && bigMade < MAX_BIG && i % 1000 === 500) {
      bigMade++;
      attachments.push({
        filename: `arhiva-${n}.pdf`,
        contentType: "application/pdf",
        content: binaryContent(prng, seed, prng.int(1_000_000, 5_000_000), PDF_HEAD, PDF_TAIL),
      });
    }

    const messageId = `${seed}.${i}.${n}@${outgoing ? "pismo.test" : (person.address.split("@")[1] ?? "example.com")}`;
    const raw = buildMessage({
      from: outgoing ? me : person,
      to: outgoing ? person : me,
      subject,
      text,
      ...(html !== undefined ? { html } : {}),
      charset,
      headerEncoding: prng.chance(0.5) ? "B" : "Q",
      transferEncoding:
        charset === "utf-8"
          ? prng.chance(0.8)
            ? "quoted-printable"
            : "8bit"
          : prng.chance(0.5)
            ? "quoted-printable"
            : "8bit",
      attachments,
      date,
      messageId,
      ...(inReplyTo !== undefined ? { inReplyTo } : {}),
      ...(references !== undefined ? { references } : {}),
    });
    recentIds.push(messageId);
    if (recentIds.length > 50) recentIds.shift();

    const flags: string[] = [];
    const recent = i >= total * 0.97;
    if (outgoing || folder === "Trash" || prng.chance(recent ? 0.3 : 0.92)) flags.push("\\Seen");
    if (folder === "Drafts") flags.push("\\Draft");
    if (!outgoing && prng.chance(0.03)) flags.push("\\Flagged");
    if (!outgoing && prng.chance(0.08)) flags.push("\\Answered");
    yield { folder, raw, date, flags };
  }
}
