"use client";

import { useTranslation } from "@/i18n/react";
import type { DraftAttachment } from "@pismo/protocol/compose";
import { formatBytes } from "@pismo/protocol/format";
import { PaperclipIcon } from "@/components/ui/icons";
import { localeOf } from "@/i18n";
import { focusAfterRemoval } from "@/lib/focus-when-there";
import type { Uploading } from "./use-compose-form";

/** The attachments of the draft, each removable, and the files still uploading with their progress. */
export function AttachmentsStrip({
  attachments,
  uploads,
  onRemove,
}: {
  attachments: DraftAttachment[];
  uploads: Uploading[];
  onRemove: (index: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  if (attachments.length === 0 && uploads.length === 0) return null;
  return (
    <ul
      aria-label={t("mail.attachments")}
      className="flex max-h-32 flex-wrap gap-2 overflow-y-auto border-t border-slate-200 px-3 py-2 dark:border-slate-700"
    >
      {attachments.map((a, i) => (
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
            data-remove=""
            onClick={(e) => {
              const form = e.currentTarget.closest("form");
              onRemove(i);
              // With no file left, the focus goes on to the message text.
              focusAfterRemoval(e.currentTarget.closest("ul"), i, () =>
                form ? form.querySelector<HTMLElement>('textarea, [contenteditable="true"]') : null,
              );
            }}
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
  );
}
