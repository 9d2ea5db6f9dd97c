import { isIP } from "node:net";
import type { Readable } from "node:stream";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer/index.js";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import MimeNode from "nodemailer/lib/mime-node/index.js";
import SMTPConnection from "nodemailer/lib/smtp-connection/index.js";
import { MailError } from "@pismo/protocol/errors";
import { isContentId, type Address, type ServerEndpoint } from "@pismo/protocol/schemas";
import { DRAFT_INFO_FIELD, emailAddressPattern } from "@pismo/protocol/compose";
import { hasHeaderControl, isMessageId } from "@pismo/protocol/mime";
import type { ReceiptReport } from "@pismo/protocol/receipts";
import { toSmtpError } from "./smtp-errors";

/**
 * Sending through SMTP submission (RFC 6409) with the user's own credentials. The message is
 * built once (nodemailer's MailComposer) so the very bytes that were sent can be appended to
 * the IMAP Sent folder; nodemailer's transport only carries them.
 */

export interface OutgoingAttachment {
  filename: string;
  /** A bare MIME type, e.g. "application/pdf" (no parameters). */
  contentType: string;
  content: Buffer | NodeJS.ReadableStream;
  /** An image the HTML shows by `cid:`: sent inline beside it, under this Content-ID. */
  contentId?: string;
}

export interface OutgoingMessage {
  /** The signed-in account; the caller makes sure of that. */
  from: Address;
  to: Address[];
  cc?: Address[];
  /** In the envelope only: never written into the message. */
  bcc?: Address[];
  /** Reply-To (RFC 5322 §3.6.2): the identity's address for answers, when it has one. */
  replyTo?: Address[];
  subject: string;
  text: string;
  /** When set, sent as multipart/alternative with `text` as the plain part. */
  html?: string;
  /** Message-ID of the message answered, with or without the angle brackets. */
  inReplyTo?: string;
  references?: string[];
  attachments?: OutgoingAttachment[];
  /** Asks for a read receipt to `from` (Disposition-Notification-To, RFC 8098 §2.1). */
  requestReceipt?: boolean;
  /** A saved draft's X-Draft-Info (draft-info.ts): the message it answers. Drafts only. */
  draftInfo?: string;
}

export interface SmtpAuth {
  user: string;
  pass: string;
}

export interface SendOptions {
  /** Verify the server's certificate. @default true */
  tlsVerify?: boolean;
  /** Refuse before connecting when the message is larger (the server's EHLO SIZE, see smtpSizeLimit). */
  sizeLimit?: number | null;
  /** Connect, greeting and idle-socket timeouts. @default 30_000 */
  timeoutMs?: number;
  /** Fixed Date header (tests). @default now */
  date?: Date;
}

export interface SendResult {
  /** With angle brackets, as in the Message-ID header. */
  messageId: string;
  /** The message exactly as sent (no Bcc header), ready to APPEND to \Sent. */
  raw: Buffer;
  /** Envelope recipients the server accepted. */
  accepted: string[];
  /** Recipients the server refused while accepting others; the message went to the rest. */
  rejected: string[];
}

export interface ComposedMessage {
  messageId: string;
  raw: Buffer;
  envelope: { from: string; to: string[] };
  /** The sender's own copy (Sent): the bytes sent, with a Bcc field naming the blind copies
   * (RFC 5322 §3.6.3 allows the sender's copy to keep it), as mail programs keep it. */
  sentCopy: Buffer;
  /** Where each of the message's attachments is, in IMAP's part numbering ("2", "1.2.2" for a
   * picture beside the HTML), in the order given: a saved draft's files are read from there. */
  attachmentParts: string[];
}

const DEFAULT_TIMEOUT_MS = 30_000;

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

function crlf(text: string): string {
  return text.replace(/\r\n|\r|\n/g, "\r\n");
}

function badInput(message: string): MailError {
  return new MailError("BAD_INPUT", message);
}

function checkText(field: string, value: string): void {
  if (hasHeaderControl(value)) throw badInput(`${field} must not contain line breaks or control characters`);
}

function checkAddress(field: string, a: Address): void {
  checkText(`${field} name`, a.name);
  checkText(`${field} address`, a.address);
  if (!emailAddressPattern.test(a.address))
    throw badInput(`${field}: "${a.address}" is not an e-mail address`);
}

function messageId(field: string, value: string): string {
  checkText(field, value);
  // Taken with or without its angle brackets; sent with them.
  const id = `<${value.trim().replace(/^</, "").replace(/>$/, "")}>`;
  if (!isMessageId(id)) throw badInput(`${field}: "${value}" is not a Message-ID`);
  return id;
}

/**
 * Refuses anything that could inject a header or a recipient. nodemailer encodes names and
 * subjects, but a CR/LF must never reach it: the user gets BAD_INPUT, not a silently changed message.
 * A message to send needs a recipient; one kept (a draft, a template) may have none yet.
 */
export function validateOutgoing(message: OutgoingMessage, opts: { kept?: boolean } = {}): void {
  checkAddress("From", message.from);
  const groups: Array<[string, Address[] | undefined]> = [
    ["To", message.to],
    ["Cc", message.cc],
    ["Bcc", message.bcc],
  ];
  for (const a of message.replyTo ?? []) checkAddress("Reply-To", a);
  for (const [field, list] of groups) for (const a of list ?? []) checkAddress(field, a);
  if (!opts.kept && groups.every(([, list]) => (list ?? []).length === 0)) throw badInput("No recipients");
  checkText("Subject", message.subject);
  if (message.inReplyTo !== undefined) messageId("In-Reply-To", message.inReplyTo);
  for (const ref of message.references ?? []) messageId("References", ref);
  for (const att of message.attachments ?? []) {
    checkText("Attachment name", att.filename);
    if (att.filename.trim() === "") throw badInput("Attachment name is empty");
    if (!MIME_TYPE.test(att.contentType))
      throw badInput(`Attachment type "${att.contentType}" is not a MIME type`);
    if (att.contentId !== undefined && !isContentId(att.contentId))
      throw badInput(`Content-ID of "${att.filename}" is not one`);
  }
}

/** Builds the RFC 5322 message. Bcc goes into the envelope only. */
export async function composeMessage(
  message: OutgoingMessage,
  opts: { date?: Date; keepBcc?: boolean } = {},
): Promise<ComposedMessage> {
  // keepBcc: the message is kept (Drafts, Templates), not sent.
  validateOutgoing(message, { kept: opts.keepBcc === true });
  const mail: Mail.Options = {
    from: { name: message.from.name, address: message.from.address },
    to: message.to,
    cc: message.cc ?? [],
    bcc: message.bcc ?? [],
    subject: message.subject,
    // nodemailer writes 7bit/8bit bodies as given; SMTP needs CRLF (RFC 5321 §2.3.8) and
    // servers refuse bare LF (SMTP smuggling defences), and the Sent copy must match what was sent.
    // A message of neither text nor HTML still has an (empty) text part: nodemailer leaves an
    // empty text out, and a message of one file would then be that file alone, not
    // multipart/mixed (a message/rfc822 file alone went out empty). With HTML the HTML is that
    // first part.
    text: message.text ? crlf(message.text) : message.html ? "" : { content: Buffer.alloc(0) },
    // Attachments come from the user as bytes; nodemailer must never read a file or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    // MailComposer writes filename* per RFC 2231 for non-ASCII names (and name= per RFC 2047
    // for older readers).
    // One with a Content-ID is an image of the HTML: nodemailer puts it beside the HTML in a
    // multipart/related.
    attachments: (message.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content as Buffer | Readable,
      ...(a.contentId !== undefined && message.html !== undefined
        ? { cid: a.contentId, contentDisposition: "inline" as const }
        : { contentDisposition: "attachment" as const }),
    })),
  };
  if (message.html !== undefined) mail.html = crlf(message.html);
  if (message.replyTo?.length) mail.replyTo = message.replyTo;
  if (message.inReplyTo !== undefined) mail.inReplyTo = messageId("In-Reply-To", message.inReplyTo);
  if (message.references?.length) mail.references = message.references.map((r) => messageId("References", r));
  if (opts.date) mail.date = opts.date;
  const headers: Record<string, string> = {};
  // The address alone: it is the From's, already checked.
  if (message.requestReceipt) headers["Disposition-Notification-To"] = `<${message.from.address}>`;
  if (message.draftInfo !== undefined) {
    checkText(DRAFT_INFO_FIELD, message.draftInfo);
    headers[DRAFT_INFO_FIELD] = message.draftInfo;
  }
  if (Object.keys(headers).length > 0) mail.headers = headers;

  const node = new MailComposer(mail).compile();
  // A draft keeps its Bcc so that finishing it later still sends to them; what is sent never
  // shows it, and the sender's own copy does (withBcc).
  if (opts.keepBcc) node.keepBcc = true;
  const envelope = node.getEnvelope();
  const id = node.messageId();
  let raw: Buffer;
  try {
    raw = await node.build();
  } catch (error) {
    throw toSmtpError(error);
  }
  return {
    messageId: id,
    raw,
    envelope: { from: envelope.from || message.from.address, to: envelope.to },
    sentCopy: opts.keepBcc ? raw : withBcc(raw, message.bcc ?? []),
    attachmentParts: partsOf(
      node,
      (message.attachments ?? []).map((a) => a.content),
    ),
  };
}

/**
 * The IMAP part number (RFC 3501 §6.4.5) of the leaf holding each of `contents`, found in the
 * built tree by the content given to it: nodemailer puts a file in multipart/mixed, or beside
 * the HTML in a multipart/related when it has a Content-ID, so where it ends up depends on
 * the message.
 */
function partsOf(root: MimeNode, contents: readonly unknown[]): string[] {
  const at = new Map<unknown, string>();
  const visit = (node: MimeNode, path: string) => {
    if (node.childNodes.length === 0) {
      if (node.content !== undefined) at.set(node.content, path || "1");
      return;
    }
    node.childNodes.forEach((child, i) => visit(child, path ? `${path}.${i + 1}` : String(i + 1)));
  };
  visit(root, "");
  return contents.map((content) => {
    const part = at.get(content);
    if (part === undefined)
      throw new MailError("INTERNAL", "An attachment is missing from the built message");
    return part;
  });
}

/** `raw` with a Bcc field at the end of its header, encoded as nodemailer encodes addresses
 * (its other fields and its body unchanged); `raw` itself without blind copies. */
function withBcc(raw: Buffer, bcc: readonly Address[]): Buffer {
  if (bcc.length === 0) return raw;
  const holder = new MimeNode("text/plain");
  holder.keepBcc = true;
  holder.setHeader("Bcc", bcc.map((a) => ({ name: a.name, address: a.address })) as unknown as string[]);
  const lines = holder.buildHeaders().split("\r\n");
  const start = lines.findIndex((line) => /^Bcc:/i.test(line));
  if (start < 0) return raw;
  let end = start + 1;
  while (end < lines.length && /^[ \t]/.test(lines[end] ?? "")) end++;
  const field = `${lines.slice(start, end).join("\r\n")}\r\n`;
  const headerEnd = raw.indexOf("\r\n\r\n");
  if (headerEnd < 0) return raw;
  return Buffer.concat([
    raw.subarray(0, headerEnd + 2),
    Buffer.from(field, "latin1"),
    raw.subarray(headerEnd + 2),
  ]);
}

/**
 * A read receipt (RFC 8098 §3): multipart/report of report-type disposition-notification, its
 * text for a person and its fields for a program (receiptReport), in answer to the original
 * (In-Reply-To, References). Auto-Submitted (RFC 3834) keeps out-of-office replies off it;
 * it never asks for a receipt itself. The envelope's sender is the reader's own address, where
 * RFC 8098 §3 prefers the null path: submission servers bind it to the signed-in user
 * (RFC 6409 §6.1), and what the null path prevents, a bounce, would reach only the reader.
 */
export async function composeReceipt(receipt: {
  from: Address;
  to: string[];
  originalMessageId: string | null;
  report: ReceiptReport;
}): Promise<ComposedMessage> {
  checkAddress("From", receipt.from);
  for (const address of receipt.to) checkAddress("To", { name: "", address });
  checkText("Subject", receipt.report.subject);
  const original = receipt.originalMessageId
    ? messageId("Original-Message-ID", receipt.originalMessageId)
    : null;
  const root = new MimeNode("multipart/report; report-type=disposition-notification");
  // An address object, as MailComposer hands it: MimeNode encodes the name (RFC 2047). Its
  // types name strings only.
  root.setHeader("From", [{ name: receipt.from.name, address: receipt.from.address }] as unknown as string[]);
  root.setHeader("To", receipt.to);
  root.setHeader("Subject", receipt.report.subject);
  root.setHeader("Auto-Submitted", "auto-replied");
  if (original) {
    root.setHeader("In-Reply-To", original);
    root.setHeader("References", original);
  }
  root.createChild("text/plain; charset=utf-8").setContent(crlf(receipt.report.text));
  root.createChild("message/disposition-notification").setContent(receipt.report.notification);
  let raw: Buffer;
  try {
    raw = await root.build();
  } catch (error) {
    throw toSmtpError(error);
  }
  return {
    messageId: root.messageId(),
    raw,
    envelope: { from: receipt.from.address, to: receipt.to },
    sentCopy: raw,
    attachmentParts: [],
  };
}

function tlsOptions(
  endpoint: ServerEndpoint,
  tlsVerify: boolean,
): { rejectUnauthorized: boolean; servername?: string } {
  // SNI takes a host name, never an IP address (RFC 6066 §3).
  return isIP(endpoint.host)
    ? { rejectUnauthorized: tlsVerify }
    : { rejectUnauthorized: tlsVerify, servername: endpoint.host };
}

function connectionOptions(
  endpoint: ServerEndpoint,
  opts: { tlsVerify?: boolean; timeoutMs?: number },
): SMTPConnection.Options {
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    host: endpoint.host,
    port: endpoint.port,
    // "starttls" must not fall back to plain text when the server offers no STARTTLS.
    secure: endpoint.security === "tls",
    requireTLS: endpoint.security === "starttls",
    ignoreTLS: endpoint.security === "none",
    tls: tlsOptions(endpoint, opts.tlsVerify ?? true),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
    debug: false,
  };
}

/** Composes and sends; the result carries the exact bytes for the Sent folder. */
export async function sendMail(
  endpoint: ServerEndpoint,
  auth: SmtpAuth,
  message: OutgoingMessage,
  opts: SendOptions = {},
): Promise<SendResult> {
  const composed = await composeMessage(message, opts.date ? { date: opts.date } : {});
  const { accepted, rejected } = await submitRaw(endpoint, auth, composed.envelope, composed.raw, opts);
  return { messageId: composed.messageId, raw: composed.raw, accepted, rejected };
}

/** Hands already-built bytes to the submission server, so that what is sent is exactly what
 * is filed in Sent. */
export async function submitRaw(
  endpoint: ServerEndpoint,
  auth: SmtpAuth,
  envelope: { from: string; to: string[] },
  raw: Buffer,
  opts: SendOptions = {},
): Promise<{ accepted: string[]; rejected: string[] }> {
  if (opts.sizeLimit && raw.length > opts.sizeLimit) {
    throw new MailError(
      "MESSAGE_TOO_LARGE",
      `The message is ${raw.length} bytes; the server takes at most ${opts.sizeLimit}`,
    );
  }
  const transport = nodemailer.createTransport({
    ...connectionOptions(endpoint, opts),
    auth: { user: auth.user, pass: auth.pass },
  });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return { accepted: info.accepted.map(String), rejected: info.rejected.map(String) };
  } catch (error) {
    throw toSmtpError(error);
  } finally {
    transport.close();
  }
}

/**
 * The server's message size limit from EHLO `SIZE` (RFC 1870), or null when it names none
 * (absent, or `SIZE 0`). With `auth` the credentials are checked too (AUTH_FAILED); the limit
 * is the one announced before AUTH, since EHLO is not repeated after it.
 */
export async function smtpSizeLimit(
  endpoint: ServerEndpoint,
  auth?: SmtpAuth,
  opts: { tlsVerify?: boolean; timeoutMs?: number } = {},
): Promise<number | null> {
  const connection = new SMTPConnection(connectionOptions(endpoint, opts));
  // Errors after the callbacks (a late socket error) must not become unhandled.
  connection.on("error", () => undefined);
  try {
    await new Promise<void>((resolve, reject) =>
      connection.connect((error) => (error ? reject(error) : resolve())),
    );
    // After connect() the last response is the EHLO answer (repeated after STARTTLS).
    const ehlo = typeof connection.lastServerResponse === "string" ? connection.lastServerResponse : "";
    const size = /^250[ -]SIZE(?:[ \t]+(\d+))?/im.exec(ehlo);
    if (auth)
      await new Promise<void>((resolve, reject) =>
        connection.login(auth, (error) => (error ? reject(error) : resolve())),
      );
    const limit = size?.[1] ? Number(size[1]) : 0;
    return limit > 0 ? limit : null;
  } catch (error) {
    throw toSmtpError(error);
  } finally {
    connection.quit();
    connection.close();
  }
}
