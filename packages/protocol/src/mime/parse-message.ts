// Raw RFC 5322 bytes -> MessageView. postal-mime does the framing (RFC 2046 boundaries,
// RFC 2045 transfer encodings, RFC 2231 parameters, RFC 2047 encoded words; postal-tree.ts);
// this module walks the part tree itself (part-walker.ts) so that it can number parts the
// IMAP way, decode every charset (UTF-7 included), keep message/rfc822 parts as openable
// attachments, apply the MimeLimits, and say what it could not do instead of throwing
// (notes.ts).

import type { Email } from "postal-mime";
import { resolveLimits } from "./limits";
import type { MimeLimits } from "./limits";
import { emptyView, headerView } from "./header-view";
import { classifyError, cut, NoteList } from "./notes";
import { partFilename, walk } from "./part-walker";
import type { Piece, WalkState } from "./part-walker";
import { runParser } from "./postal-tree";
import type { PostalNode } from "./postal-tree";
import { findHeaderEnd, prepareRaw } from "./raw-headers";
import { hasKind, renderHtml, renderText } from "./render-body";
import type { MessageView } from "./view";

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
