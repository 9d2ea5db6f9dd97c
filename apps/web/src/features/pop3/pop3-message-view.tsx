"use client";

import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { LocalFolder } from "@pismo/protocol/filters";
import { formatBytes, formatFullDate } from "@pismo/protocol/format";
import { extractPart, parseMessage, type MessageView } from "@pismo/protocol/mime";
import { buttonClass } from "@/components/ui/dialog";
import { PaperclipIcon } from "@/components/ui/icons";
import { useToast } from "@/components/ui/toast";
import { Person } from "@/features/shared/person";
import { localeOf } from "@/i18n";
import { errorCodeOf } from "@/lib/errors";
import { useTRPCClient } from "@/trpc/client";
import { useCompose } from "../compose/compose-context";
import { MessageBody, type InlinePart } from "../shared/message-body";
import { downloadBlob } from "./download";
import { emlFileName } from "./mbox";
import { folderName } from "./pop3-folders";
import { DRAFTS, TRASH, type Pop3Store } from "./pop3-store";
import { base64ToBytes } from "@/lib/base64";
import { useLive } from "./use-live";

function toDataUrl(bytes: Uint8Array, mimeType: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(new Blob([bytes as BlobPart], { type: mimeType }));
  });
}

/** One stored message, read from IndexedDB and parsed here: no server needed (seed point 1). */
export function Pop3MessageView({
  store,
  uid,
  folders,
  onClose,
  onDeleted,
}: {
  store: Pop3Store;
  uid: string;
  folders: readonly LocalFolder[];
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const toast = useToast();
  const client = useTRPCClient();
  const meta = useLive(async () => (await store.get(uid)) ?? null, [store, uid]);
  const raw = useLive(() => store.raw(uid), [store, uid]);
  const [view, setView] = useState<{ raw: Uint8Array; view: MessageView } | null>(null);
  const [fetching, setFetching] = useState(false);
  const [preparing, setPreparing] = useState(false);
  const compose = useCompose();

  useEffect(() => {
    if (!raw) return;
    let cancelled = false;
    void parseMessage(raw).then((v) => {
      if (!cancelled) setView({ raw, view: v });
    });
    return () => {
      cancelled = true;
    };
  }, [raw]);

  // Opening marks it read, here only: POP3 has no read state on the server (seed point 3).
  useEffect(() => {
    if (meta && !meta.seen) void store.setSeen([uid], true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [meta?.uid]);

  const m = view?.raw === raw ? view?.view : undefined;
  const inline: InlinePart[] = useMemo(() => {
    if (!m || !raw) return [];
    return m.attachments
      .filter((a) => a.contentId && a.mimeType.startsWith("image/"))
      .map((a) => ({
        contentId: a.contentId ?? "",
        load: async () => {
          const part = await extractPart(raw, a.id);
          if (!part) throw new Error("missing part");
          return toDataUrl(part.bytes, part.mimeType);
        },
      }));
  }, [m, raw]);

  if (meta === undefined) return <p className="p-6 text-sm text-slate-500">{t("mail.loading")}</p>;
  if (meta === null || meta.deletedLocally)
    return <p className="p-6 text-sm text-slate-500">{t("mail.noSelection")}</p>;

  const targets = [
    { id: "inbox", name: t("special.inbox") },
    ...folders,
    { id: TRASH, name: t("special.trash") },
  ].filter((f) => f.id !== meta.folderId);
  const body = m
    ? m.html !== null
      ? { kind: "html" as const, content: m.html }
      : m.text !== null
        ? { kind: "text" as const, content: m.text }
        : { kind: "none" as const, content: "" }
    : null;
  const attachments = m
    ? m.attachments.filter(
        (a) =>
          !(
            a.disposition === "inline" &&
            a.contentId &&
            body?.kind === "html" &&
            body.content.includes(`cid:${a.contentId}`)
          ),
      )
    : [];

  const fetchFull = async () => {
    setFetching(true);
    try {
      const full = await client.pop3.fetchFull.mutate({ uid });
      await store.completeMessage(uid, base64ToBytes(full.raw));
    } catch (error) {
      const code = errorCodeOf(error);
      toast(code === "NOT_FOUND" ? t("pop3.fullGone") : t(`errors.${code}`), "error");
    } finally {
      setFetching(false);
    }
  };

  /**
   * Reply, reply all, forward: the source is this browser's copy. A forward's attachments
   * are read out of the stored bytes here and uploaded when the compose panel opens (the
   * gateway has no copy of a POP3 message to stream them from).
   */
  const answer = async (mode: "reply" | "replyAll" | "forward") => {
    if (!m || !raw || !body) return;
    setPreparing(true);
    try {
      const files: File[] = [];
      if (mode === "forward") {
        for (const a of attachments) {
          const part = await extractPart(raw, a.id);
          if (part)
            files.push(
              new File([part.bytes as BlobPart], part.filename || a.filename || `attachment-${a.id}`, {
                type: part.mimeType,
              }),
            );
        }
      }
      compose.open({
        mode,
        source: {
          origin: "local",
          messageId: m.messageId,
          // RFC 5322 §3.6.4: without References, the parent's In-Reply-To starts the thread.
          references: m.references.length > 0 ? m.references : m.inReplyTo ? [m.inReplyTo] : [],
          subject: m.subject ?? "",
          from: m.from,
          replyTo: m.replyTo,
          to: m.to,
          cc: m.cc,
          date: m.date,
          body,
          attachments: [],
          files,
          answering: null,
        },
      });
    } finally {
      setPreparing(false);
    }
  };

  const saveAttachment = async (id: string, fallbackName: string) => {
    if (!raw) return;
    const part = await extractPart(raw, id);
    if (part) downloadBlob([part.bytes as BlobPart], part.mimeType, part.filename ?? fallbackName);
  };

  return (
    <article aria-label={t("mail.message")} className="flex min-h-0 flex-1 flex-col">
      <div className="flex flex-wrap items-center gap-1 border-b border-slate-200 px-2 py-1.5 dark:border-slate-800">
        <button type="button" className={`${buttonClass.ghost} md:hidden`} onClick={onClose}>
          ← {t("mail.back")}
        </button>
        {meta.folderId !== DRAFTS && (
          <>
            <button
              type="button"
              className={buttonClass.ghost}
              disabled={!m || preparing}
              onClick={() => void answer("reply")}
            >
              {t("mail.reply")}
            </button>
            <button
              type="button"
              className={buttonClass.ghost}
              disabled={!m || preparing}
              onClick={() => void answer("replyAll")}
            >
              {t("mail.replyAll")}
            </button>
            <button
              type="button"
              className={buttonClass.ghost}
              disabled={!m || preparing || meta.headersOnly}
              onClick={() => void answer("forward")}
            >
              {t("mail.forward")}
            </button>
          </>
        )}
        {meta.seen ? (
          <button
            type="button"
            className={buttonClass.ghost}
            onClick={() => void store.setSeen([uid], false)}
          >
            {t("mail.markUnread")}
          </button>
        ) : (
          <button type="button" className={buttonClass.ghost} onClick={() => void store.setSeen([uid], true)}>
            {t("mail.markRead")}
          </button>
        )}
        <button
          type="button"
          className={buttonClass.ghost}
          aria-pressed={meta.flagged}
          onClick={() => void store.setFlagged([uid], !meta.flagged)}
        >
          {meta.flagged ? t("mail.unflag") : t("mail.flag")}
        </button>
        <button
          type="button"
          className={buttonClass.ghost}
          onClick={() => {
            void store.remove([uid]);
            onDeleted();
          }}
        >
          {meta.folderId === TRASH ? t("mail.deleteForever") : t("mail.delete")}
        </button>
        <select
          aria-label={t("mail.moveTo")}
          value=""
          onChange={(e) => {
            const to = targets.find((f) => f.id === e.target.value);
            if (to) {
              void store.move([uid], to.id);
              toast(t("mail.moved", { count: 1, folder: folderName(to.id, folders, t) }));
              onDeleted();
            }
          }}
          className="rounded-md border border-transparent bg-transparent px-1 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
        >
          <option value="">{t("mail.moveTo")}</option>
          {targets.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className={buttonClass.ghost}
          disabled={!raw}
          onClick={() => {
            if (raw) downloadBlob([raw as BlobPart], "message/rfc822", emlFileName(meta.subject, uid));
          }}
        >
          {t("pop3.exportEml")}
        </button>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        <header className="space-y-1 border-b border-slate-200 px-4 py-3 text-sm dark:border-slate-800">
          <h2 className="text-lg font-semibold leading-snug">{meta.subject || t("mail.noSubject")}</h2>
          <div>
            <span className="text-slate-500">{t("mail.from")}: </span>
            {m?.from ? <Person a={m.from} /> : meta.from || t("mail.unknownSender")}
          </div>
          {m && m.to.length > 0 && (
            <div>
              <span className="text-slate-500">{t("mail.to")}: </span>
              {m.to.map((a, i) => (
                <span key={i}>
                  {i > 0 && ", "}
                  <Person a={a} />
                </span>
              ))}
            </div>
          )}
          {m && m.cc.length > 0 && (
            <div>
              <span className="text-slate-500">{t("mail.cc")}: </span>
              {m.cc.map((a, i) => (
                <span key={i}>
                  {i > 0 && ", "}
                  <Person a={a} />
                </span>
              ))}
            </div>
          )}
          <div className="text-slate-500">
            <time dateTime={meta.date ?? undefined}>{formatFullDate(meta.date, locale)}</time>
          </div>
        </header>
        {meta.headersOnly && (
          <div
            role="note"
            className="flex flex-wrap items-center gap-2 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
          >
            <span className="flex-1">
              {t("pop3.headersOnlyNote", { size: formatBytes(meta.size, locale) })}
            </span>
            <button
              type="button"
              className={buttonClass.secondary}
              disabled={fetching}
              onClick={() => void fetchFull()}
            >
              {fetching ? t("pop3.fetchingFull") : t("pop3.fetchFull")}
            </button>
          </div>
        )}
        {m?.notes.some((n) => n.code === "UNKNOWN_CHARSET" || n.code === "CHARSET_GUESSED") && (
          <p
            role="note"
            className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-xs text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
          >
            {t("mail.charsetNote", { detail: m.notes.map((n) => n.detail).join(" ") })}
          </p>
        )}
        {m?.notes.some((n) => n.code === "TRUNCATED_BODY") && (
          <p role="note" className="border-b border-slate-200 px-4 py-2 text-xs text-slate-600">
            {t("mail.truncated")}
          </p>
        )}
        {attachments.length > 0 && (
          <section
            aria-label={t("mail.attachments")}
            className="flex flex-wrap gap-2 border-b border-slate-200 px-4 py-2 dark:border-slate-800"
          >
            {attachments.map((a) => (
              <button
                key={a.id}
                type="button"
                onClick={() => void saveAttachment(a.id, a.filename ?? `part-${a.id}`)}
                className="flex max-w-full items-center gap-2 rounded-lg border border-slate-200 px-2.5 py-1.5 text-xs hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800"
              >
                <PaperclipIcon />
                <span className="truncate font-medium">{a.filename || a.mimeType}</span>
                <span className="shrink-0 text-slate-500">{formatBytes(a.size, locale)}</span>
              </button>
            ))}
          </section>
        )}
        {raw === null && !meta.headersOnly && (
          <p className="p-4 text-sm text-slate-500">{t("pop3.noBodyHere")}</p>
        )}
        {body && !meta.headersOnly && (
          <MessageBody
            key={uid}
            kind={body.kind}
            content={body.content}
            sender={m?.from?.address}
            inline={inline}
          />
        )}
        {!m && raw && <p className="p-4 text-sm text-slate-500">{t("mail.loading")}</p>}
      </div>
    </article>
  );
}
