import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { restoreSignatureSeparator } from "@pismo/protocol/identities";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { safeAttachmentName, type Draft, type DraftAttachment } from "@pismo/protocol/compose";
import type { Account } from "@pismo/protocol/schemas";
import { formatBytes } from "@pismo/protocol/format";
import { useToast } from "@/components/ui/toast";
import { localeOf } from "@/i18n";
import { describeError } from "@/lib/errors";
import { randomId } from "@pismo/protocol/ids";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { useCompose, type ComposeRequest } from "./compose-context";
import { afterDraftSave, keptFilesOf, withoutKeptFiles, type DraftRef, type DraftStore } from "./draft-store";
import {
  fieldsFromDraft,
  forwardedPart,
  initialFields,
  picturesShown,
  plainAsHtml,
  sourceOfDetail,
  wholeMessageOf,
  type ComposeFields,
} from "./initial-draft";
import { forgetLocalCopy, keepGoneWindowCopy, LOCAL_KEY, type LocalCopy } from "./local-copy";
import { rememberRecipients } from "./recent-addresses";
import { recipientsOf } from "./recipient-field";
import { useServerDraftStore } from "./server-draft-store";
import { outgoingHtml, sanitizeComposeHtml } from "./compose-sanitizer";
import { draftSender, draftText, reopenedIdentity, signedStart } from "../identities/compose-identity";
import { useIdentities } from "../identities/identities-context";
import { uploadFile } from "./upload";
import { useLatest } from "../shared/use-latest";
import { useUndoSend } from "./undo-send";
import { useUndo } from "../actions/undo";
import { readUndoSendSeconds } from "./undo-send-setting";
import { afterSent, connectionLost, sendAtOnce } from "./send-outcome";

const AUTOSAVE_MS = 2500;
const AUTOSAVE_RETRY_MS = 10_000;
/** Base64 makes an attachment about 4/3 larger on the wire (RFC 2045 §6.8). */
const BASE64_OVERHEAD = 1.37;

export interface Uploading {
  key: string;
  name: string;
  sent: number;
  total: number;
}

export type DraftStatus = { kind: "idle" | "saving" | "saved" | "failed"; at?: Date };

/** What a batch of uploads still had to give a window gone meanwhile: the files that came up
 * after it went, and the names of those that did not. */
interface UploadBatch {
  added: DraftAttachment[];
  failed: string[];
}

/**
 * What the compose window does, without its looks: the fields (new, reply, forward, or a
 * draft reopened), the autosave to this browser and to the draft store, the uploads of
 * attached files, sending and discarding.
 */
/** `serial`: this window's (ComposePanel keys the form by it), to tell a replacement from a close. */
export function useComposeForm(
  account: Account,
  request: ComposeRequest,
  given: DraftStore | undefined,
  serial: number,
) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const { closeWindow, replaced, open: openCompose } = useCompose();
  const undo = useUndo();
  const close = () => closeWindow(serial);
  const serverDrafts = useServerDraftStore();
  const drafts = given ?? serverDrafts;
  const limits = useQuery({ ...trpc.compose.limits.queryOptions(), staleTime: Infinity, retry: false });
  const draftSource = useQuery({
    ...trpc.imap.open.queryOptions(
      request.mode === "draft"
        ? { folder: request.folder, uid: request.uid, peek: true }
        : { folder: "INBOX", uid: 1, peek: true },
    ),
    enabled: request.mode === "draft",
  });

  const identities = useIdentities(account);
  const [fields, setFields] = useState<ComposeFields | null>(() => {
    if (request.mode === "draft") return null;
    if (request.mode === "saved") return withoutKeptFiles(request.fields, request.files);
    // The identity written to (or the default), with its signature in the starting body.
    const { settings } = identities;
    if (request.mode === "new")
      return signedStart(
        settings,
        null,
        (me) =>
          initialFields("new", null, me, t, locale, request.to ?? "", {
            subject: request.subject,
            text: request.text,
          }),
        sanitizeComposeHtml,
      );
    const source =
      "origin" in request.source
        ? request.source
        : request.mode === "forwardAttached"
          ? { ...sourceOfDetail(request.source), attachments: [wholeMessageOf(request.source)] }
          : sourceOfDetail(request.source);
    // Edited as new: the message as it was, its signature in it, as the identity it was from.
    if (request.mode === "editAsNew")
      return {
        ...initialFields("editAsNew", source, "", t, locale),
        ...reopenedIdentity(source.from, identities.settings),
      };
    return signedStart(
      settings,
      source,
      // The identity replying first; a reply to all copies none of the account's addresses.
      (me) =>
        initialFields(
          request.mode,
          source,
          [me, account.email, ...settings.identities.map((i) => i.address)],
          t,
          locale,
        ),
      sanitizeComposeHtml,
    );
  });
  const [draftUid, setDraftUid] = useState<DraftRef | null>(
    request.mode === "draft" ? request.uid : request.mode === "saved" ? request.ref : null,
  );
  // The latest draft location and the autosave in flight: sending or discarding waits for it,
  // so a save that lands late does not leave a stale draft behind.
  const draftRef = useRef(draftUid);
  const saving = useRef<Promise<unknown>>(Promise.resolve());
  // Whether this window ever asked the draft store to save: Discard then asks the gateway for
  // the window's last copy too, also when the page never learnt where that copy is. A form
  // brought back by Undo send as its window (its composeId) counts: that window saved.
  const saveTried = useRef(request.mode === "saved" && request.composeId !== undefined);
  // Send pressed and not come back refused: the button says so from the press, also while the
  // send waits for an autosave on its way.
  const [sendClicked, setSendClicked] = useState(false);
  // The last save's answer: the attachments it carried (`sent`) and how the store now keeps
  // them (`written`; null: as they were). Discarding maps the form's files through it
  // (afterDraftSave) once a save on its way has answered, the form not having seen it yet.
  const lastSave = useRef<{
    ref: DraftRef;
    sent: DraftAttachment[];
    written: DraftAttachment[] | null;
  } | null>(null);
  // The files this window uploaded, by upload id: a draft store that keeps drafts in this
  // browser keeps their bytes too.
  const localFiles = useRef(new Map<string, Blob>());
  const [uploads, setUploads] = useState<Uploading[]>([]);
  // The batches of files on their way up (addFiles), and the attachments a draft had before of
  // files being uploaded again: a window closed or replaced meanwhile keeps them (keepOnClose).
  const batches = useRef(new Set<Promise<UploadBatch>>());
  // The uploads the window opened with (a POP3 forward's files, a reply's pictures): they do not
  // make the form changed, so a window closed untouched keeps nothing.
  const openingBatch = useRef<Promise<UploadBatch> | null>(null);
  // A reply's pictures (its only files with a Content-ID) came with its quote: they go only while
  // its text shows them, as Thunderbird's and Gmail's do (not with a quote deleted, nor in plain text).
  const replying = request.mode === "reply" || request.mode === "replyAll";
  const formersUploading = useRef(new Set<DraftAttachment>());
  // Discard pressed: uploads still on their way are stopped, and nothing is saved after them.
  const discarded = useRef(false);
  const [status, setStatus] = useState<DraftStatus>({ kind: "idle" });
  const [error, setError] = useState<string | null>(
    request.mode === "saved" ? (request.error ?? null) : null,
  );
  // A message brought back (Undo send, the offer after a closed tab) may hold text that no
  // draft has: it counts as unsaved until saved.
  const dirty = useRef(request.mode === "saved");
  const abort = useRef(new AbortController());
  // This window's name on the copy it keeps in this browser, and whether it is still shown: a
  // send outlives a window replaced while the message was on its way.
  const [writer] = useState(() => `${serial}-${randomId()}`);
  // This window's id on every draft it saves or sends: the gateway removes the last copy the
  // window saved in Drafts with its next save or its send, also when the answer naming that
  // copy was lost with the connection (the window still names the one before). Never another
  // window's: each has its own.
  // A form brought back by Undo send keeps its window's id, so its next save still replaces a
  // copy whose answer was lost before the send.
  const [composeId] = useState(
    () => (request.mode === "saved" ? request.composeId : undefined) ?? randomId(),
  );
  const gone = useRef(false);
  useEffect(() => {
    gone.current = false;
    return () => {
      gone.current = true;
    };
  }, []);

  // A draft opened from the Drafts folder: its attachments stay on the server as references.
  useEffect(() => {
    const d = draftSource.data;
    if (request.mode !== "draft" || !d || fields) return;
    const isHtml = d.body.kind === "html";
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setFields({
      ...fieldsFromDraft(
        {
          to: d.to,
          cc: d.cc,
          bcc: d.bcc,
          subject: d.subject,
          text: isHtml ? "" : d.body.content,
          html: isHtml ? d.body.content : null,
          inReplyTo: d.inReplyTo,
          references: d.references,
          attachments: d.attachments.map((a) => forwardedPart(d, a)),
          // Saved with Disposition-Notification-To: the request stays with the draft.
          ...(d.receipt ? { requestReceipt: true } : {}),
          // Saved with X-Draft-Info: a reply finished later still marks its original answered.
          ...(d.answering ? { answering: d.answering } : {}),
        },
        isHtml,
      ),
      // The identity the draft was written as, when it is still one of the account's.
      ...reopenedIdentity(d.from, identities.settings),
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draftSource.data, request, fields]);

  const client = useTRPCClient();
  const send = useMutation({
    mutationFn: (input: Parameters<typeof sendAtOnce>[1]) => sendAtOnce(client, input),
  });
  const sendLater = useMutation(trpc.compose.sendLater.mutationOptions());
  const holdSend = useUndoSend();

  const toDraft = (f: ComposeFields): { draft: Draft; invalid: string[] } => {
    const to = recipientsOf(f.to),
      cc = recipientsOf(f.cc),
      bcc = recipientsOf(f.bcc);
    const html = f.rich ? outgoingHtml(f.html) : null;
    return {
      draft: {
        to: to.valid,
        cc: cc.valid,
        bcc: bcc.valid,
        subject: f.subject,
        text: draftText(f),
        html,
        inReplyTo: f.inReplyTo,
        references: f.references,
        attachments: replying ? picturesShown(f.attachments, html) : f.attachments,
        ...draftSender(f, identities.settings),
        ...(f.receipt ? { requestReceipt: true } : {}),
        ...(f.answering ? { answering: f.answering } : {}),
        composeId,
      },
      invalid: [...to.invalid, ...cc.invalid, ...bcc.invalid],
    };
  };

  const update = (patch: Partial<ComposeFields>) => {
    dirty.current = true;
    setFields((f) => (f ? { ...f, ...patch } : f));
  };

  // The text when the window went from rich to plain text: back to rich, the editor shows what
  // was written in plain text, unless nothing was (then the rich version, its bold and links,
  // stays). It showed the rich version as it was before, and so sent it: the HTML part lacked
  // whatever was typed in plain text (and was empty for a plain draft made rich).
  const textWhenPlain = useRef<string | null>(null);
  const switchRich = () => {
    if (!fields) return;
    if (fields.rich) {
      // The editor's text loses the signature separator's space ("-- "): plain text shows it.
      const text = restoreSignatureSeparator(fields.text);
      textWhenPlain.current = text;
      update({ rich: false, text });
    } else if (textWhenPlain.current !== null && textWhenPlain.current === fields.text) {
      update({ rich: true });
    } else {
      update({ rich: true, html: plainAsHtml(fields.text) });
    }
  };

  /**
   * The rich editor's text of what it loaded, where the fields have none, kept as the plain
   * alternative without counting as an edit: a draft reopened from the server is shown from its
   * HTML part, and its text was empty (sent so, and asked about as a message without text).
   */
  const loadedText = (text: string) =>
    setFields((f) => (f && f.rich && f.text === "" && text.trim() !== "" ? { ...f, text } : f));

  // Set by Send itself (TanStack's pending state reaches this window a task later, and a window
  // replaced in between must not save the message being sent as a draft); cleared when the
  // send fails with the window still open.
  const sending = useRef(false);
  // The one save to the draft store, after the one in flight: by the autosave below, and when
  // the window is closed or replaced before the autosave ran (✕, or Compose / another reply
  // opened over it), so that what was typed since is not dropped with the window. Sent, being
  // sent or discarded, nothing is. Replaced (not closed), it says where the message went once saved:
  // the window it was in is gone without the user closing it.
  // Kept current as the fields change, not after the next paint: a window replaced in the frame
  // of its last keystroke saves that keystroke too.
  const saveNow = useLatest((): ReturnType<DraftStore["save"]> | null => {
    if (!fields || !dirty.current || uploads.length > 0 || sending.current) return null;
    dirty.current = false;
    saveTried.current = true;
    const { draft } = toDraft(fields);
    const saved = saving.current
      .catch(() => undefined)
      .then(() => drafts.save(draft, fields, draftRef.current, localFiles.current));
    saving.current = saved.catch(() => undefined);
    return saved;
  });

  // A save that failed is tried again this much later, typed on or not (and when the window closes).
  const [retries, setRetries] = useState(0);
  // Drafts are never lost: kept in this browser at once, and on the server a moment later.
  useEffect(() => {
    if (!fields || !dirty.current) return;
    try {
      localStorage.setItem(
        LOCAL_KEY,
        JSON.stringify({
          account: account.email,
          fields,
          draftUid,
          savedAt: Date.now(),
          writer,
        } satisfies LocalCopy),
      );
    } catch {
      // This browser's storage full (a large forward): the save to the draft store goes on.
    }
    let retry: ReturnType<typeof setTimeout> | undefined;
    // False once the fields changed (or the window closed): its retry is not this run's to make.
    let current = true;
    // What the save below carries (the fields do not change before it starts: each change
    // restarts this effect).
    const sent = fields.attachments;
    const timer = setTimeout(() => {
      const saved = saveNow.current();
      if (!saved) return;
      setStatus({ kind: "saving" });
      void saved.then(
        (where) => {
          if (!where) return setStatus({ kind: "idle" });
          draftRef.current = where.ref;
          lastSave.current = { ref: where.ref, sent, written: where.attachments };
          setDraftUid(where.ref);
          const written = where.attachments;
          if (written)
            setFields((f) => (f ? { ...f, attachments: afterDraftSave(f.attachments, sent, written) } : f));
          setStatus({ kind: "saved", at: new Date() });
        },
        (e: unknown) => {
          // Still to be saved: by the next keystroke, the window's close, and (a connection
          // lost, not a refusal such as a full mailbox, which the same draft would meet again)
          // a retry, unless the fields changed since and a newer save is on its way.
          dirty.current = true;
          setStatus({ kind: "failed" });
          if (current && connectionLost(e))
            retry = setTimeout(() => setRetries((n) => n + 1), AUTOSAVE_RETRY_MS);
        },
      );
    }, AUTOSAVE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
      clearTimeout(retry);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fields, retries]);

  /**
   * Saves `f` after the save on its way, its files named as that save keeps them in the draft it
   * left (afterDraftSave), and notes where it went for the save after it. The form does not see
   * these answers: the window is gone. `carried`: told the files as this save carries them (so
   * mapped), before it is made; a save after it starts from them, as the lastSave it leaves
   * knows only those.
   */
  function saveAfterClose(
    f: ComposeFields,
    carried?: (attachments: DraftAttachment[]) => void,
  ): ReturnType<DraftStore["save"]> {
    const saved = saving.current
      .catch(() => undefined)
      .then(async () => {
        const ref = draftRef.current;
        const last = lastSave.current;
        const now =
          last && last.ref === ref && last.written
            ? { ...f, attachments: afterDraftSave(f.attachments, last.sent, last.written) }
            : f;
        carried?.(now.attachments);
        const where = await drafts.save(toDraft(now).draft, now, ref, localFiles.current);
        if (where) {
          draftRef.current = where.ref;
          lastSave.current = { ref: where.ref, sent: now.attachments, written: where.attachments };
        }
        return where;
      });
    saving.current = saved.catch(() => undefined);
    return saved;
  }

  /**
   * The window closed (or replaced) while files were still uploading: what was written goes to
   * the draft store at once, and again with the files once they are up (the window does not wait
   * for them: it is gone already); a file that did not make it is named in a notice, the draft
   * kept without it, as Gmail and Roundcube keep it. The close's save used to wait for the
   * uploads, which were stopped with the window: neither the text nor the files reached Drafts.
   */
  async function keepOnClose(f: ComposeFields, inFlight: Promise<UploadBatch>[]) {
    // A kept file being uploaded again stays named meanwhile: a draft kept in this browser
    // would drop its bytes, the tab closed before the upload ended.
    const formers = [...formersUploading.current];
    // The form's files as the first save below carried them: mapped through the answer of an
    // autosave on its way (its uploads turned into parts of the draft it left, which the gateway
    // let go once that draft was replaced). The second save starts from these; from the form's
    // own, nothing matched the first save's answer and it named uploads gone, and was refused.
    let formFiles = f.attachments;
    const first =
      dirty.current || formers.length > 0
        ? saveAfterClose({ ...f, attachments: [...f.attachments, ...formers] }, (carried) => {
            formFiles = carried.slice(0, f.attachments.length);
          }).then(
            (where) => where !== null,
            () => false,
          )
        : null;
    dirty.current = false;
    const done = await Promise.all(inFlight);
    const added = done.flatMap((b) => b.added);
    const names = done.flatMap((b) => b.failed).join(", ");
    // Null: nothing new to keep (a window with nothing written whose files all failed).
    let kept = first ? await first : null;
    if (discarded.current || sending.current) return;
    // Once more with the files; also when the first save failed (a retry, as the autosave's).
    if (added.length > 0 || formers.length > 0 || kept === false)
      kept = await saveAfterClose({ ...f, attachments: [...formFiles, ...added] }).then(
        (where) => where !== null,
        () => false,
      );
    if (kept === true) {
      // Drafts holds it: this browser's copy would offer it back as if the tab had closed.
      forgetLocalCopy(writer);
      toast(
        names ? t("compose.keptWithoutFiles", { names }) : t("compose.keptInDrafts"),
        names ? "error" : "info",
      );
    } else if (kept === false)
      toast(
        names
          ? `${t("compose.keptInDraftsFailed")} ${t("compose.filesNotKept", { names })}`
          : t("compose.keptInDraftsFailed"),
        "error",
      );
    else if (names) toast(t("compose.filesNotKept", { names }), "error");
  }
  const keepOnCloseNow = useLatest(keepOnClose);
  // The fields as last rendered, for the window's close.
  const latestFields = useLatest(fields);

  useEffect(
    () => () => {
      // The opening uploads of a window left untouched are not kept: nothing was written.
      const inFlight = [...batches.current].filter((b) => dirty.current || b !== openingBatch.current);
      const f = latestFields.current;
      if (inFlight.length > 0 && f && !discarded.current && !sending.current) {
        void keepOnCloseNow.current(f, inFlight);
        return;
      }
      const saved = saveNow.current();
      // Once the draft store holds what was typed, this browser's copy of it is not needed:
      // it would be offered back on the next page as if the tab had closed mid-sentence.
      if (saved)
        void saved.then(
          (where) => where !== null && forgetLocalCopy(writer),
          () => undefined,
        );
      else if (!dirty.current && draftRef.current !== null && !sending.current) forgetLocalCopy(writer);
      if (replaced.current !== serial) return;
      if (saved)
        saved.then(
          (where) => where !== null && toast(t("compose.keptInDrafts")),
          () => toast(t("compose.keptInDraftsFailed"), "error"),
        );
      else if (draftRef.current !== null && !sending.current) toast(t("compose.keptInDrafts"));
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  const maxBytes = limits.data?.maxMessageBytes ?? null;
  const totalBytes = (fields?.attachments ?? []).reduce((n, a) => n + a.size, 0) * BASE64_OVERHEAD;

  /**
   * Uploads files and attaches them. `formerly`: for a file the draft attached before (its
   * bytes kept in this browser, uploaded again), the attachment as it was, kept when the
   * upload fails so that the draft does not lose it. `pictureIds`: the files that are pictures
   * of the HTML, with their Content-IDs (a forwarded POP3 message's).
   */
  function addFiles(
    files: FileList | File[],
    formerly?: ReadonlyMap<File, DraftAttachment>,
    pictureIds?: ReadonlyMap<File, string>,
    opening = false,
  ): Promise<void> {
    const batch = uploadBatch(Array.from(files), formerly, pictureIds, opening);
    if (opening) openingBatch.current = batch;
    batches.current.add(batch);
    return batch.then(() => {
      batches.current.delete(batch);
    });
  }

  /** addFiles' uploads, one after the other; what a window gone meanwhile still has to keep. */
  async function uploadBatch(
    files: File[],
    formerly?: ReadonlyMap<File, DraftAttachment>,
    pictureIds?: ReadonlyMap<File, string>,
    opening = false,
  ): Promise<UploadBatch> {
    const late: UploadBatch = { added: [], failed: [] };
    const attach = (a: DraftAttachment) => {
      if (gone.current) late.added.push(a);
      else setFields((f) => (f ? { ...f, attachments: [...f.attachments, a] } : f));
    };
    const keepFormer = (file: File) => {
      const former = formerly?.get(file);
      if (former) attach(former);
      else if (gone.current) late.failed.push(file.name);
    };
    for (const file of files) {
      const former = formerly?.get(file);
      if (former) formersUploading.current.add(former);
    }
    // The files of this batch count against the limit as they are taken (the form's total is
    // the one it rendered with: three files of 40 % each all passed).
    let taken = 0;
    for (const file of files) {
      if (discarded.current) break;
      const bytes = file.size * BASE64_OVERHEAD;
      const former = formerly?.get(file);
      if (maxBytes !== null && totalBytes + taken + bytes > maxBytes) {
        if (former) formersUploading.current.delete(former);
        setError(t("compose.tooLarge", { name: file.name, limit: formatBytes(maxBytes, locale) }));
        keepFormer(file);
        continue;
      }
      taken += bytes;
      const contentId = pictureIds?.get(file) ?? former?.contentId;
      const key = `${file.name}-${Date.now()}-${Math.random()}`;
      setUploads((u) => [...u, { key, name: file.name, sent: 0, total: file.size }]);
      try {
        const result = await uploadFile(
          file,
          (sent, total) => setUploads((u) => u.map((x) => (x.key === key ? { ...x, sent, total } : x))),
          abort.current.signal,
        );
        if (former) formersUploading.current.delete(former);
        localFiles.current.set(result.id, file);
        if (!opening) update({});
        attach({
          kind: "upload",
          id: result.id,
          // A forwarded POP3 message's files keep their sender's names, which may be
          // anything: one a draft can carry, or every save and Send is refused.
          filename: safeAttachmentName(file.name) || "attachment",
          contentType: file.type || "application/octet-stream",
          size: result.size,
          ...(contentId !== undefined ? { contentId } : {}),
        });
      } catch (e) {
        if (former) formersUploading.current.delete(former);
        taken -= bytes;
        // Stopped by Discard: nothing to say, nothing to keep.
        if (discarded.current) continue;
        setError(`${file.name}: ${describeError(e, t, { RATE_LIMITED: t("compose.uploadsFull") })}`);
        keepFormer(file);
      } finally {
        setUploads((u) => u.filter((x) => x.key !== key));
      }
    }
    return late;
  }

  // A forward of a message kept only in this browser (POP3): its attachments go up to the
  // gateway now, with the same progress and limits as files the user attaches; a reply's, the
  // pictures its quote shows.
  const forwardedFiles = useRef(
    request.mode !== "new" &&
      request.mode !== "saved" &&
      request.mode !== "draft" &&
      "source" in request &&
      "origin" in request.source
      ? { files: request.source.files, pictureIds: request.source.pictureIds }
      : { files: [] },
  );
  useEffect(() => {
    const { files, pictureIds } = forwardedFiles.current;
    forwardedFiles.current = { files: [] };
    if (files.length > 0) void addFiles(files, undefined, pictureIds, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A draft kept in this browser with its files' bytes (POP3): they go up to the gateway again,
  // which has forgotten them after a sign-out or a restart.
  const keptFiles = useRef(request.mode === "saved" ? keptFilesOf(request.fields, request.files) : null);
  useEffect(() => {
    const kept = keptFiles.current;
    keptFiles.current = null;
    if (kept && kept.size > 0) void addFiles([...kept.keys()], kept);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  /** Sent (or held for Undo): this window's copy in the browser is no longer needed. */
  function forgetCopy() {
    dirty.current = false;
    // A window replaced meanwhile leaves the copy to the one open now, unless it is its own.
    if (gone.current) forgetLocalCopy(writer);
    else localStorage.removeItem(LOCAL_KEY);
  }

  /**
   * Not sent. In the window, the error is shown and nothing is lost. A window replaced while
   * its message was on the way is gone, and its message with it unless kept: in Drafts, or
   * failing that in this browser (offered back when Pismo next opens, beside the open window's
   * copy); the page says which.
   * A connection lost on the way leaves it unknown whether the gateway got the message: the
   * words say it may have gone out, so that it is not sent twice unawares.
   */
  function notSent(e: unknown, sentFields: ComposeFields, draft: Draft) {
    const head = connectionLost(e)
      ? t("compose.maybeSent")
      : t("compose.notSent", { reason: describeError(e, t, { RATE_LIMITED: t("compose.heldFull") }) });
    if (!gone.current) {
      sending.current = false;
      setSendClicked(false);
      return setError(head);
    }
    const copy = { account: account.email, fields: sentFields, savedAt: Date.now(), writer };
    void saving.current
      .then(() => drafts.save(draft, sentFields, draftRef.current, localFiles.current))
      .catch(() => null)
      .then((where) => {
        if (where) {
          // Drafts holds it now: the copy in this browser would offer it back a second time.
          forgetLocalCopy(writer);
          return toast(`${head} ${t("compose.afterKeptInDrafts")}`, "error");
        }
        const here = keepGoneWindowCopy({ ...copy, draftUid: draftRef.current });
        toast(`${head} ${t(here ? "compose.afterKeptHere" : "compose.afterNotKept")}`, "error");
      });
  }

  // The outcome is taken from the request's promise, not from `mutate`'s callbacks, which
  // TanStack Query drops with the window: a window replaced meanwhile (Compose or a reply opened
  // over it) still gets its Undo notice, its sent copy, and its browser copy forgotten; closing
  // it closes nothing else.
  function onSend() {
    // Once: a second Ctrl+Enter or click while the first waits for the autosave sends nothing.
    if (!fields || sending.current) return;
    // The Send button waits for them; Ctrl+Enter did not, and the message went without them.
    if (uploads.length > 0) return setError(t("compose.stillUploading"));
    const { draft, invalid } = toDraft(fields);
    if (invalid.length) return setError(t("compose.invalidAddresses", { list: invalid.join(", ") }));
    if (draft.to.length + draft.cc.length + draft.bcc.length === 0)
      return setError(t("compose.noRecipients"));
    setError(null);
    sending.current = true;
    setSendClicked(true);
    const clicked = fields;
    // A save on its way (the autosave) is waited for: it replaces the draft these fields name
    // and takes their files into the new one, so the message goes from what it left. Sent at
    // once, the new draft stayed in Drafts beside the sent message, and files still named in
    // the draft it replaced were gone.
    void saving.current.then(() => {
      const ref = draftRef.current;
      const last = lastSave.current;
      sendSaved(
        last && last.ref === ref && last.written
          ? { ...clicked, attachments: afterDraftSave(clicked.attachments, last.sent, last.written) }
          : clicked,
        ref,
      );
    });
  }

  function sendSaved(sentFields: ComposeFields, ref: DraftRef | null) {
    const { draft } = toDraft(sentFields);
    const recipients = [...draft.to, ...draft.cc, ...draft.bcc];
    // Undo send: the gateway holds the message for the user's delay; the notice takes over.
    const delaySeconds = readUndoSendSeconds();
    if (delaySeconds > 0 && holdSend) {
      // Named here, before it is asked for: if the connection drops before the answer, the
      // notice can still ask the gateway what became of this send, and take it back.
      const id = randomId();
      const toNotice = (unconfirmed: boolean) => {
        forgetCopy();
        rememberRecipients(recipients);
        const saved = saving.current;
        holdSend({
          id,
          sendAt: Date.now() + delaySeconds * 1000,
          account: account.email,
          fields: sentFields,
          draftRef: draftRef.current,
          composeId,
          ...(unconfirmed ? { unconfirmed } : {}),
          afterSend: (result) => saved.then(() => drafts.afterSend(result, draftRef.current)),
        });
        close();
      };
      sendLater
        .mutateAsync({
          id,
          draft,
          draftUid: drafts.serverDraftUid(ref),
          answering: sentFields.answering,
          delaySeconds,
        })
        .then(
          () => toNotice(false),
          // The answer was lost with the connection, not refused: the gateway may hold it.
          (e: unknown) => (connectionLost(e) ? toNotice(true) : notSent(e, sentFields, draft)),
        );
      return;
    }
    // At once, but named like a held send: a connection lost on the way does not leave it unknown.
    const id = randomId();
    send
      .mutateAsync({ id, draft, draftUid: drafts.serverDraftUid(ref), answering: sentFields.answering })
      .then(
        (result) => {
          forgetCopy();
          rememberRecipients(recipients);
          void saving.current
            .then(() => drafts.afterSend(result, draftRef.current))
            // The gateway keeps a POP3 account's sent message until the browser has filed it.
            .then(() => client.compose.ackSent.mutate({ id }).catch(() => undefined))
            .catch(() => toast(t("compose.sentCopyFailed"), "error"));
          afterSent(result, toast, t, qc, trpc);
          close();
        },
        // In the window, the draft stays open and saved: nothing the user wrote is lost.
        (e: unknown) => notSent(e, sentFields, draft),
      );
  }

  /**
   * Discard, with Undo: the window closes and the draft goes at once (from Drafts, or from this
   * browser). Undo (the notice, or `z`) opens the message again as it was, as a new draft. A
   * saved IMAP draft holding files (its attachments point into it) goes to Trash instead, so
   * that Undo moves it back and the files come back with it; should that fail (Trash emptied
   * meanwhile), the message comes back without them and the notice says so. A save still on
   * its way is waited for: the draft it leaves, with the files it took in, is the one discarded.
   */
  function onDiscard() {
    dirty.current = false;
    discarded.current = true;
    abort.current.abort();
    localStorage.removeItem(LOCAL_KEY);
    const kept = fields;
    const gone = saving.current.then(async () => {
      const ref = draftRef.current;
      const last = lastSave.current;
      const attachments =
        kept && last?.ref === ref && last.written
          ? afterDraftSave(kept.attachments, last.sent, last.written)
          : (kept?.attachments ?? []);
      const inDraft = (a: DraftAttachment): a is Extract<DraftAttachment, { kind: "forward" }> =>
        a.kind === "forward" && typeof ref === "number" && a.uid === ref;
      const own = attachments.find(inDraft);
      const trashed =
        typeof ref === "number" && own && drafts.discardUndoably
          ? await drafts.discardUndoably(ref, own.folder).catch(() => null)
          : null;
      // Not to Trash (no files of its own, or the move was refused): gone for good. So is the
      // last copy this window saved, which the page may not know of (an autosave whose answer
      // the connection lost: the page still names the copy before, or none): the gateway knows
      // it by the window's composeId.
      if (!trashed && (ref !== null || saveTried.current))
        await drafts.discard(ref, composeId).catch(() => undefined);
      return { attachments, inDraft, trashed };
    });
    close();
    if (!kept) return;
    undo.done(t("compose.discarded"), async () => {
      const { attachments, inDraft, trashed } = await gone;
      const restored = trashed && (await trashed.restore().catch(() => null));
      if (restored) {
        // Back in Drafts under a new UID: its files are its parts again, and saving replaces it.
        const back = attachments.map((a) => (inDraft(a) ? { ...a, uid: restored } : a));
        openCompose({ mode: "saved", ref: restored, fields: { ...kept, attachments: back } });
        return;
      }
      const left = attachments.filter((a) => !inDraft(a));
      openCompose({ mode: "saved", ref: null, fields: { ...kept, attachments: left } });
      if (left.length < attachments.length) toast(t("compose.discardedFiles"), "error");
    });
  }

  return {
    fields,
    update,
    loadedText,
    switchRich,
    status,
    draftsLocal: drafts.local,
    templates: drafts.templates,
    error,
    uploads,
    addFiles,
    sending: sendClicked || send.isPending || sendLater.isPending,
    onSend,
    onDiscard,
    close,
    identities: identities.settings.identities,
    signaturePlacement: identities.settings.signaturePlacement,
  };
}
