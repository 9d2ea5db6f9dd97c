// Choosing what to fetch from an IMAP BODYSTRUCTURE (RFC 3501 7.4.2) so that only the parts
// shown are downloaded. Pure: the gateway passes imapflow's
// `MessageStructureObject`, which this schema accepts as it is.

import { decodeWords } from "postal-mime";
import type { BodyStructureNode } from "../schemas/body-structure";
import type { MimeNote } from "../schemas/message-view";

export { bodyStructureSchema } from "../schemas/body-structure";
export type { BodyStructureNode } from "../schemas/body-structure";

/** A text part to fetch and decode with decodeTextPart(bytes, charset). */
export interface DisplayTextPart {
  part: string;
  /** The declared charset, null when none (decodeTextPart then guesses, with a note). */
  charset: string | null;
  /** Content-Transfer-Encoding, for the fetcher (imapflow's download decodes it). */
  encoding: string | null;
  size: number | null;
}

/** An inline image a `cid:` URL in the HTML refers to (RFC 2392). */
export interface InlineImagePart {
  part: string;
  /** Without angle brackets. */
  contentId: string;
  mimeType: string;
  size: number | null;
}

export interface AttachmentPart {
  part: string;
  filename: string | null;
  mimeType: string;
  size: number | null;
  contentId: string | null;
  disposition: "attachment" | "inline";
  /** message/rfc822: fetch it and open it with parseMessage. */
  isMessage: boolean;
}

export interface DisplayParts {
  html?: DisplayTextPart;
  text?: DisplayTextPart;
  inlineImages: InlineImagePart[];
  attachments: AttachmentPart[];
  /** Why the message is shown differently from how its structure reads (a broken multipart). */
  notes: MimeNote[];
}

/** Bounds on the walk, matching MimeLimits' maxParts and maxDepth. */
const MAX_NODES = 500;
const MAX_DEPTH = 20;

interface Walk {
  nodes: number;
  result: DisplayParts;
}

function partNumber(node: BodyStructureNode, computed: string): string {
  return node.part !== undefined && /^\d+(?:\.\d+)*$/.test(node.part) ? node.part : computed;
}

function childNumber(parent: string, index: number): string {
  return parent === "" ? String(index + 1) : `${parent}.${index + 1}`;
}

function mediaType(node: BodyStructureNode): string {
  const type = node.type.trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type) ? type : "application/octet-stream";
}

function lowerKeys(params: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params ?? {})) out[key.toLowerCase()] = value;
  return out;
}

function filenameOf(node: BodyStructureNode): string | null {
  const name = lowerKeys(node.dispositionParameters)["filename"] ?? lowerKeys(node.parameters)["name"];
  if (name === undefined || name.trim() === "") return null;
  return name.includes("=?") ? decodeWords(name).trim() : name.trim();
}

function isMultipart(node: BodyStructureNode): boolean {
  return (
    mediaType(node).startsWith("multipart/") ||
    (node.childNodes !== undefined && node.childNodes.length > 0 && !mediaType(node).startsWith("message/"))
  );
}

/**
 * A multipart that cannot be split: RFC 2046 §5.1.1 makes the boundary parameter mandatory,
 * and without it there are no parts to find. Dovecot still reports such a multipart with one
 * invented child, an empty text/plain (size 0); the text is in the multipart's own body.
 * Only that exact shape is taken, since a server may leave BODYSTRUCTURE's extension data
 * (and with it every parameter) out of a well-formed multipart.
 */
function isUnsplitMultipart(node: BodyStructureNode): boolean {
  if (!mediaType(node).startsWith("multipart/") || lowerKeys(node.parameters)["boundary"]) return false;
  const children = node.childNodes ?? [];
  const only = children[0];
  return (
    children.length === 1 &&
    only !== undefined &&
    mediaType(only) === "text/plain" &&
    only.size === 0 &&
    (only.childNodes ?? []).length === 0
  );
}

function isInlineText(node: BodyStructureNode, type: "text/html" | "text/plain"): boolean {
  return mediaType(node) === type && node.disposition?.toLowerCase() !== "attachment";
}

/** True when this subtree would yield a body of the given type. */
function offers(node: BodyStructureNode, type: "text/html" | "text/plain", depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (isUnsplitMultipart(node)) return type === "text/plain";
  if (isMultipart(node)) return (node.childNodes ?? []).some((child) => offers(child, type, depth + 1));
  return isInlineText(node, type);
}

function textPart(node: BodyStructureNode, part: string): DisplayTextPart {
  const charset = lowerKeys(node.parameters)["charset"];
  return {
    part,
    charset: charset === undefined || charset === "" ? null : charset,
    encoding: node.encoding ?? null,
    size: node.size ?? null,
  };
}

function addLeaf(node: BodyStructureNode, part: string, walk: Walk): void {
  const type = mediaType(node);
  const result = walk.result;
  if (isInlineText(node, "text/html") && !result.html) {
    result.html = textPart(node, part);
    return;
  }
  if (isInlineText(node, "text/plain") && !result.text) {
    result.text = textPart(node, part);
    return;
  }
  const contentId = node.id
    ? node.id
        .trim()
        .replace(/^<+|>+$/g, "")
        .trim() || null
    : null;
  const disposition = node.disposition?.toLowerCase();
  if (contentId !== null && type.startsWith("image/") && disposition !== "attachment") {
    result.inlineImages.push({ part, contentId, mimeType: type, size: node.size ?? null });
    return;
  }
  result.attachments.push({
    part,
    filename: filenameOf(node),
    mimeType: type,
    size: node.size ?? null,
    contentId,
    disposition: disposition === "inline" ? "inline" : "attachment",
    isMessage: type === "message/rfc822" || type === "message/global",
  });
}

function visit(node: BodyStructureNode, computed: string, depth: number, walk: Walk): void {
  walk.nodes++;
  if (walk.nodes > MAX_NODES || depth > MAX_DEPTH) return;
  // The root of a single-part message has no number; IMAP fetches its body as BODY[1].
  const part = partNumber(node, computed === "" && !isMultipart(node) ? "1" : computed);
  if (!isMultipart(node)) {
    addLeaf(node, part, walk);
    return;
  }
  if (isUnsplitMultipart(node)) {
    // Shown as plain text, as parseMessage shows it on the POP3 path, with the same note. The
    // root's body is IMAP's BODY[TEXT]; a nested multipart's body is BODY[n] (RFC 9051 §6.4.5).
    const type = mediaType(node);
    if (!walk.result.text) walk.result.text = textPart(node, computed === "" ? "TEXT" : part);
    walk.result.notes.push({
      code: "MALFORMED",
      detail: `A ${type} part has no parts (it has no boundary parameter); its body is shown as plain text.`,
    });
    return;
  }
  const children = node.childNodes ?? [];
  if (mediaType(node) === "multipart/alternative") {
    // RFC 2046 5.1.4: the last alternative is the preferred one. Take the last that
    // offers HTML for the HTML body, and the last that offers plain text for the text.
    let htmlIndex = -1;
    let textIndex = -1;
    children.forEach((child, index) => {
      if (offers(child, "text/html", depth + 1)) htmlIndex = index;
      if (offers(child, "text/plain", depth + 1)) textIndex = index;
    });
    children.forEach((child, index) => {
      const number = childNumber(part, index);
      if (index === htmlIndex || (index === textIndex && !walk.result.text)) {
        visit(child, number, depth + 1, walk);
      } else if (!offers(child, "text/html", depth + 1) && !offers(child, "text/plain", depth + 1)) {
        // Other representations (text/calendar invitations, text/enriched) stay reachable.
        visit(child, number, depth + 1, walk);
      } else {
        walk.nodes++;
      }
    });
    return;
  }
  children.forEach((child, index) => visit(child, childNumber(part, index), depth + 1, walk));
}

/**
 * Decides which parts of a message to fetch and show: the preferred HTML and plain-text
 * bodies (multipart/alternative honoured), the inline `cid:` images, and everything else
 * as attachments (an attached message/rfc822 is one attachment, opened on demand).
 * Part numbers missing from the structure are computed the IMAP way. A multipart without a
 * boundary is shown as plain text from its own body, with a MALFORMED note.
 */
export function pickDisplayParts(structure: BodyStructureNode): DisplayParts {
  const walk: Walk = { nodes: 0, result: { inlineImages: [], attachments: [], notes: [] } };
  visit(structure, "", 0, walk);
  return walk.result;
}
