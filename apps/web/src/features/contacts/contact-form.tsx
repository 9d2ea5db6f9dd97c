"use client";

import { useId, useState } from "react";
import { useTranslation } from "@/i18n/react";
import type { Contact } from "@pismo/protocol/contacts";
import { recipientSchema } from "@pismo/protocol/schemas";
import { buttonClass } from "@/components/ui/dialog";
import { focusOnMount } from "@/lib/focus-on-mount";
import { useUnsavedInSettings } from "../filters/settings-dialog";

const inputClass =
  "w-full rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-800";

/** Splits what the user typed in a list field: one per line or comma-separated. */
function items(text: string): string[] {
  return text
    .split(/[\n,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Adding or editing one contact: name, addresses, groups, note. Escape is Cancel (asking first
 * when something was typed), and leaves Settings open; only what was typed counts as unsaved
 * for Settings' own Close (an empty new contact is not asked about).
 */
export function ContactForm({
  contact,
  unsavedFromStart = false,
  onSave,
  onCancel,
}: {
  contact: Contact;
  /** The form comes back after a refused save: what it holds was never kept. */
  unsavedFromStart?: boolean;
  onSave: (contact: Contact) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [name, setName] = useState(contact.name);
  const [emails, setEmails] = useState(contact.emails.join("\n"));
  const [groups, setGroups] = useState(contact.groups.join(", "));
  const [note, setNote] = useState(contact.note);
  const [error, setError] = useState<string | null>(null);
  const unsaved =
    unsavedFromStart ||
    name !== contact.name ||
    emails !== contact.emails.join("\n") ||
    groups !== contact.groups.join(", ") ||
    note !== contact.note;
  useUnsavedInSettings(unsaved);

  const submit = () => {
    const list = items(emails);
    if (list.length === 0) return setError(t("contacts.needAddress"));
    const bad = list.filter((address) => !recipientSchema.safeParse({ name: "", address }).success);
    if (bad.length) return setError(t("contacts.badAddresses", { list: bad.join(", ") }));
    onSave({ ...contact, name, emails: list, groups: items(groups), note });
  };

  return (
    <form
      aria-label={t("contacts.form")}
      className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-700"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onKeyDown={(e) => {
        if (e.key !== "Escape" || e.nativeEvent.isComposing) return;
        // Not Settings' Escape: its keydown would ask about closing it, and its cancel close it.
        e.preventDefault();
        e.stopPropagation();
        if (!unsaved || confirm(t("contacts.discard"))) onCancel();
      }}
    >
      <div className="grid gap-2 sm:grid-cols-2">
        <label className="space-y-1">
          <span className="block text-xs font-medium">{t("contacts.name")}</span>
          <input
            ref={focusOnMount}
            value={name}
            onChange={(e) => setName(e.target.value)}
            className={inputClass}
          />
        </label>
        <label className="space-y-1">
          <span className="block text-xs font-medium">{t("contacts.groupsField")}</span>
          <input
            value={groups}
            onChange={(e) => setGroups(e.target.value)}
            aria-describedby={`${id}-groups`}
            className={inputClass}
          />
          <span id={`${id}-groups`} className="block text-xs text-slate-500">
            {t("contacts.groupsHint")}
          </span>
        </label>
        <label className="space-y-1">
          <span className="block text-xs font-medium">{t("contacts.addresses")}</span>
          <textarea
            rows={2}
            value={emails}
            onChange={(e) => setEmails(e.target.value)}
            aria-describedby={`${id}-emails`}
            spellCheck="false"
            className={inputClass}
          />
          <span id={`${id}-emails`} className="block text-xs text-slate-500">
            {t("contacts.addressesHint")}
          </span>
        </label>
        <label className="space-y-1">
          <span className="block text-xs font-medium">{t("contacts.note")}</span>
          <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} className={inputClass} />
        </label>
      </div>
      {error && (
        <p
          role="alert"
          className="rounded-lg bg-red-50 px-3 py-2 text-red-800 dark:bg-red-950/40 dark:text-red-200"
        >
          {error}
        </p>
      )}
      <div className="flex gap-2">
        <button type="submit" className={buttonClass.primary}>
          {t("contacts.save")}
        </button>
        <button type="button" className={buttonClass.secondary} onClick={onCancel}>
          {t("contacts.cancel")}
        </button>
      </div>
    </form>
  );
}
