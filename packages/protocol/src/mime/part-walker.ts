import { decodeWords } from "postal-mime";
import { decodeTextPart } from "./charset";
import type { MimeLimits } from "./limits";
import type { NoteList } from "./notes";
import type { PostalNode } from "./postal-tree";
import type { AttachmentView } from "./view";

// The walk over the part tree: it numbers parts the IMAP way (RFC 3501 section 6.4.5), keeps
// text and HTML leaves in order with multipart/alternative choices intact, turns every
// other leaf (message/rfc822 included) into an attachment, and stops at the part limits
// with a note.

export type Piece =
  { kind: "text"; value: string } | { kind: "html"; value: string } | { kind: "alt"; choices: Piece[][] };

export interface WalkState {
  limits: MimeLimits;
  parts: number;
  attachments: AttachmentView[];
  notes: NoteList;
  /** When set, the walk looks for this part and stops there. */
  target?: string;
  found?: PostalNode;
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

export function partFilename(node: PostalNode): string | null {
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

export function walk(node: PostalNode, id: string, depth: number, state: WalkState, out: Piece[]): void {
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
