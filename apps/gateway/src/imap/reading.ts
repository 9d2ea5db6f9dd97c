import type { FetchMessageObject, ImapFlow } from "imapflow";
import type { Readable } from "node:stream";
import { MailError } from "@pismo/protocol/errors";
import {
  decodeTextPart,
  pickDisplayParts,
  type BodyStructureNode,
  type DisplayParts,
} from "@pismo/protocol/mime";
import type { MessageDetail } from "@pismo/protocol/schemas";
import { fieldValues, firstFieldValue, readHeaderFields, unsubscribeOf } from "@pismo/protocol/trust";
import { answeringOfDraftInfo } from "@pismo/protocol/compose";
import { MDN_SENT_KEYWORD, RECEIPT_HEADER_FIELDS, receiptRequestOf } from "@pismo/protocol/receipts";
import type { HeaderField, SenderVerdict } from "@pismo/protocol/trust";
import { toMailError } from "../mail-errors";
import { TRUST_HEADER_FIELDS, type SenderChecks } from "../trust/sender-check";
import type { ImapContext } from "./context";
import type { ShownParts } from "./shown-parts";
import { SUMMARY_FETCH_QUERY, dateOf, toAddress, toAddresses } from "./to-domain";

/** Body text shown at most; longer texts are cut with a note (the rest stays on the server). */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** One part, streamed, as the attachment route and forwarding need it. */
export interface PartStream {
  stream: Readable;
  mimeType: string;
  filename: string | null;
  size: number | null;
}

/** How an opened message's sender is judged: the gateway's checks. */
export interface ReadingTrust {
  checks: SenderChecks;
}

/**
 * Opens a message: its structure and the one text part shown, nothing else (attachments are
 * fetched only when asked for). Unless peeking, it is marked \Seen on the server, so read on
 * one device means read on every device. The header fields the sender checks read come in
 * the same FETCH, so judging the sender costs no round trip.
 */
export async function openMessage(
  ctx: ImapContext,
  folder: string,
  uid: number,
  opts: { peek: boolean; uidValidity?: string; trust?: ReadingTrust; shownParts?: ShownParts },
): Promise<MessageDetail> {
  return ctx.inFolder(
    folder,
    async (client) => {
      // Where the list row told which part is shown, that part comes in the same FETCH, decoded
      // by the server (BINARY, RFC 3516): one command for the whole open.
      const hint = client.capabilities.has("BINARY") ? opts.shownParts?.section(folder, uid) : undefined;
      const msg = await fetchSummary(client, uid, opts.trust !== undefined, hint).catch((error: unknown) => {
        // A part the server cannot decode (NO [UNKNOWN-CTE]) fails the whole FETCH: ask again
        // without it, the way a message that was not listed is opened.
        if (hint === undefined) throw error;
        return fetchSummary(client, uid, opts.trust !== undefined, undefined);
      });
      if (!msg) throw new MailError("NOT_FOUND", `No message ${uid} in ${folder}`);
      const headers = msg.headers ? readHeaderFields(new Uint8Array(msg.headers)) : [];
      const structure = (msg.bodyStructure ?? { type: "text/plain" }) as BodyStructureNode;
      const parts = pickDisplayParts(structure);
      const shown = parts.html ?? parts.text;
      let body: MessageDetail["body"] = { kind: "none", content: "", charsetNote: null, truncated: false };
      if (shown) {
        const fetched =
          shown.part === hint && msg.binaryParts?.has(shown.part)
            ? msg.bodyParts?.get(shown.part)
            : undefined;
        const { data, charset, truncated } = fetched
          ? {
              data: new Uint8Array(fetched),
              charset: shown.charset,
              truncated: fetched.length >= MAX_BODY_BYTES,
            }
          : await downloadShown(client, uid, shown.part, structure);
        const decoded = decodeTextPart(data, charset ?? shown.charset ?? undefined);
        body = {
          kind: shown === parts.html ? "html" : "text",
          content: decoded.text,
          charsetNote: decoded.note ?? null,
          truncated: truncated || (shown.size !== null && shown.size > MAX_BODY_BYTES),
        };
      }
      let seen = msg.flags?.has("\\Seen") ?? false;
      if (!opts.peek && !seen) {
        await ctx.must("mark the message read", () =>
          client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true }),
        );
        seen = true;
      }
      const detail = toDetail(folder, uid, msg, headers, parts, body, seen);
      if (opts.trust) detail.sender = opts.trust.checks.assess(headers, msg.size ?? 0);
      return detail;
    },
    { uidValidity: opts.uidValidity },
  );
}

/** The header fields an open reads: the References, List-Unsubscribe, a draft's X-Draft-Info
 * (the message it answers), a read-receipt request; with the sender's check, its fields too. */
const OPEN_HEADERS = ["references", "list-unsubscribe", "x-draft-info", ...RECEIPT_HEADER_FIELDS];
const OPEN_HEADERS_CHECKED = [...new Set([...OPEN_HEADERS, ...TRUST_HEADER_FIELDS])];

/** The row's summary, its structure and the header fields the reading needs (the References,
 * and those the sender checks read); with `part`, that part's bytes too (BINARY.PEEK). */
function fetchSummary(client: ImapFlow, uid: number, trust: boolean, part: string | null | undefined) {
  return client.fetchOne(
    String(uid),
    {
      ...SUMMARY_FETCH_QUERY,
      headers: trust ? OPEN_HEADERS_CHECKED : OPEN_HEADERS,
      ...(part ? { bodyParts: [{ key: part, start: 0, maxLength: MAX_BODY_BYTES }] } : {}),
    },
    { uid: true, ...(part ? { binary: true } : {}) },
  );
}

/** Fetches exactly the one part shown, with its transfer encoding undone; BODY.PEEK, so the
 * fetch itself sets no flag. */
async function downloadShown(
  client: ImapFlow,
  uid: number,
  part: string,
  structure: BodyStructureNode,
): Promise<{ data: Uint8Array; charset: string | null | undefined; truncated: boolean }> {
  // A message that is not multipart has one part, its body: asked for as TEXT, imapflow
  // fetches it with its header in one command (asked for as "1", it first fetches the
  // structure again, a round trip, to tell a single part from a multipart's first).
  const section = part === "1" && !structure.childNodes?.length ? "TEXT" : part;
  const { meta, content } = await client.download(String(uid), section, {
    uid: true,
    maxBytes: MAX_BODY_BYTES,
  });
  const bytes = await readAll(content as Readable, MAX_BODY_BYTES);
  return { data: bytes.data, charset: meta?.charset, truncated: bytes.truncated };
}

/**
 * Pismo's own check of the sender, for a message whose server wrote no verdict: the whole
 * message is fetched (BODY.PEEK[], so no flag changes) under the folder lock, the signature
 * checked after the lock is released, so slow DNS never holds up the mailbox. Returns the
 * server's verdict when there is one, null when no check is possible.
 */
export async function verifySender(
  ctx: ImapContext,
  folder: string,
  uid: number,
  trust: ReadingTrust,
): Promise<SenderVerdict | null> {
  const found = await ctx.inFolder(folder, async (client) => {
    const meta = await client.fetchOne(
      String(uid),
      { uid: true, size: true, headers: [...TRUST_HEADER_FIELDS] },
      { uid: true },
    );
    if (!meta) throw new MailError("NOT_FOUND", `No message ${uid} in ${folder}`);
    const headers = meta.headers ? readHeaderFields(new Uint8Array(meta.headers)) : [];
    const assessed = trust.checks.assess(headers, meta.size ?? 0);
    if (assessed.verdict !== null || !assessed.selfCheck) return { verdict: assessed.verdict, raw: null };
    const full = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
    return { verdict: null, raw: full ? (full.source ?? null) : null };
  });
  if (found.verdict !== null || found.raw === null) return found.verdict;
  return trust.checks.selfCheck(found.raw);
}

function toDetail(
  folder: string,
  uid: number,
  msg: FetchMessageObject,
  headers: readonly HeaderField[],
  parts: DisplayParts,
  body: MessageDetail["body"],
  seen: boolean,
): MessageDetail {
  return {
    folder,
    uid,
    messageId: msg.envelope?.messageId ?? null,
    subject: msg.envelope?.subject ?? "",
    from: toAddress(msg.envelope?.from?.[0]),
    replyTo: toAddresses(msg.envelope?.replyTo),
    to: toAddresses(msg.envelope?.to),
    cc: toAddresses(msg.envelope?.cc),
    bcc: toAddresses(msg.envelope?.bcc),
    date: dateOf(msg.envelope?.date) ?? dateOf(msg.internalDate),
    inReplyTo: msg.envelope?.inReplyTo ?? null,
    // The References header (not in ENVELOPE), fetched in the same command: ids with their <>.
    references: fieldValues(headers, "references").flatMap((value) => value.match(/<[^<>\s]+>/g) ?? []),
    size: msg.size ?? 0,
    seen,
    flagged: msg.flags?.has("\\Flagged") ?? false,
    body,
    attachments: [
      ...parts.attachments.map((a) => ({
        part: a.part,
        filename: a.filename ?? "",
        mimeType: a.mimeType,
        size: a.size ?? 0,
        contentId: a.contentId,
        inline: a.disposition === "inline",
        isMessage: a.isMessage,
      })),
      ...parts.inlineImages.map((i) => ({
        part: i.part,
        filename: "",
        mimeType: i.mimeType,
        size: i.size ?? 0,
        contentId: i.contentId,
        inline: true,
        isMessage: false,
      })),
    ],
    notes: parts.notes,
    unsubscribe: unsubscribeOf(headers),
    receipt: receiptOf(headers, msg.flags),
    answering: answeringOfDraftInfo(firstFieldValue(headers, "x-draft-info")),
  };
}

/** The read receipt the message asks for, and whether it was answered ($MDNSent). */
function receiptOf(
  headers: readonly HeaderField[],
  flags: Set<string> | undefined,
): MessageDetail["receipt"] {
  const request = receiptRequestOf(headers);
  if (!request) return null;
  const answered = [...(flags ?? [])].some((f) => f.toLowerCase() === MDN_SENT_KEYWORD.toLowerCase());
  return { ...request, answered };
}

/** Streams one part (an attachment, an inline image) with its transfer encoding undone and
 * its bytes untouched. The caller must consume or destroy the stream; the folder lock is
 * held until then. */
export async function downloadPart(
  ctx: ImapContext,
  folder: string,
  uid: number,
  part: string,
): Promise<PartStream> {
  const client = await ctx.connection();
  let lock: { release(): void } | null = null;
  try {
    lock = await client.getMailboxLock(folder);
    const { meta, content } = await client.download(String(uid), part, {
      uid: true,
      decodeText: false,
    } as never);
    if (!content) throw new MailError("NOT_FOUND", "No such part");
    const held = lock;
    const release = () => {
      held.release();
      ctx.returnToWatched(client, folder);
    };
    content.once("close", release);
    content.once("end", release);
    lock = null;
    return {
      stream: content as Readable,
      mimeType: meta?.contentType ?? "application/octet-stream",
      filename: meta?.filename ?? null,
      size: meta?.expectedSize ?? null,
    };
  } catch (error) {
    lock?.release();
    throw toMailError(error);
  }
}

async function readAll(stream: Readable, max: number): Promise<{ data: Uint8Array; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    if (size + buf.length > max) {
      chunks.push(buf.subarray(0, max - size));
      size = max;
      truncated = true;
      stream.destroy();
      break;
    }
    chunks.push(buf);
    size += buf.length;
  }
  return { data: new Uint8Array(Buffer.concat(chunks)), truncated };
}
