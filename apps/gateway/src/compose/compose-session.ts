import type { Readable } from "node:stream";
import { MailError } from "@pismo/protocol/errors";
import { draftInfoValue, emptyDraft, type Draft, type DraftAttachment } from "@pismo/protocol/compose";
import { sendResultSchema, type ComposePort } from "@pismo/protocol/router";
import type { ImportedState } from "@pismo/protocol/schemas";
import type { Account } from "@pismo/protocol/schemas";
import { composeMessage, composeReceipt, type OutgoingAttachment } from "../smtp/send-mail";
import { MDN_SENT_KEYWORD, receiptReport, type ReceiptSend } from "@pismo/protocol/receipts";
import { TEMPLATES_FOLDER, type TemplateBody } from "@pismo/protocol/templates";
import { startsAsMessage, withoutServerVerdicts, writtenAt, type ImportIdentity } from "@pismo/protocol/mime";
import type { OneFlag } from "../imap/actions";
import { DEFAULT_MAX_MESSAGE_BYTES, type UploadStore } from "./upload-store";
import type { HeldSend, HeldSendState } from "@pismo/protocol/compose";
import type { SendQueue } from "../smtp/send-queue";
import type { KeptSends } from "../smtp/kept-sends";
import type { PageMail } from "../cluster/leased-mail";
import type { Logger } from "../log";

/** What sending answers: `raw` (base64 of the bytes sent) only for accounts that keep Sent
 * locally (POP3); `sentCopyFailed` when the server's Sent folder refused the copy (IMAP). */
export type SendAnswer = Awaited<ReturnType<ComposePort["send"]>>;

type BuiltMessage = Awaited<ReturnType<typeof composeMessage>>;

export interface Envelope {
  from: string;
  to: string[];
}

/**
 * What composing needs of an IMAP account's mailbox, and no more: the Drafts and Sent folders
 * (created by their usual names where the server has none), APPEND, deleting a replaced or
 * sent draft for good, \Answered on the original, and streaming a part to forward it.
 * `page` is the page that asked (LeasedMail): the change is told to the session's other pages,
 * not back to it. Without one (a send the queue delivers later), every page is told.
 */
export interface ComposeMailbox {
  specialFolder(use: "sent" | "drafts" | "templates"): Promise<string | null>;
  createFolder(parentPath: null, name: string): Promise<string>;
  /** APPEND; the new UID, or null when the server does not say (no UIDPLUS); `date` its
   * internal date (an imported message's own), else now. */
  append(folder: string, raw: Buffer, flags: string[], page?: PageMail, date?: Date): Promise<number | null>;
  expunge(folder: string, uids: number[], page?: PageMail): Promise<void>;
  /** Which of `identities` `folder` already holds (an import's messages there before). */
  alreadyIn(folder: string, identities: readonly ImportIdentity[]): Promise<boolean[]>;
  /** \Answered on the original of a reply sent; $MDNSent on one whose receipt was answered. */
  flagOne(folder: string, uid: number, flag: OneFlag, page?: PageMail): Promise<boolean>;
  download(folder: string, uid: number, part: string): Promise<{ stream: Readable }>;
}

export interface ComposeSessionDeps {
  account: Account;
  sessionKey: string;
  /** Null for a POP3 account: drafts and Sent are kept in the browser. */
  imap: ComposeMailbox | null;
  uploads: UploadStore;
  /** Hands the raw message to the SMTP server (submission, the account's own credentials);
   * returns the recipients it refused while accepting the others. */
  submit(envelope: Envelope, raw: Buffer): Promise<{ rejected: string[] }>;
  /** EHLO SIZE of the SMTP server (RFC 1870), or null. */
  sizeLimit(): Promise<number | null>;
  /** The gateway's queue of sends held back for Undo; without it, sendLater is refused. */
  held?: SendQueue<Draft, SendAnswer>;
  /** Where the answers of the session's sends are kept when the gateway stops before the
   * browser took them (the session store); absent when sessions live in memory only. */
  kept?: KeptSends<SendAnswer>;
  /** Where the steps after a message went out that failed (filing, the draft, \Answered) are told. */
  log?: Logger;
}

/**
 * Writing mail: drafts on the server (IMAP \\Drafts), sending through SMTP, the sent copy in
 * \\Sent. Forwarded attachments are streamed from IMAP to SMTP and never pass the browser.
 * One per session, shared by its pages (the uploads kept per saved draft, the sends held for
 * Undo); each page calls through `forPage`, so that what it changes is not told back to it.
 */
export class ComposeSession implements ComposePort {
  private limit: Promise<number | null> | null = null;
  /**
   * The uploads each saved draft was built from, by the draft's UID. They go once a later
   * save replaces that draft, or it is sent or discarded (the browser then holds the saved
   * copy's parts instead), not when it is saved: a save whose answer the connection lost
   * leaves the browser with the upload ids, and its next save must still find them.
   */
  private readonly savedFrom = new Map<number, string[]>();
  /**
   * Per compose window (the draft's composeId), the UID of the last copy it saved in Drafts,
   * and its saves, one after the other. The page learns where its draft now is from the save's
   * answer; an answer the connection lost leaves it naming the copy before, and its next save
   * or its send removed only that one: the lost copy stayed in Drafts for good. Its next save
   * and its send remove that window's last copy too. Kept by window, not by draft, so that two
   * windows never remove each other's copies; the MAX_WINDOWS most recent ones.
   */
  private readonly windows = new Map<string, ComposeWindow>();

  constructor(private readonly deps: ComposeSessionDeps) {}

  /** The session's compose as one page (one WebSocket) calls it: see PageCompose. */
  forPage(page: PageMail | null): ComposePort {
    return page ? new PageCompose(this, page) : this;
  }

  limits(): Promise<{ maxMessageBytes: number | null; maxUploadBytes: number }> {
    this.limit ??= this.deps.sizeLimit().catch(() => null);
    return this.limit.then((maxMessageBytes) => ({
      maxMessageBytes,
      // One upload is also bounded by what a session may hold.
      maxUploadBytes: Math.min(
        maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
        this.deps.uploads.bytesPerSession,
      ),
    }));
  }

  uploadsHeld(ids: string[]): Promise<string[]> {
    return Promise.resolve(ids.filter((id) => this.deps.uploads.holds(this.deps.sessionKey, id)));
  }

  private async folderFor(imap: ComposeMailbox, use: "sent" | "drafts" | "templates"): Promise<string> {
    const found = await imap.specialFolder(use);
    if (found) return found;
    // A server without that special-use folder gets one by the usual name.
    const name = use === "sent" ? "Sent" : use === "drafts" ? "Drafts" : TEMPLATES_FOLDER;
    await imap.createFolder(null, name).catch(() => undefined);
    return name;
  }

  /**
   * The draft's attachments as streams for the composer. `spooled` collects the upload-store ids
   * of forwarded parts, for the caller to remove once the message is built. `sending`: held to
   * the SMTP server's limit; a draft (saved to IMAP, which SMTP need not be up for) to the
   * session's upload bound.
   */
  private async attachmentsOf(
    draft: Draft,
    spooled: string[],
    sending: boolean,
  ): Promise<OutgoingAttachment[]> {
    const { uploads, sessionKey } = this.deps;
    const out: OutgoingAttachment[] = [];
    // The message is built in memory: its files are counted before, not after. One upload
    // named a hundred times would otherwise build a hundred copies of it (the draft's schema
    // bounds how many are listed, not what they weigh).
    const budget = (sending ? (await this.limits()).maxMessageBytes : null) ?? uploads.bytesPerSession;
    let total = 0;
    const count = (size: number) => {
      total += size;
      if (total > budget)
        throw new MailError(
          "MESSAGE_TOO_LARGE",
          `The attachments are larger than the server accepts (${budget} bytes); remove some`,
        );
    };
    const listed = new Set<string>();
    try {
      for (const a of draft.attachments) {
        const key = a.kind === "upload" ? `upload ${a.id}` : `part ${a.folder} ${a.uid} ${a.part}`;
        if (listed.has(key)) throw new MailError("BAD_INPUT", `"${a.filename}" is attached twice`);
        listed.add(key);
        let content: Readable;
        let size: number;
        if (a.kind === "upload") ({ stream: content, size } = await uploads.open(sessionKey, a.id));
        else {
          if (!this.deps.imap)
            throw new MailError("BAD_INPUT", "Forwarding a server attachment needs an IMAP account");
          // A part's stream holds the IMAP connection's mailbox lock until it is read to the
          // end, and the composer reads attachments only when it builds the message, after all
          // of them were opened: a second part would wait for the lock the first one holds,
          // forever. So each part is read whole into this session's upload store, one after the
          // other (the lock is held only while the IMAP server sends), and composed from there.
          // The bytes still go IMAP -> gateway -> SMTP, never through the browser.
          const part = await this.deps.imap.download(a.folder, a.uid, a.part);
          const spool = await uploads.save(
            sessionKey,
            part.stream,
            Math.max(0, budget - total),
            this.deps.account.email,
          );
          spooled.push(spool.id);
          size = spool.size;
          content = (await uploads.open(sessionKey, spool.id)).stream;
        }
        // A whole message (part "") goes as one, whatever type the draft named.
        const contentType = a.kind === "forward" && a.part === "" ? "message/rfc822" : a.contentType;
        out.push({
          filename: a.filename,
          contentType,
          content,
          ...(a.contentId !== undefined ? { contentId: a.contentId } : {}),
        });
        count(size);
      }
    } catch (error) {
      destroyAll(out);
      throw error;
    }
    return out;
  }

  /** Builds the message: to send, or (`asDraft`) to keep in Drafts, with its Bcc. */
  private async compose(draft: Draft, asDraft: boolean) {
    const spooled: string[] = [];
    let attachments: OutgoingAttachment[] = [];
    try {
      attachments = await this.attachmentsOf(draft, spooled, !asDraft);
      return await composeMessage(
        {
          // The identity chosen in compose; whether the user may send as it is the SMTP
          // server's to say (its refusal reaches the user as SERVER_REFUSED with its text).
          from: draft.from ?? { name: "", address: this.deps.account.email },
          ...(draft.replyTo?.length ? { replyTo: draft.replyTo } : {}),
          to: draft.to,
          cc: draft.cc,
          bcc: draft.bcc,
          subject: draft.subject,
          text: draft.text,
          ...(draft.html !== null ? { html: draft.html } : {}),
          ...(draft.inReplyTo ? { inReplyTo: draft.inReplyTo } : {}),
          references: draft.references,
          attachments,
          ...(draft.requestReceipt ? { requestReceipt: true } : {}),
          ...(asDraft && draft.answering ? { draftInfo: draftInfoValue(draft.answering) } : {}),
        },
        { keepBcc: asDraft },
      );
    } finally {
      // A message refused before it was built leaves its files unread: close them.
      destroyAll(attachments);
      for (const id of spooled) await this.deps.uploads.remove(this.deps.sessionKey, id);
    }
  }

  async saveDraft(
    draft: Draft,
    replaceUid: number | null,
    page?: PageMail,
  ): Promise<{ folder: string; uid: number; attachments: DraftAttachment[] } | null> {
    const imap = this.deps.imap;
    if (!imap) return null;
    const window = this.windowOf(draft.composeId);
    if (!window) return this.store(imap, draft, [replaceUid], page);
    // After the window's save before, should that one (its answer lost) still be on its way
    // when the page saves again: it would otherwise remove the newer copy, or stay.
    const saved = window.turn.then(() => this.store(imap, draft, [replaceUid, window.last], page));
    window.turn = saved.then(
      (done) => {
        window.last = done.uid;
      },
      () => undefined,
    );
    return saved;
  }

  /** The window `composeId` names, made the most recent (null: a page that names none). */
  private windowOf(composeId: string | undefined): ComposeWindow | null {
    if (composeId === undefined) return null;
    const window = this.windows.get(composeId) ?? { last: null, turn: Promise.resolve() };
    this.windows.delete(composeId);
    this.windows.set(composeId, window);
    for (const oldest of this.windows.keys()) {
      if (this.windows.size <= MAX_WINDOWS) break;
      this.windows.delete(oldest);
    }
    return window;
  }

  /** The last copy the window `composeId` saved in Drafts, once its saves on their way are done. */
  private async lastSaved(composeId: string | undefined): Promise<number | null> {
    const window = composeId === undefined ? undefined : this.windows.get(composeId);
    if (!window) return null;
    await window.turn;
    return window.last;
  }

  /** Sent: the window's copies are gone, or kept as the one copy of what was sent; its uploads go. */
  private async windowSent(composeId: string | undefined): Promise<void> {
    const last = await this.lastSaved(composeId);
    if (composeId !== undefined) this.windows.delete(composeId);
    await this.releaseSaved(last, null);
  }

  /** APPENDs the draft to Drafts and removes the copies it replaces (`older`, null: none). */
  private async store(
    imap: ComposeMailbox,
    draft: Draft,
    older: readonly (number | null)[],
    page: PageMail | undefined,
  ): Promise<{ folder: string; uid: number; attachments: DraftAttachment[] }> {
    const folder = await this.folderFor(imap, "drafts");
    const { raw, attachmentParts } = await this.compose(draft, true);
    const uid = await imap.append(folder, raw, ["\\Draft", "\\Seen"], page);
    if (uid === null)
      throw new MailError("SERVER_REFUSED", "The server saved the draft but did not say where (no UIDPLUS)");
    const replaced = distinctUids(older).filter((old) => old !== uid);
    if (replaced.length > 0) await imap.expunge(folder, replaced, page).catch(() => undefined);
    for (const old of replaced) await this.releaseSaved(old, draft);
    const ids = uploadIds(draft);
    if (ids.length > 0) {
      // The newest save owns them: an earlier one (its answer lost) lets go, and its time
      // running out does not take them from this one.
      for (const [other, held] of this.savedFrom)
        this.savedFrom.set(
          other,
          held.filter((id) => !ids.includes(id)),
        );
      this.savedFrom.set(uid, ids);
      // Kept for a retry after a lost answer, which comes within seconds; not for as long as
      // the session lasts, counted against its upload bounds by a window long closed.
      setTimeout(
        () => void this.releaseSaved(uid, null).catch(() => undefined),
        KEEP_SAVED_UPLOADS_MS,
      ).unref();
    }
    // Each file is now a part of the saved copy, where the message was built with it (a
    // picture beside the HTML, the others after the body).
    const attachments = draft.attachments.map((a, i): DraftAttachment => ({
      kind: "forward",
      folder,
      uid,
      part: attachmentParts[i]!,
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      ...(a.contentId !== undefined ? { contentId: a.contentId } : {}),
    }));
    return { folder, uid, attachments };
  }

  /**
   * A template, kept as Thunderbird keeps one: a message in the Templates folder (made by the
   * first), read (\Seen: not new mail), with no recipients, thread or files (templateBodySchema).
   * Another device, or Thunderbird, lists it there; deleting it is deleting that message.
   */
  async saveTemplate(
    template: TemplateBody,
    page?: PageMail,
  ): Promise<{ folder: string; uid: number | null } | null> {
    const imap = this.deps.imap;
    if (!imap) return null;
    const folder = await this.folderFor(imap, "templates");
    const { raw } = await this.compose(
      { ...emptyDraft(), subject: template.name, text: template.text, html: template.html },
      true,
    );
    return { folder, uid: await imap.append(folder, raw, ["\\Seen"], page) };
  }

  /** Which of an import's messages (`identities`) `folder` holds already, to be left out;
   * refused for a POP3 account. */
  async importedAlready(folder: string, identities: readonly ImportIdentity[]): Promise<boolean[]> {
    const imap = this.deps.imap;
    if (!imap) throw new MailError("BAD_INPUT", "Importing into a server folder needs an IMAP account");
    return imap.alreadyIn(folder, identities);
  }

  /**
   * A message the user imports from a file (an .eml, one of an mbox's), uploaded first: APPENDed
   * to `folder` read, flagged and answered as `state` says (read when it says nothing), its
   * internal date the date it was written (so an archive keeps its order), and the upload
   * removed, kept or not. Bytes that do not start as a message are refused and nothing is
   * stored; its Authentication-Results are renamed (withoutServerVerdicts).
   */
  async importMessage(
    folder: string,
    uploadId: string,
    state: ImportedState | undefined,
    page?: PageMail,
  ): Promise<{ uid: number | null }> {
    const imap = this.deps.imap;
    const { uploads, sessionKey } = this.deps;
    try {
      if (!imap) throw new MailError("BAD_INPUT", "Importing into a server folder needs an IMAP account");
      const { stream } = await uploads.open(sessionKey, uploadId);
      const bytes = Buffer.concat((await stream.toArray()) as Buffer[]);
      if (!startsAsMessage(bytes))
        throw new MailError("BAD_INPUT", "Not a message: it does not start with a header");
      // A file is not mail the server checked: its verdicts are renamed, not believed.
      const raw = Buffer.from(withoutServerVerdicts(bytes));
      const flags = state
        ? [
            ...(state.seen ? ["\\Seen"] : []),
            ...(state.flagged ? ["\\Flagged"] : []),
            ...(state.answered ? ["\\Answered"] : []),
          ]
        : ["\\Seen"];
      return { uid: await imap.append(folder, raw, flags, page, writtenAt(raw) ?? undefined) };
    } finally {
      await uploads.remove(sessionKey, uploadId).catch(() => undefined);
    }
  }

  /**
   * Discarded: the copy the page names (`uid`, null when it knows of none) goes for good, and so
   * does the last copy its window saved (`composeId`), once the window's saves on their way are
   * done. An autosave whose answer the connection lost left the page naming the copy before (or
   * none): discarding only that one kept the lost copy in Drafts. Their uploads go with them.
   */
  async discardDraft(uid: number | null, composeId?: string, page?: PageMail): Promise<void> {
    const imap = this.deps.imap;
    if (!imap) return;
    const uids = distinctUids([uid, await this.lastSaved(composeId)]);
    if (uids.length > 0) await imap.expunge(await this.folderFor(imap, "drafts"), uids, page);
    if (composeId !== undefined) this.windows.delete(composeId);
    for (const old of uids) await this.releaseSaved(old, null);
  }

  async send(
    draft: Draft,
    opts: { draftUid: number | null; answering: { folder: string; uid: number } | null },
    page?: PageMail,
  ): Promise<SendAnswer> {
    const built = await this.build(draft);
    const answer = await this.deliver(built, opts, page, draft.composeId);
    // Sent: freeing its files is housekeeping, and a failure there must not say it was not.
    await this.afterSending("release_uploads", async () => {
      await this.releaseUploads(draft);
      await this.releaseSaved(opts.draftUid, null);
      await this.windowSent(draft.composeId);
    });
    return answer;
  }

  /** A step after the message went out (SMTP accepted it): tried, and logged when it fails,
   * never thrown. An error from here would tell the user the send failed, and they would send
   * it again. */
  private async afterSending<T>(step: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      this.deps.log?.warn("send.after_step_failed", { step, error });
      return undefined;
    }
  }

  /** Builds the message to be sent, refusing it now when it cannot go (no recipient, too large). */
  private async build(draft: Draft): Promise<BuiltMessage> {
    if (draft.to.length + draft.cc.length + draft.bcc.length === 0)
      throw new MailError("BAD_INPUT", "Add at least one recipient");
    const built = await this.compose(draft, false);
    const max = (await this.limits()).maxMessageBytes;
    if (max !== null && built.raw.length > max)
      throw new MailError(
        "MESSAGE_TOO_LARGE",
        `The message is ${built.raw.length} bytes; the server accepts ${max}`,
      );
    return built;
  }

  /** Hands the built message to SMTP; only then files the Sent copy, removes the draft and
   * marks the original \Answered (IMAP). A copy the server would not file (over quota, Sent
   * gone) keeps the draft: then it is the one copy of what was sent, and the answer says so.
   * The draft removed is the one the page names and the last copy its window saved (`composeId`),
   * which the page may not know of (the save's answer lost).
   * `page`: the page waiting for the answer, not told of those changes. */
  private async deliver(
    { raw, messageId, envelope, sentCopy }: BuiltMessage,
    opts: { draftUid: number | null; answering: { folder: string; uid: number } | null },
    page: PageMail | undefined,
    composeId: string | undefined,
  ): Promise<SendAnswer> {
    const { rejected } = await this.deps.submit(envelope, raw);
    const imap = this.deps.imap;
    if (!imap) return { messageId, raw: sentCopy.toString("base64"), rejected };
    // Sent: from here on nothing may throw, or a message that went out would look like a failed
    // send (and be sent again). Each step is tried on its own, each lookup of a folder inside it.
    const filed =
      (await this.afterSending("file_sent_copy", async () => {
        await imap.append(await this.folderFor(imap, "sent"), sentCopy, ["\\Seen"], page);
        return true;
      })) ?? false;
    const drafts = distinctUids([opts.draftUid, await this.lastSaved(composeId)]);
    if (filed && drafts.length > 0)
      await this.afterSending("remove_draft", async () =>
        imap.expunge(await this.folderFor(imap, "drafts"), drafts, page),
      );
    const answering = opts.answering;
    if (answering)
      await this.afterSending("mark_answered", () =>
        imap.flagOne(answering.folder, answering.uid, "\\Answered", page),
      );
    if (filed) return { messageId, raw: null, rejected };
    return {
      messageId,
      raw: null,
      rejected,
      sentCopyFailed: drafts.length > 0 ? "draft-kept" : "no-copy",
    };
  }

  /**
   * A read receipt asked for by a message the reader opened: sent when `receipt` is given (the
   * reader pressed Send receipt), never filed in Sent (RFC 3503 §3.1 files none); then, for an
   * IMAP message, $MDNSent on it whether sent or declined, so that no device asks again. A send
   * the server refused sets nothing: the reader may try again.
   */
  async answerReceipt(
    receipt: ReceiptSend | null,
    original: { folder: string; uid: number } | null,
    page?: PageMail,
  ): Promise<{ noted: boolean }> {
    if (receipt) {
      const from = receipt.from ?? { name: "", address: this.deps.account.email };
      const report = receiptReport({
        reader: from.address,
        subject: receipt.subject,
        originalMessageId: receipt.originalMessageId,
        language: receipt.language,
      });
      const built = await composeReceipt({
        from,
        to: receipt.to,
        originalMessageId: receipt.originalMessageId,
        report,
      });
      await this.deps.submit(built.envelope, built.raw);
    }
    const imap = this.deps.imap;
    if (!imap || !original) return { noted: false };
    return { noted: await imap.flagOne(original.folder, original.uid, MDN_SENT_KEYWORD, page) };
  }

  /**
   * Undo send: the message is built now, so a bad one fails while the form is still open, and
   * held by the gateway's queue for `delayMs`. Its uploaded attachments stay in the upload store
   * (counted against the session's upload bounds) until it went out, so an Undo gives back a
   * draft whose attachments still work. It goes out later, asked for by no page: every page of
   * the session is told of the Sent copy (the one that held it may have closed meanwhile).
   */
  async sendLater(
    draft: Draft,
    opts: { draftUid: number | null; answering: { folder: string; uid: number } | null },
    delayMs: number,
    id: string,
  ): Promise<HeldSend> {
    const queue = this.deps.held;
    if (!queue) throw new MailError("BAD_INPUT", "This gateway cannot hold a message back");
    // Made before a gateway stopped, its answer kept: the id is used, as in the queue.
    if (await this.keptAnswer(id))
      throw new MailError("BAD_INPUT", "This send was already made; it is not made a second time");
    const built = await this.build(draft);
    const kept = this.deps.kept;
    return queue.hold(this.deps.sessionKey, id, {
      draft,
      bytes: built.raw.length,
      delayMs,
      deliver: () => this.deliver(built, opts, undefined, draft.composeId),
      release: async () => {
        await this.releaseUploads(draft);
        await this.releaseSaved(opts.draftUid, null);
        await this.windowSent(draft.composeId);
      },
      keptBytes: keptBytesOf,
      // Only what the store needs: the closure outlives the send, kept until acknowledged.
      ...(kept ? { keep: (answer: SendAnswer) => kept.keep(id, answer, keptBytesOf(answer)) } : {}),
    });
  }

  /** A late Undo of a send the queue does not know, kept by a gateway that stopped: it went. */
  async cancelSend(id: string): Promise<{ state: HeldSendState; draft: Draft | null }> {
    const queue = this.deps.held;
    const answer = queue ? queue.cancel(this.deps.sessionKey, id) : null;
    if (answer && answer.state !== "unknown") return answer;
    return (await this.keptAnswer(id)) ? { state: "sent", draft: null } : { state: "unknown", draft: null };
  }

  async ackSent(id: string): Promise<void> {
    const keptElsewhere = this.deps.held?.acknowledge(this.deps.sessionKey, id) ?? false;
    const kept = this.deps.kept;
    if (keptElsewhere && kept)
      await kept
        .forget(id)
        .catch((error: unknown) => this.deps.log?.warn("send.kept_forget_failed", { error }));
  }

  /** The queue's answer; for a send it does not know (made before the gateway restarted, or on
   * a gateway that stopped since), the answer that gateway kept, until acknowledged. */
  async sendOutcome(id: string): Promise<{ state: HeldSendState; result: SendAnswer | null }> {
    const queue = this.deps.held;
    if (!queue) return { state: "unknown", result: null };
    const outcome = await queue.outcome(this.deps.sessionKey, id);
    if (outcome.state !== "unknown") return outcome;
    const result = await this.keptAnswer(id);
    return result ? { state: "sent", result } : outcome;
  }

  /** The answer a stopped gateway kept for `id`, or null. A store that cannot be read answers
   * null, as before answers were kept ("unknown": the page puts the form back and says to look
   * in Sent); an error would tell the user the send failed. */
  private async keptAnswer(id: string): Promise<SendAnswer | null> {
    const kept = this.deps.kept;
    if (!kept) return null;
    try {
      return await kept.find(id);
    } catch (error) {
      this.deps.log?.warn("send.kept_unreadable", { error });
      return null;
    }
  }

  private async releaseUploads(draft: Draft): Promise<void> {
    for (const id of uploadIds(draft)) await this.deps.uploads.remove(this.deps.sessionKey, id);
  }

  /** The uploads the saved draft `uid` was built from, but those `still` uses. */
  private async releaseSaved(uid: number | null, still: Draft | null): Promise<void> {
    if (uid === null) return;
    const from = this.savedFrom.get(uid);
    this.savedFrom.delete(uid);
    const kept = new Set(still ? uploadIds(still) : []);
    for (const id of from ?? []) if (!kept.has(id)) await this.deps.uploads.remove(this.deps.sessionKey, id);
  }
}

/**
 * The session's compose as one page (one WebSocket, from `ComposeSession.forPage`) calls it:
 * the drafts it saves or discards and what it sends at once are told to the session's other
 * pages, not back to it, as with PageMail. It settles its own lists from the answer
 * (server-draft-store, send-outcome), and a "changed" of its own would refetch its folders and
 * Drafts after every autosave. Everything else is the session's, shared by its pages.
 */
class PageCompose implements ComposePort {
  constructor(
    private readonly compose: ComposeSession,
    private readonly page: PageMail,
  ) {}

  limits(): Promise<{ maxMessageBytes: number | null; maxUploadBytes: number }> {
    return this.compose.limits();
  }

  uploadsHeld(ids: string[]): Promise<string[]> {
    return this.compose.uploadsHeld(ids);
  }

  saveDraft(
    draft: Draft,
    replaceUid: number | null,
  ): Promise<{ folder: string; uid: number; attachments: DraftAttachment[] } | null> {
    return this.compose.saveDraft(draft, replaceUid, this.page);
  }

  discardDraft(uid: number | null, composeId?: string): Promise<void> {
    return this.compose.discardDraft(uid, composeId, this.page);
  }

  importMessage(folder: string, uploadId: string, state?: ImportedState): Promise<{ uid: number | null }> {
    return this.compose.importMessage(folder, uploadId, state, this.page);
  }

  importedAlready(folder: string, identities: readonly ImportIdentity[]): Promise<boolean[]> {
    return this.compose.importedAlready(folder, identities);
  }

  saveTemplate(template: TemplateBody): Promise<{ folder: string; uid: number | null } | null> {
    return this.compose.saveTemplate(template, this.page);
  }

  send(
    draft: Draft,
    opts: { draftUid: number | null; answering: { folder: string; uid: number } | null },
  ): Promise<SendAnswer> {
    return this.compose.send(draft, opts, this.page);
  }

  answerReceipt(
    receipt: ReceiptSend | null,
    original: { folder: string; uid: number } | null,
  ): Promise<{ noted: boolean }> {
    return this.compose.answerReceipt(receipt, original, this.page);
  }

  sendLater(
    draft: Draft,
    opts: { draftUid: number | null; answering: { folder: string; uid: number } | null },
    delayMs: number,
    id: string,
  ): Promise<HeldSend> {
    return this.compose.sendLater(draft, opts, delayMs, id);
  }

  cancelSend(id: string): Promise<{ state: HeldSendState; draft: Draft | null }> {
    return this.compose.cancelSend(id);
  }

  ackSent(id: string): Promise<void> {
    return this.compose.ackSent(id);
  }

  sendOutcome(id: string): Promise<{ state: HeldSendState; result: SendAnswer | null }> {
    return this.compose.sendOutcome(id);
  }
}

/** What a send's answer keeps until acknowledged: a POP3 account's Sent copy (base64). */
function keptBytesOf(answer: SendAnswer): number {
  return answer.raw?.length ?? 0;
}

/** A send's answer as a gateway kept it (KeptSends), or null for any other shape: checked by the
 * schema the router answers it with. */
export function parseSendAnswer(value: unknown): SendAnswer | null {
  return sendResultSchema.safeParse(value).data ?? null;
}

/** How long a saved draft's uploads outlive the save (see savedFrom). */
const KEEP_SAVED_UPLOADS_MS = 2 * 60_000;

/** How many compose windows a session keeps the last saved copy of (see ComposeSession.windows). */
const MAX_WINDOWS = 100;

/** A compose window's last copy in Drafts (null: none yet), and its saves: each after the one before. */
interface ComposeWindow {
  last: number | null;
  turn: Promise<unknown>;
}

function distinctUids(uids: readonly (number | null)[]): number[] {
  return [...new Set(uids.filter((uid): uid is number => uid !== null))];
}

function uploadIds(draft: Draft): string[] {
  return draft.attachments.flatMap((a) => (a.kind === "upload" ? [a.id] : []));
}

function destroyAll(attachments: OutgoingAttachment[]): void {
  for (const a of attachments)
    if (!Buffer.isBuffer(a.content) && "destroy" in a.content) (a.content as Readable).destroy();
}
