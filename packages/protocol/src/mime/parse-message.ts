// Raw RFC 5322 bytes -> MessageView. postal-mime does the framing (RFC 2046 boundaries,
// RFC 2045 transfer encodings, RFC 2231 parameters, RFC 2047 encoded words); this module
// walks the part tree itself so that it can number parts the IMAP way, decode every
// charset (UTF-7 included), keep message/rfc822 parts as openable attachments, apply the
// MimeLimits, and say what it could not do instead of throwing.

import PostalMime, { decodeWords } from "postal-mime";
import type { Address as PostalAddress, Email } from "postal-mime";
import { decodeTextPart, normalizeCharsetLabel, isKnownCharset } from "./charset";
import { resolveLimits } from "./limits";
import type { MimeLimits } from "./limits";
import { findHeaderEnd, prepareRaw } from "./raw-headers";
import type { Address, AttachmentView, MessageView, MimeNote } from "./view";

/**
 * The part of postal-mime's internal node that this module reads. postal-mime 4.0.0 marks
 * `root` @internal (it is stripped from the .d.ts), so the shape is checked at run time and
 * the parser falls back to postal-mime's public result if a future version changes it.
 */
interface PostalNode {
  contentType: {
    parsed: { value: string; params: Record<string, string | undefined> };
    multipart: string | false;
  };
  contentDisposition: { parsed: { value: string; params: Record<string, string | undefined> } };
  contentId?: string | undefined;
  content: ArrayBuffer | null;
  childNodes: PostalNode[];
  decodeFlowedText?: (text: string, delSp: boolean) => string;
}

function isPostalNode(value: unknown): value is PostalNode {
  if (typeof value !== "object" || value === null) return false;
  const node = value as Partial<PostalNode>;
  return (
    Array.isArray(node.childNodes) &&
    typeof node.contentType?.parsed?.value === "string" &&
    typeof node.contentType.parsed.params === "object" &&
    typeof node.contentDisposition?.parsed?.value === "string"
  );
}

type Piece =
  { kind: "text"; value: string } | { kind: "html"; value: string } | { kind: "alt"; choices: Piece[][] };

interface WalkState {
  limits: MimeLimits;
  parts: number;
  attachments: AttachmentView[];
  notes: NoteList;
  /** When set, the walk looks for this part and stops there. */
  target?: string;
  found?: PostalNode;
}

/** Notes deduplicated by code and detail, and capped so a message cannot flood the UI. */
class NoteList {
  readonly items: MimeNote[] = [];
  private readonly seen = new Set<string>();
  add(note: MimeNote): void {
    const key = `${note.code}\u0000${note.detail}`;
    if (this.seen.has(key) || this.items.length >= 20) return;
    this.seen.add(key);
    this.items.push(note);
  }
}

const MESSAGE_TYPES = new Set(["message/rfc822", "message/global"]);

function childId(parentId: string, index: number): string {
  return parentId === "" ? String(index + 1) : `${parentId}.${index + 1}`;
}

function stripAngles(value: string): string {
  return value
    .trim()
    .replace(/^<+|>+$/g, "")
    .trim();
}

function partFilename(node: PostalNode): string | null {
  const raw = node.contentDisposition.parsed.params["filename"] ?? node.contentType.parsed.params["name"];
  if (!raw) return null;
  // RFC 2231 continuations are already joined by postal-mime; RFC 2047 words in a
  // parameter are not standard but Outlook and Gmail write them.
  return decodeWords(raw).trim() || null;
}

function decodeNodeText(node: PostalNode, state: WalkState): string {
  if (!node.content) return "";
  const charset = node.contentType.parsed.params["charset"];
  const decoded = decodeTextPart(new Uint8Array(node.content), charset);
  if (decoded.note) state.notes.add(decoded.note);
  let text = decoded.text;
  // RFC 3676 format=flowed: soft line breaks are undone for display.
  const format = node.contentType.parsed.params["format"];
  if (format && /^flowed$/i.test(format) && node.decodeFlowedText) {
    text = node.decodeFlowedText(text, /^yes$/i.test(node.contentType.parsed.params["delsp"] ?? ""));
  }
  return text;
}

function addAttachment(node: PostalNode, id: string, state: WalkState): void {
  const mimeType = node.contentType.parsed.value || "application/octet-stream";
  const dispositionValue = node.contentDisposition.parsed.value;
  const contentId = node.contentId ? stripAngles(node.contentId) || null : null;
  state.attachments.push({
    id,
    filename: partFilename(node),
    mimeType,
    size: node.content?.byteLength ?? 0,
    // RFC 2183: without a disposition, a part with a Content-ID is an inline resource
    // (RFC 2387 multipart/related); everything else is offered as an attachment.
    disposition:
      dispositionValue === "inline" || (dispositionValue === "" && contentId !== null)
        ? "inline"
        : "attachment",
    contentId,
    isMessage: MESSAGE_TYPES.has(mimeType),
  });
}

function walk(node: PostalNode, id: string, depth: number, state: WalkState, out: Piece[]): void {
  if (state.found) return;
  state.parts++;
  if (state.parts > state.limits.maxParts) {
    state.notes.add({
      code: "TOO_MANY_PARTS",
      detail: `The message has more than ${state.limits.maxParts} parts; the rest were not read.`,
    });
    return;
  }
  if (depth > state.limits.maxDepth) {
    state.notes.add({
      code: "TOO_DEEP",
      detail: `Parts nested deeper than ${state.limits.maxDepth} levels were not read.`,
    });
    return;
  }
  const type = node.contentType.parsed.value;
  const multipart = node.contentType.multipart;
  if (multipart !== false) {
    if (node.childNodes.length === 0) {
      // RFC 2046 5.1.1 makes the boundary parameter mandatory. Without it (or when it never
      // occurs) there are no parts to find: the body is shown as plain text, and the view
      // says why even when the body is empty, rather than showing an unexplained blank.
      if (state.target !== undefined) return;
      const why = node.contentType.parsed.params["boundary"]
        ? "its boundary never occurs"
        : "it has no boundary parameter";
      const hasBody = node.content !== null && node.content.byteLength > 0;
      state.notes.add({
        code: "MALFORMED",
        detail: `A ${type} part has no parts (${why}); ${hasBody ? "its body is shown as plain text" : "its body is empty"}.`,
      });
      if (hasBody) out.push({ kind: "text", value: decodeNodeText(node, state) });
      return;
    }
    if (multipart === "alternative") {
      // RFC 2046 5.1.4: alternatives are in increasing order of preference.
      const choices: Piece[][] = [];
      node.childNodes.forEach((child, index) => {
        const choice: Piece[] = [];
        walk(child, childId(id, index), depth + 1, state, choice);
        choices.push(choice);
      });
      out.push({ kind: "alt", choices });
      return;
    }
    node.childNodes.forEach((child, index) => walk(child, childId(id, index), depth + 1, state, out));
    return;
  }
  const partId = id === "" ? "1" : id;
  if (state.target !== undefined) {
    if (partId === state.target) state.found = node;
    return;
  }
  const inline = node.contentDisposition.parsed.value !== "attachment";
  if (inline && (type === "text/plain" || type === "text/html")) {
    out.push({ kind: type === "text/html" ? "html" : "text", value: decodeNodeText(node, state) });
    return;
  }
  addAttachment(node, partId, state);
}

function hasKind(pieces: Piece[], kind: "text" | "html"): boolean {
  return pieces.some((piece) =>
    piece.kind === "alt" ? piece.choices.some((c) => hasKind(c, kind)) : piece.kind === kind,
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renderHtml(pieces: Piece[]): string {
  return pieces
    .map((piece) => {
      if (piece.kind === "html") return piece.value;
      if (piece.kind === "text") return `<div style="white-space: pre-wrap">${escapeHtml(piece.value)}</div>`;
      const best =
        [...piece.choices].reverse().find((c) => hasKind(c, "html")) ??
        [...piece.choices].reverse().find((c) => c.length > 0);
      return best ? renderHtml(best) : "";
    })
    .filter((part) => part !== "")
    .join("\n");
}

function renderText(pieces: Piece[]): string {
  return pieces
    .map((piece) => {
      if (piece.kind === "text") return piece.value;
      if (piece.kind === "html") return "";
      const best = [...piece.choices].reverse().find((c) => hasKind(c, "text"));
      return best ? renderText(best) : "";
    })
    .filter((part) => part !== "")
    .join("\n");
}

// Bidirectional overrides in a display name can make "gro.evil@bank.com" read as a bank.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F]/g;

function toAddresses(list: PostalAddress[] | PostalAddress | undefined): Address[] {
  if (!list) return [];
  const out: Address[] = [];
  const push = (name: string, address: string | undefined): void => {
    if (!address) return;
    out.push({
      name: name.replace(BIDI_CONTROLS, "").trim(),
      address: address.replace(BIDI_CONTROLS, "").trim(),
    });
  };
  for (const entry of Array.isArray(list) ? list : [list]) {
    if (entry.group) for (const member of entry.group) push(member.name, member.address);
    else push(entry.name, entry.address);
  }
  return out;
}

function firstHeader(email: Email, key: string): string | null {
  const value = email.headers.find((header) => header.key === key)?.value;
  return value === undefined || value === "" ? null : value;
}

function parseReferences(value: string | undefined): string[] {
  if (!value) return [];
  const ids = value.match(/<[^<>\s]+>/g);
  return (ids ?? value.split(/[\s,]+/)).filter((id) => id !== "").slice(0, 200);
}

function toIsoDate(value: string | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function noteUnknownWordCharsets(email: Email, notes: NoteList): void {
  for (const header of email.headers) {
    for (const match of header.value.matchAll(/=\?([^?\s]+)\?[QqBb]\?/g)) {
      const label = normalizeCharsetLabel(match[1] ?? "");
      if (!isKnownCharset(label)) {
        notes.add({
          code: "UNKNOWN_CHARSET",
          detail: `The ${header.key} header uses unknown charset "${label.slice(0, 64)}".`,
        });
      }
    }
  }
}

function cut(value: string, limit: number, what: string, notes: NoteList): string {
  if (value.length <= limit) return value;
  notes.add({
    code: "TRUNCATED_BODY",
    detail: `The ${what} body has ${value.length} characters; the first ${limit} are shown.`,
  });
  return value.slice(0, limit);
}

function emptyView(notes: MimeNote[]): MessageView {
  return {
    messageId: null,
    subject: null,
    from: null,
    sender: null,
    replyTo: [],
    to: [],
    cc: [],
    bcc: [],
    date: null,
    inReplyTo: null,
    references: [],
    text: null,
    html: null,
    attachments: [],
    notes,
  };
}

function headerView(email: Email, notes: NoteList): MessageView {
  noteUnknownWordCharsets(email, notes);
  return {
    ...emptyView(notes.items),
    messageId: email.messageId ?? null,
    subject: email.subject ?? null,
    from: toAddresses(email.from)[0] ?? null,
    sender: toAddresses(email.sender)[0] ?? null,
    replyTo: toAddresses(email.replyTo),
    to: toAddresses(email.to),
    cc: toAddresses(email.cc),
    bcc: toAddresses(email.bcc),
    date: toIsoDate(firstHeader(email, "date") ?? undefined),
    inReplyTo: email.inReplyTo ?? null,
    references: parseReferences(email.references),
  };
}

function toBytes(raw: Uint8Array | ArrayBuffer): Uint8Array {
  if (raw instanceof Uint8Array) return raw;
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  // Realms differ between jsdom, workers and Node: accept anything shaped like the two.
  if (ArrayBuffer.isView(raw))
    return new Uint8Array(
      (raw as ArrayBufferView).buffer,
      (raw as ArrayBufferView).byteOffset,
      (raw as ArrayBufferView).byteLength,
    );
  if (Object.prototype.toString.call(raw) === "[object ArrayBuffer]")
    return new Uint8Array(raw as ArrayBuffer);
  throw new TypeError("parseMessage expects a Uint8Array or an ArrayBuffer");
}

async function runParser(
  bytes: Uint8Array,
  limits: MimeLimits,
): Promise<{ email: Email; root: PostalNode | null }> {
  const parser = new PostalMime({
    // Every message/rfc822 part stays an attachment that opens on demand, so a message
    // nesting copies of itself costs nothing until the user opens one (enclosed-endless).
    forceRfc822Attachments: true,
    attachmentEncoding: "arraybuffer",
    maxHeadersSize: limits.maxTotalHeaderBytes,
    // Deeper than our own walk limit, so that a deep message still parses and only the
    // parts past maxDepth are skipped, with a note.
    maxNestingDepth: Math.max(limits.maxDepth * 4, 80),
    maxRfc822NestingDepth: 0,
  });
  const email = await parser.parse(bytes);
  const root: unknown = (parser as unknown as { root?: unknown }).root;
  return { email, root: isPostalNode(root) ? root : null };
}

function classifyError(error: unknown, limits: MimeLimits): MimeNote {
  const message = error instanceof Error ? error.message : String(error);
  if (/nesting depth/i.test(message)) {
    return {
      code: "TOO_DEEP",
      detail: `Parts are nested too deeply to read (over ${Math.max(limits.maxDepth * 4, 80)} levels); only the headers are shown.`,
    };
  }
  if (/header size/i.test(message)) {
    return {
      code: "HEADER_TOO_LARGE",
      detail: `The headers of all parts exceed ${limits.maxTotalHeaderBytes} bytes; only the top-level headers are shown.`,
    };
  }
  return {
    code: "MALFORMED",
    detail: `The message could not be parsed (${message.slice(0, 200)}); only the headers are shown.`,
  };
}

/** The top header block only, as a message of its own. */
function headersOnly(bytes: Uint8Array, limits: MimeLimits): Uint8Array {
  const end = findHeaderEnd(bytes.subarray(0, limits.maxHeaderBytes * 2));
  return bytes.subarray(0, end < 0 ? Math.min(bytes.length, limits.maxHeaderBytes) : end);
}

async function salvageHeaders(bytes: Uint8Array, limits: MimeLimits, notes: NoteList): Promise<MessageView> {
  try {
    const prepared = prepareRaw(headersOnly(bytes, limits), limits);
    for (const note of prepared.notes) notes.add(note);
    const { email } = await runParser(prepared.bytes, {
      ...limits,
      maxTotalHeaderBytes: limits.maxHeaderBytes * 2,
    });
    return headerView(email, notes);
  } catch (error) {
    notes.add({
      code: "MALFORMED",
      detail: `Not even the headers could be read (${error instanceof Error ? error.message.slice(0, 200) : "unknown error"}).`,
    });
    return emptyView(notes.items);
  }
}

/**
 * Parses a raw message into the view the UI shows. Never rejects for bad input: limits,
 * unknown charsets and broken structure become notes on the returned view. It throws only
 * for programmer errors (a wrong argument type or a non-positive limit).
 */
export async function parseMessage(
  raw: Uint8Array | ArrayBuffer,
  limits?: Partial<MimeLimits>,
): Promise<MessageView> {
  const resolved = resolveLimits(limits);
  const input = toBytes(raw);
  const notes = new NoteList();
  if (input.length > resolved.maxRawBytes) {
    notes.add({
      code: "TOO_LARGE",
      detail: `The message is ${input.length} bytes, over the ${resolved.maxRawBytes}-byte limit; only its headers were read.`,
    });
    return salvageHeaders(input, resolved, notes);
  }
  let email: Email;
  let root: PostalNode | null;
  try {
    const prepared = prepareRaw(input, resolved);
    for (const note of prepared.notes) notes.add(note);
    ({ email, root } = await runParser(prepared.bytes, resolved));
  } catch (error) {
    notes.add(classifyError(error, resolved));
    return salvageHeaders(input, resolved, notes);
  }
  try {
    const view = headerView(email, notes);
    if (!root) {
      // postal-mime changed shape: use its public result rather than fail.
      return {
        ...view,
        text: email.text === undefined ? null : cut(email.text, resolved.maxBodyChars, "text", notes),
        html: email.html === undefined ? null : cut(email.html, resolved.maxBodyChars, "HTML", notes),
        notes: notes.items,
      };
    }
    const state: WalkState = { limits: resolved, parts: 0, attachments: [], notes };
    const pieces: Piece[] = [];
    walk(root, "", 0, state, pieces);
    const text = renderText(pieces);
    const html = hasKind(pieces, "html") ? renderHtml(pieces) : "";
    return {
      ...view,
      text: text === "" && !hasKind(pieces, "text") ? null : cut(text, resolved.maxBodyChars, "text", notes),
      html: html === "" ? null : cut(html, resolved.maxBodyChars, "HTML", notes),
      attachments: state.attachments,
      notes: notes.items,
    };
  } catch (error) {
    notes.add(classifyError(error, resolved));
    return salvageHeaders(input, resolved, notes);
  }
}

/** A decoded leaf part of a raw message. */
export interface ExtractedPart {
  bytes: Uint8Array;
  mimeType: string;
  filename: string | null;
}

/**
 * The decoded content of one part, by the `id` parseMessage gave it (for example to
 * download an attachment of a POP3 message stored in the browser). Null when the id
 * names no leaf part or the message cannot be parsed.
 */
export async function extractPart(
  raw: Uint8Array | ArrayBuffer,
  partId: string,
  limits?: Partial<MimeLimits>,
): Promise<ExtractedPart | null> {
  const resolved = resolveLimits(limits);
  const input = toBytes(raw);
  if (input.length > resolved.maxRawBytes) return null;
  try {
    const { root } = await runParser(prepareRaw(input, resolved).bytes, resolved);
    if (!root) return null;
    const state: WalkState = {
      limits: resolved,
      parts: 0,
      attachments: [],
      notes: new NoteList(),
      target: partId,
    };
    walk(root, "", 0, state, []);
    const found = state.found;
    if (!found) return null;
    return {
      bytes: new Uint8Array(found.content ?? new ArrayBuffer(0)),
      mimeType: found.contentType.parsed.value || "application/octet-stream",
      filename: partFilename(found),
    };
  } catch {
    return null;
  }
}

/**
 * Opens an attached message (an attachment with `isMessage`) as a view of its own.
 * Null when `partId` names no part; a part that is not a valid message still yields a view
 * with notes, as parseMessage does.
 */
export async function parseAttachedMessage(
  raw: Uint8Array | ArrayBuffer,
  partId: string,
  limits?: Partial<MimeLimits>,
): Promise<MessageView | null> {
  const part = await extractPart(raw, partId, limits);
  if (!part) return null;
  return parseMessage(part.bytes, limits);
}
