"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Folder } from "@pismo/protocol/schemas";
import { formatBytes, formatFullDate } from "@pismo/protocol/format";
import { buttonClass } from "@/components/ui/dialog";
import { EyeIcon, PaperclipIcon } from "@/components/ui/icons";
import { Person } from "@/features/shared/person";
import { localeOf } from "@/i18n";
import { errorCodeOf } from "@/lib/errors";
import { gatewayHttpUrl, useTRPC } from "@/trpc/client";
import { folderLabel } from "./folder-label";
import { useImapActions } from "./use-imap-actions";
import { useCompose } from "../compose/compose-context";
import { MessageBody, type InlinePart } from "../shared/message-body";
// Parsing an attached message needs the MIME parser: loaded only when one is opened.
const AttachedMessage = lazy(() =>
  import("./attached-message").then((m) => ({ default: m.AttachedMessage })),
);

function partUrl(folder: string, uid: number, part: string, inline = false): string {
  const q = new URLSearchParams({ folder, uid: String(uid), part, ...(inline ? { inline: "1" } : {}) });
  return gatewayHttpUrl(`/api/part?${q.toString()}`);
}

async function asDataUrl(url: string): Promise<string> {
  const res = await fetch(url, { credentials: "include" });
  if (!res.ok) throw new Error(String(res.status));
  const blob = await res.blob();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

export function ImapMessageView({
  folder,
  uid,
  neighbours,
  folders,
  onClose,
}: {
  folder: string;
  uid: number;
  neighbours: { prev: number | null; next: number | null };
  folders: Folder[];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const trpc = useTRPC();
  const qc = useQueryClient();
  const actions = useImapActions();
  const compose = useCompose();
  const [attached, setAttached] = useState<{ url: string; name: string } | null>(null);
  const detail = useQuery({
    ...trpc.imap.open.queryOptions({ folder, uid, peek: true }),
    staleTime: 10 * 60_000,
  });
  const m = detail.data;

  // Seed point 8: opening marks it read on the server, so on every device. Once per opening:
  // if another device marks it unread while it is open here, that choice stands.
  const markedRead = useRef(false);
  useEffect(() => {
    if (!m || markedRead.current) return;
    markedRead.current = true;
    if (!m.seen) actions.setSeen(folder, [uid], true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [m?.uid, m?.seen, folder]);

  // The neighbours' text is fetched ahead (without marking them read), so moving through
  // the list with the keyboard shows the next message at once.
  useEffect(() => {
    for (const n of [neighbours.next, neighbours.prev]) {
      if (n !== null)
        void qc.prefetchQuery({
          ...trpc.imap.open.queryOptions({ folder, uid: n, peek: true }),
          staleTime: 10 * 60_000,
        });
    }
  }, [neighbours.next, neighbours.prev, folder, qc, trpc]);

  const inline: InlinePart[] = useMemo(
    () =>
      (m?.attachments ?? [])
        .filter((a) => a.contentId && a.mimeType.startsWith("image/"))
        .map((a) => ({
          contentId: a.contentId ?? "",
          load: () => asDataUrl(partUrl(folder, uid, a.part, true)),
        })),
    [m?.attachments, folder, uid],
  );

  if (detail.error)
    return (
      <p role="alert" className="p-6 text-sm text-red-700 dark:text-red-300">
        {t(`errors.${errorCodeOf(detail.error)}`)}
      </p>
    );
  if (!m) return <p className="p-6 text-sm text-slate-500">{t("mail.loading")}</p>;

  const targets = folders.filter((f) => f.selectable && f.path !== folder);
  const attachments = m.attachments.filter(
    (a) =>
      !(a.inline && a.contentId && m.body.kind === "html" && m.body.content.includes(`cid:${a.contentId}`)),
  );

  return (
    <article aria-label={t("mail.message")} className="flex min-h-0 flex-1 flex-col">
      <div className="flex flex-wrap items-center gap-1 border-b border-slate-200 px-2 py-1.5 dark:border-slate-800">
        <button type="button" className={`${buttonClass.ghost} md:hidden`} onClick={onClose}>
          ← {t("mail.back")}
        </button>
        <button
          type="button"
          className={buttonClass.ghost}
          onClick={() => compose.open({ mode: "reply", source: m })}
        >
          {t("mail.reply")}
        </button>
        <button
          type="button"
          className={buttonClass.ghost}
          onClick={() => compose.open({ mode: "replyAll", source: m })}
        >
          {t("mail.replyAll")}
        </button>
        <button
          type="button"
          className={buttonClass.ghost}
          onClick={() => compose.open({ mode: "forward", source: m })}
        >
          {t("mail.forward")}
        </button>
        {m.seen ? (
          <button
            type="button"
            className={buttonClass.ghost}
            onClick={() => actions.setSeen(folder, [uid], false)}
          >
            {t("mail.markUnread")}
          </button>
        ) : (
          <button
            type="button"
            className={buttonClass.ghost}
            onClick={() => actions.setSeen(folder, [uid], true)}
          >
            {t("mail.markRead")}
          </button>
        )}
        <button
          type="button"
          className={buttonClass.ghost}
          aria-pressed={m.flagged}
          onClick={() => actions.setFlagged(folder, [uid], !m.flagged)}
        >
          {m.flagged ? t("mail.unflag") : t("mail.flag")}
        </button>
        <button
          type="button"
          className={buttonClass.ghost}
          onClick={() => {
            actions.remove(folder, [uid]);
            onClose();
          }}
        >
          {t("mail.delete")}
        </button>
        <label className="sr-only" htmlFor="move-one">
          {t("mail.moveTo")}
        </label>
        <select
          id="move-one"
          aria-label={t("mail.moveTo")}
          value=""
          onChange={(e) => {
            const to = targets.find((f) => f.path === e.target.value);
            if (to) {
              actions.move(folder, [uid], to.path, folderLabel(to, t));
              onClose();
            }
          }}
          className="rounded-md border border-transparent bg-transparent px-1 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
        >
          <option value="">{t("mail.moveTo")}</option>
          {targets.map((f) => (
            <option key={f.path} value={f.path}>
              {folderLabel(f, t)}
            </option>
          ))}
        </select>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        <header className="space-y-1 border-b border-slate-200 px-4 py-3 text-sm dark:border-slate-800">
          <h2 className="text-lg font-semibold leading-snug">{m.subject || t("mail.noSubject")}</h2>
          <div>
            <span className="text-slate-500">{t("mail.from")}: </span>
            {m.from ? <Person a={m.from} /> : t("mail.unknownSender")}
          </div>
          {m.to.length > 0 && (
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
          {m.cc.length > 0 && (
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
            <time dateTime={m.date ?? undefined}>{formatFullDate(m.date, locale)}</time>
          </div>
        </header>
        {m.body.charsetNote && (
          <p
            role="note"
            className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-xs text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
          >
            {t("mail.charsetNote", { detail: m.body.charsetNote })}
          </p>
        )}
        {m.body.truncated && (
          <p role="note" className="border-b border-slate-200 px-4 py-2 text-xs text-slate-600">
            {t("mail.truncated")}
          </p>
        )}
        {attachments.length > 0 && (
          <section
            aria-label={t("mail.attachments")}
            className="flex flex-wrap gap-2 border-b border-slate-200 px-4 py-2 dark:border-slate-800"
          >
            {attachments.map((a) => {
              const name = a.filename || a.mimeType;
              return (
                <span
                  key={a.part}
                  className="flex max-w-full items-center overflow-hidden rounded-lg border border-slate-200 text-xs dark:border-slate-700"
                >
                  <a
                    href={partUrl(folder, uid, a.part)}
                    download={a.filename || undefined}
                    className="flex min-w-0 items-center gap-2 px-2.5 py-1.5 hover:bg-slate-50 dark:hover:bg-slate-800"
                  >
                    <PaperclipIcon />
                    <span className="truncate font-medium">{name}</span>
                    <span className="shrink-0 text-slate-500">{formatBytes(a.size, locale)}</span>
                  </a>
                  {a.isMessage && (
                    <button
                      type="button"
                      className="border-l border-slate-200 px-2 py-1.5 hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800"
                      aria-label={t("mail.openAttached", { name })}
                      onClick={() => setAttached({ url: partUrl(folder, uid, a.part), name })}
                    >
                      ↗
                    </button>
                  )}
                  {/^image\/(png|jpeg|gif|webp)$/.test(a.mimeType) && (
                    <a
                      href={partUrl(folder, uid, a.part, true)}
                      target="_blank"
                      rel="noopener noreferrer"
                      aria-label={t("mail.preview", { name })}
                      className="border-l border-slate-200 px-2 py-1.5 hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800"
                    >
                      <EyeIcon />
                    </a>
                  )}
                </span>
              );
            })}
          </section>
        )}
        {attached && (
          <Suspense fallback={null}>
            <AttachedMessage url={attached.url} title={attached.name} onClose={() => setAttached(null)} />
          </Suspense>
        )}
        <MessageBody kind={m.body.kind} content={m.body.content} sender={m.from?.address} inline={inline} />
      </div>
    </article>
  );
}
