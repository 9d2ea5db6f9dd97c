"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "@/i18n/react";
import { parseMessage, extractPart } from "@pismo/protocol/mime";
import { formatAddress, formatBytes, formatFullDate } from "@pismo/protocol/format";
import { Dialog, buttonClass } from "@/components/ui/dialog";
import { PaperclipIcon } from "@/components/ui/icons";
import { notesShown } from "./display-message";
import { MessageNotes } from "./message-parts";
import { localeOf } from "@/i18n";
import { downloadBlob } from "@/lib/download";
import { describeError } from "@/lib/errors";
import { MessageBody } from "./message-body";

/** Where an attached message's bytes come from: the gateway (IMAP, a part's URL) or this
 * browser's copy of the message it is in (POP3); `key` names it for the cache. */
export interface AttachedSource {
  key: string;
  load: () => Promise<Uint8Array>;
}

/**
 * An attached message (message/rfc822) opens like any other: its bytes are read when asked
 * for and parsed here, with the same limits and the same sandboxed body as every message.
 */
export function AttachedMessage({
  source,
  title,
  onClose,
}: {
  source: AttachedSource;
  title: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const parsed = useQuery({
    queryKey: ["attached-message", source.key],
    queryFn: async () => {
      const bytes = await source.load();
      return { bytes, view: await parseMessage(bytes) };
    },
    staleTime: Infinity,
  });
  const v = parsed.data?.view;

  const download = async (id: string, name: string) => {
    if (!parsed.data) return;
    const part = await extractPart(parsed.data.bytes, id);
    if (!part) return;
    downloadBlob([part.bytes as BlobPart], "application/octet-stream", name);
  };

  return (
    <Dialog open wide title={title} onClose={onClose}>
      <div className="max-h-[70vh] w-full overflow-y-auto text-sm">
        {parsed.isPending && <p className="text-slate-500">{t("mail.loading")}</p>}
        {parsed.error && (
          <p role="alert" className="text-red-700">
            {describeError(parsed.error, t)}
          </p>
        )}
        {v && (
          <article aria-label={t("mail.attachedMessage")} className="space-y-2">
            <h3 className="text-base font-semibold">{v.subject || t("mail.noSubject")}</h3>
            <div>
              <span className="text-slate-500">{t("mail.from")}: </span>
              {v.from ? formatAddress(v.from) : t("mail.unknownSender")}
            </div>
            <div className="text-slate-500">{formatFullDate(v.date, locale)}</div>
            {/* Said as the reading pane says them, in the user's language (the notes' own
                details are the parser's English). */}
            <MessageNotes m={notesShown(v.notes)} />
            {v.attachments.filter((a) => a.disposition === "attachment").length > 0 && (
              <ul className="flex flex-wrap gap-2">
                {v.attachments
                  .filter((a) => a.disposition === "attachment")
                  .map((a) => (
                    <li key={a.id}>
                      <button
                        type="button"
                        className="flex items-center gap-1 rounded border border-slate-200 px-2 py-1 text-xs dark:border-slate-700"
                        onClick={() => void download(a.id, a.filename ?? `part-${a.id}`)}
                      >
                        <PaperclipIcon /> {a.filename ?? a.mimeType}{" "}
                        <span className="text-slate-500">{formatBytes(a.size, locale)}</span>
                      </button>
                    </li>
                  ))}
              </ul>
            )}
            <div className="flex min-h-[40vh] flex-col rounded border border-slate-200 dark:border-slate-700">
              <MessageBody
                kind={v.html ? "html" : v.text ? "text" : "none"}
                content={v.html ?? v.text ?? ""}
                sender={v.from?.address}
                inline={[]}
              />
            </div>
          </article>
        )}
        <div className="mt-3 flex justify-end">
          <button type="button" className={buttonClass.secondary} onClick={onClose}>
            {t("compose.close")}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
