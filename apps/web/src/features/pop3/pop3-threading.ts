import { normalizeMessageId, parseMessageIdList } from "@pismo/protocol/threads";

/** The most of a message read for its header block: headers longer than this are malformed. */
const HEADER_LIMIT = 256 * 1024;

/**
 * Message-ID, In-Reply-To and References from a stored message's header block, synchronously
 * (a Dexie upgrade cannot wait on the MIME parser). Unfolded per RFC 5322 §2.2.3; ids are
 * ASCII, so reading the bytes as Latin-1 loses nothing that matters here.
 */
export function threadingHeaders(raw: Uint8Array): {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
} {
  const head = raw.subarray(0, Math.min(raw.length, HEADER_LIMIT));
  let text = "";
  for (let i = 0; i < head.length; i += 8192)
    text += String.fromCharCode(...head.subarray(i, Math.min(head.length, i + 8192)));
  const end = text.search(/\r?\n\r?\n/u);
  const block = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/gu, " ");
  const header = (name: string): string | null => {
    const prefix = `${name}:`;
    for (const line of block.split(/\r?\n/u))
      if (line.toLowerCase().startsWith(prefix)) return line.slice(prefix.length).trim();
    return null;
  };
  return {
    messageId: normalizeMessageId(header("message-id")),
    inReplyTo: parseMessageIdList(header("in-reply-to"))[0] ?? null,
    references: parseMessageIdList(header("references")),
  };
}
