import PostalMime from "postal-mime";
import type { Email } from "postal-mime";
import type { MimeLimits } from "./limits";

// The glue to postal-mime: its part tree as this module reads it, and the parser run with the
// MimeLimits. postal-mime does the framing (RFC 2046 boundaries, RFC 2045 transfer
// encodings, RFC 2231 parameters, RFC 2047 encoded words).

/**
 * The part of postal-mime's internal node that this module reads. postal-mime 4.0.0 marks
 * `root` @internal (it is stripped from the .d.ts), so the shape is checked at run time and
 * the parser falls back to postal-mime's public result if a future version changes it.
 */
export interface PostalNode {
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

export function isPostalNode(value: unknown): value is PostalNode {
  if (typeof value !== "object" || value === null) return false;
  const node = value as Partial<PostalNode>;
  return (
    Array.isArray(node.childNodes) &&
    typeof node.contentType?.parsed?.value === "string" &&
    typeof node.contentType.parsed.params === "object" &&
    typeof node.contentDisposition?.parsed?.value === "string"
  );
}

export async function runParser(
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
