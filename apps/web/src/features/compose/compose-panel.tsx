"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Draft } from "@pismo/protocol/compose";
import type { Account, Address, ListWindow } from "@pismo/protocol/schemas";
import { formatBytes } from "@pismo/protocol/format";
import { buttonClass } from "@/components/ui/dialog";
import { PaperclipIcon } from "@/components/ui/icons";
import { useToast } from "@/components/ui/toast";
import { localeOf } from "@/i18n";
import { describeError } from "@/lib/errors";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { useCompose, type ComposeRequest } from "./compose-context";
import type { DraftRef, DraftStore } from "./draft-store";
import { fieldsFromDraft, initialFields, sourceOfDetail, type ComposeFields } from "./initial-draft";
import { RecipientField, recipientsOf } from "./recipient-field";
import { RichEditor } from "./rich-editor";
import { uploadFile } from "./upload";

const LOCAL_KEY = "pismo.compose";
const AUTOSAVE_MS = 2500;
/** Base64 makes an attachment about 4/3 larger on the wire (RFC 2045 §6.8). */
const BASE64_OVERHEAD = 1.37;

interface Uploading {
  key: string;
  name: string;
  sent: number;
  total: number;
}

/** What survives a closed tab: the fields, and where the draft is kept. */
interface LocalCopy {
  account: string;
  fields: ComposeFields;
  draftUid: DraftRef | null;
  savedAt: number;
}

export function readLocalCopy(account: string): LocalCopy | null {
  try {
    const copy = JSON.parse(localStorage.getItem(LOCAL_KEY) ?? "null") as LocalCopy | null;
    return copy && copy.account === account ? copy : null;
  } catch {
    return null;
  }
}

/**
 * The compose window: a panel that leaves the message list and the open message in place.
 * `drafts` says where drafts and the sent copy are kept; by default on the IMAP server.
 */
export function ComposePanel({ account, drafts }: { account: Account; drafts?: DraftStore }) {
  const { request, serial } = useCompose();
  if (!request) return null;
  return <ComposeForm key={serial} account={account} request={request} drafts={drafts} />;
}

/** IMAP: drafts in the server's \\Drafts folder, the sent copy appended to \\Sent by the gateway. */
function useServerDraftStore(): DraftStore {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  return useMemo<DraftStore>(
    () => ({
      local: false,
      async save(draft, _fields, ref) {
        const saved = await client.compose.saveDraft.mutate({
          draft,
          replaceUid: typeof ref === "number" ? ref : null,
        });
        if (!saved) return null;
        void qc.invalidateQueries(trpc.imap.list.queryFilter({ folder: saved.folder }));
        return { ref: saved.uid, attachments: saved.attachments };
      },
      async discard(ref) {
        try {
          if (typeof ref === "number") await client.compose.discardDraft.mutate({ uid: ref });
        } finally {
          void qc.invalidateQueries(trpc.imap.list.pathFilter());
        }
      },
      serverDraftUid: (ref) => (typeof ref === "number" ? ref : null),
      afterSend: () => Promise.resolve(),
    }),
    [trpc, client, qc],
  );
}

function useRecentAddresses(): Address[] {
  const qc = useQueryClient();
  const trpc = useTRPC();
  const seen = new Map<string, Address>();
  for (const [, window] of qc.getQueriesData<ListWindow>(trpc.imap.list.pathFilter())) {
    for (const m of window?.messages ?? []) {
      for (const a of [m.from, ...m.to])
        if (a?.address && !seen.has(a.address.toLowerCase())) seen.set(a.address.toLowerCase(), a);
      if (seen.size > 200) break;
    }
  }
  try {
    for (const a of JSON.parse(localStorage.getItem("pismo.recipients") ?? "[]") as Address[])
      seen.set(a.address.toLowerCase(), a);
  } catch {
    /* a damaged list only loses suggestions */
  }
  return [...seen.values()];
}

function rememberRecipients(list: Address[]) {
  try {
    const old = JSON.parse(localStorage.getItem("pismo.recipients") ?? "[]") as Address[];
    const merged = [
      ...list,
      ...old.filter((a) => !list.some((b) => b.address.toLowerCase() === a.address.toLowerCase())),
    ].slice(0, 200);
    localStorage.setItem("pismo.recipients", JSON.stringify(merged));
  } catch {
    /* suggestions only */
  }
}

function ComposeForm({
  account,
  request,
  drafts: given,
}: {
  account: Account;
  request: ComposeRequest;
  drafts: DraftStore | undefined;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const { close } = useCompose();
  const suggestions = useRecentAddresses();
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

  const [fields, setFields] = useState<ComposeFields | null>(() => {
    if (request.mode === "draft") return null;
    if (request.mode === "saved") return request.fields;
    if (request.mode === "new") return initialFields("new", null, account.email, t, locale, request.to ?? "");
    return initialFields(
      request.mode,
      "origin" in request.source ? request.source : sourceOfDetail(request.source),
      account.email,
      t,
      locale,
    );
  });
  const [draftUid, setDraftUid] = useState<DraftRef | null>(
    request.mode === "draft" ? request.uid : request.mode === "saved" ? request.ref : null,
  );
  // The latest draft location and the autosave in flight: sending or discarding waits for it,
  // so a save that lands late does not leave a stale draft behind.
  const draftRef = useRef(draftUid);
  const saving = useRef<Promise<unknown>>(Promise.resolve());
  const [showCc, setShowCc] = useState(false);
  const [uploads, setUploads] = useState<Uploading[]>([]);
  const [status, setStatus] = useState<{ kind: "idle" | "saving" | "saved" | "failed"; at?: Date }>({
    kind: "idle",
  });
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const dirty = useRef(false);
  const abort = useRef(new AbortController());
  const fileInput = useRef<HTMLInputElement>(null);

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
          bcc: [],
          subject: d.subject,
          text: isHtml ? "" : d.body.content,
          html: isHtml ? d.body.content : null,
          inReplyTo: d.inReplyTo,
          references: d.references,
          attachments: d.attachments.map((a) => ({
            kind: "forward" as const,
            folder: d.folder,
            uid: d.uid,
            part: a.part,
            filename: a.filename || `attachment-${a.part}`,
            contentType: a.mimeType,
            size: a.size,
          })),
        },
        isHtml,
      ),
    });
  }, [draftSource.data, request, fields]);

  const send = useMutation(trpc.compose.send.mutationOptions());

  const toDraft = (f: ComposeFields): { draft: Draft; invalid: string[] } => {
    const to = recipientsOf(f.to),
      cc = recipientsOf(f.cc),
      bcc = recipientsOf(f.bcc);
    return {
      draft: {
        to: to.valid,
        cc: cc.valid,
        bcc: bcc.valid,
        subject: f.subject,
        text: f.text,
        html: f.rich ? f.html : null,
        inReplyTo: f.inReplyTo,
        references: f.references,
        attachments: f.attachments,
      },
      invalid: [...to.invalid, ...cc.invalid, ...bcc.invalid],
    };
  };

  const update = (patch: Partial<ComposeFields>) => {
    dirty.current = true;
    setFields((f) => (f ? { ...f, ...patch } : f));
  };

  // Drafts are never lost: kept in this browser at once, and on the server a moment later.
  useEffect(() => {
    if (!fields || !dirty.current) return;
    localStorage.setItem(
      LOCAL_KEY,
      JSON.stringify({ account: account.email, fields, draftUid, savedAt: Date.now() } satisfies LocalCopy),
    );
    const timer = setTimeout(() => {
      if (uploads.length > 0 || send.isPending) return;
      dirty.current = false;
      setStatus({ kind: "saving" });
      saving.current = drafts.save(toDraft(fields).draft, fields, draftRef.current).then(
        (saved) => {
          if (!saved) return setStatus({ kind: "idle" });
          draftRef.current = saved.ref;
          setDraftUid(saved.ref);
          const attachments = saved.attachments;
          if (attachments) setFields((f) => (f ? { ...f, attachments } : f));
          setStatus({ kind: "saved", at: new Date() });
        },
        () => setStatus({ kind: "failed" }),
      );
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fields]);

  useEffect(() => () => abort.current.abort(), []);

  const maxBytes = limits.data?.maxMessageBytes ?? null;
  const totalBytes = (fields?.attachments ?? []).reduce((n, a) => n + a.size, 0) * BASE64_OVERHEAD;

  async function addFiles(files: FileList | File[]) {
    for (const file of Array.from(files)) {
      if (maxBytes !== null && totalBytes + file.size * BASE64_OVERHEAD > maxBytes) {
        setError(t("compose.tooLarge", { name: file.name, limit: formatBytes(maxBytes, locale) }));
        continue;
      }
      const key = `${file.name}-${Date.now()}-${Math.random()}`;
      setUploads((u) => [...u, { key, name: file.name, sent: 0, total: file.size }]);
      try {
        const result = await uploadFile(
          file,
          (sent, total) => setUploads((u) => u.map((x) => (x.key === key ? { ...x, sent, total } : x))),
          abort.current.signal,
        );
        update({});
        setFields((f) =>
          f
            ? {
                ...f,
                attachments: [
                  ...f.attachments,
                  {
                    kind: "upload",
                    id: result.id,
                    filename: file.name,
                    contentType: file.type || "application/octet-stream",
                    size: result.size,
                  },
                ],
              }
            : f,
        );
      } catch (e) {
        setError(`${file.name}: ${describeError(e, t)}`);
      } finally {
        setUploads((u) => u.filter((x) => x.key !== key));
      }
    }
  }

  // A forward of a message kept only in this browser (POP3): its attachments go up to the
  // gateway now, with the same progress and limits as files the user attaches.
  const forwardedFiles = useRef(
    request.mode === "forward" && "origin" in request.source ? request.source.files : [],
  );
  useEffect(() => {
    const files = forwardedFiles.current;
    forwardedFiles.current = [];
    if (files.length > 0) void addFiles(files);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function onSend() {
    if (!fields) return;
    const { draft, invalid } = toDraft(fields);
    if (invalid.length) return setError(t("compose.invalidAddresses", { list: invalid.join(", ") }));
    if (draft.to.length + draft.cc.length + draft.bcc.length === 0)
      return setError(t("compose.noRecipients"));
    setError(null);
    send.mutate(
      { draft, draftUid: drafts.serverDraftUid(draftUid), answering: fields.answering },
      {
        onSuccess: (result) => {
          rememberRecipients([...draft.to, ...draft.cc, ...draft.bcc]);
          localStorage.removeItem(LOCAL_KEY);
          void saving.current
            .then(() => drafts.afterSend(result, draftRef.current))
            .catch(() => toast(t("compose.sentCopyFailed"), "error"));
          if (result.rejected.length)
            toast(t("compose.partlyRejected", { list: result.rejected.join(", ") }), "error");
          else toast(t("compose.sent"));
          void qc.invalidateQueries(trpc.imap.list.pathFilter());
          void qc.invalidateQueries(trpc.imap.conversations.pathFilter());
          void qc.invalidateQueries(trpc.imap.folders.queryFilter());
          close();
        },
        // The draft stays open and saved: nothing the user wrote is lost.
        onError: (e) => setError(describeError(e, t)),
      },
    );
  }

  function onDiscard() {
    localStorage.removeItem(LOCAL_KEY);
    void saving.current
      .then(() => (draftRef.current !== null ? drafts.discard(draftRef.current) : undefined))
      .catch(() => undefined);
    close();
  }

  const title =
    request.mode === "reply" || request.mode === "replyAll"
      ? t("compose.replyTitle")
      : request.mode === "forward"
        ? t("compose.forwardTitle")
        : t("compose.title");
  const onDrop = (e: DragEvent) => {
    if (!e.dataTransfer.files.length) return;
    e.preventDefault();
    setDragging(false);
    void addFiles(e.dataTransfer.files);
  };

  return (
    <section
      role="dialog"
      aria-modal="false"
      aria-label={title}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes("Files")) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      className="fixed inset-0 z-40 flex flex-col bg-white shadow-2xl md:inset-auto md:right-4 md:bottom-0 md:h-[min(42rem,calc(100dvh-4rem))] md:w-[min(40rem,calc(100vw-2rem))] md:rounded-t-xl md:border md:border-slate-300 dark:bg-slate-900 dark:md:border-slate-700"
    >
      <header className="flex items-center gap-2 rounded-t-xl bg-slate-800 px-3 py-2 text-sm text-white dark:bg-slate-950">
        <h2 className="flex-1 truncate font-medium">{fields?.subject || title}</h2>
        <span className="text-xs text-slate-300" aria-live="polite">
          {status.kind === "saving"
            ? t("compose.draftSaving")
            : status.kind === "saved" && status.at
              ? t("compose.draftSaved", {
                  time: status.at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }),
                })
              : status.kind === "failed"
                ? t(drafts.local ? "compose.draftFailedLocal" : "compose.draftFailed")
                : ""}
        </span>
        <button
          type="button"
          className="rounded px-2 hover:bg-white/10"
          aria-label={t("compose.close")}
          onClick={close}
        >
          ✕
        </button>
      </header>
      {!fields ? (
        <p className="p-4 text-sm text-slate-500">{t("mail.loading")}</p>
      ) : (
        <form
          className="flex min-h-0 flex-1 flex-col"
          onSubmit={(e) => {
            e.preventDefault();
            onSend();
          }}
        >
          <div className="relative">
            <RecipientField
              label={t("compose.to")}
              value={fields.to}
              onChange={(to) => update({ to })}
              suggestions={suggestions}
              autoFocus={request.mode === "new" || request.mode === "forward"}
            />
            {!showCc && !fields.cc && !fields.bcc && (
              <button
                type="button"
                className="absolute top-2 right-10 bg-white px-1 text-xs dark:bg-slate-900 text-slate-500 hover:underline"
                onClick={() => setShowCc(true)}
              >
                {t("compose.showCcBcc")}
              </button>
            )}
          </div>
          {(showCc || fields.cc || fields.bcc) && (
            <>
              <RecipientField
                label={t("compose.cc")}
                value={fields.cc}
                onChange={(cc) => update({ cc })}
                suggestions={suggestions}
              />
              <RecipientField
                label={t("compose.bcc")}
                value={fields.bcc}
                onChange={(bcc) => update({ bcc })}
                suggestions={suggestions}
              />
            </>
          )}
          <div className="flex items-center gap-2 border-b border-slate-200 px-3 dark:border-slate-700">
            <label htmlFor="compose-subject" className="w-16 shrink-0 text-sm text-slate-500">
              {t("compose.subject")}
            </label>
            <input
              id="compose-subject"
              value={fields.subject}
              onChange={(e) => update({ subject: e.target.value })}
              className="min-w-0 flex-1 bg-transparent py-2 text-sm outline-none"
            />
          </div>
          {fields.rich ? (
            <RichEditor
              initialHtml={fields.html}
              label={t("compose.richText")}
              onChange={(html, text) => update({ html, text })}
            />
          ) : (
            <textarea
              aria-label={t("compose.body")}
              value={fields.text}
              onChange={(e) => update({ text: e.target.value })}
              className="min-h-40 flex-1 resize-none bg-transparent px-3 py-2 font-mono text-sm outline-none"
            />
          )}
          {(fields.attachments.length > 0 || uploads.length > 0) && (
            <ul
              aria-label={t("mail.attachments")}
              className="flex max-h-32 flex-wrap gap-2 overflow-y-auto border-t border-slate-200 px-3 py-2 dark:border-slate-700"
            >
              {fields.attachments.map((a, i) => (
                <li
                  key={`${a.kind}-${a.kind === "upload" ? a.id : a.part}-${i}`}
                  className="flex items-center gap-1.5 rounded-lg border border-slate-200 px-2 py-1 text-xs dark:border-slate-700"
                >
                  <PaperclipIcon />
                  <span className="max-w-48 truncate">{a.filename}</span>
                  <span className="text-slate-500">{formatBytes(a.size, locale)}</span>
                  <button
                    type="button"
                    aria-label={t("compose.removeAttachment", { name: a.filename })}
                    className="px-1 text-slate-500 hover:text-red-600"
                    onClick={() => update({ attachments: fields.attachments.filter((_, j) => j !== i) })}
                  >
                    ✕
                  </button>
                </li>
              ))}
              {uploads.map((u) => (
                <li
                  key={u.key}
                  className="flex items-center gap-2 rounded-lg border border-slate-200 px-2 py-1 text-xs dark:border-slate-700"
                >
                  <span className="max-w-40 truncate">{u.name}</span>
                  <progress
                    aria-label={t("compose.uploading", { name: u.name })}
                    max={u.total}
                    value={u.sent}
                    className="h-1.5 w-24"
                  />
                </li>
              ))}
            </ul>
          )}
          {dragging && (
            <div className="pointer-events-none absolute inset-0 flex items-center justify-center rounded-xl border-2 border-dashed border-accent bg-accent/10 text-sm font-medium text-accent">
              {t("compose.dropHere")}
            </div>
          )}
          {error && (
            <p
              role="alert"
              className="border-t border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
            >
              {error}
            </p>
          )}
          <footer className="flex flex-wrap items-center gap-2 border-t border-slate-200 px-3 py-2 dark:border-slate-700">
            <button
              type="submit"
              className={buttonClass.primary}
              disabled={send.isPending || uploads.length > 0}
            >
              {send.isPending ? t("compose.sending") : t("compose.send")}
            </button>
            <input
              ref={fileInput}
              type="file"
              multiple
              hidden
              onChange={(e) => {
                if (e.target.files) void addFiles(e.target.files);
                e.target.value = "";
              }}
            />
            <button type="button" className={buttonClass.ghost} onClick={() => fileInput.current?.click()}>
              <span className="flex items-center gap-1">
                <PaperclipIcon /> {t("compose.attach")}
              </span>
            </button>
            <button
              type="button"
              className={buttonClass.ghost}
              onClick={() => update({ rich: !fields.rich })}
            >
              {fields.rich ? t("compose.plainText") : t("compose.richText")}
            </button>
            <span className="flex-1" />
            <button type="button" className={buttonClass.ghost} onClick={onDiscard}>
              {t("compose.discard")}
            </button>
          </footer>
        </form>
      )}
    </section>
  );
}
