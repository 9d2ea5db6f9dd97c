"use client";

import { FileImportButton } from "@/components/ui/file-import-button";
import { useRef, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { fold } from "@pismo/protocol/search";
import {
  deleteContact,
  groupNames,
  mergeContacts,
  newContactId,
  saveContact,
  type Contact,
} from "@pismo/protocol/contacts";
import { buttonClass } from "@/components/ui/dialog";
import { focusAfterRemoval } from "@/lib/focus-when-there";
import { downloadBlob } from "@/lib/download";
import { describeError } from "@/lib/errors";
import { SettingsSection } from "../filters/settings-dialog";
import { ContactForm } from "./contact-form";
import { useContacts } from "./contacts-context";
import { AddressBookFullError } from "./server-contacts-store";

/** More than this many rows make the dialog slow to open; the finder reaches the rest. */
const SHOWN = 200;

type Notice = { tone: "status" | "alert"; text: string; undo?: Contact };

/**
 * Settings › Contacts: the address book of this account. Add, edit and delete contacts,
 * see the groups, find one, and carry the book as a vCard file (the parser is loaded only
 * when a file is imported or exported).
 */
export function ContactsSection({ storedHint }: { storedHint: string }) {
  const { t } = useTranslation();
  const contacts = useContacts();
  const [editing, setEditing] = useState<Contact | null>(null);
  // A save the store refused brings the form back with what was typed: not saved from the start.
  const [refusedId, setRefusedId] = useState<string | null>(null);
  // What opened the form (New contact, a contact's ✎), to have the focus back when it closes.
  const opener = useRef<HTMLElement | null>(null);
  const [query, setQuery] = useState("");
  const [notice, setNotice] = useState<Notice | null>(null);
  if (!contacts) return null;
  const { book, update } = contacts;

  const q = fold(query);
  const matching = book.contacts
    .filter((c) => !q || fold(`${c.name} ${c.emails.join(" ")} ${c.groups.join(" ")}`).includes(q))
    .sort((a, b) => (a.name || a.emails[0] || "").localeCompare(b.name || b.emails[0] || ""));
  const groups = groupNames(book);
  const label = (c: Contact) => c.name || c.emails[0] || "";
  const edit = (c: Contact) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setRefusedId(null);
    setEditing(c);
  };
  const closeForm = () => {
    setEditing(null);
    const back = opener.current;
    if (back?.isConnected) requestAnimationFrame(() => back.focus());
  };

  /** A change the store refused or could not keep: an IMAP book too large for the server says
   * so; anything else (storage full, the connection) says why in the user's words. */
  function refused(e: unknown) {
    if (e instanceof AddressBookFullError)
      setNotice({ tone: "alert", text: t("contactsServer.full", { kb: e.kb, max: e.maxKb }) });
    else setNotice({ tone: "alert", text: t("contacts.notSaved", { reason: describeError(e, t) }) });
  }

  async function importFile(file: File) {
    setNotice(null);
    let text: string;
    try {
      text = await file.text();
    } catch {
      setNotice({
        tone: "alert",
        text: t("contacts.importFailed", { file: file.name, reason: t("contacts.vcardError.unreadable") }),
      });
      return;
    }
    const { parseVcards } = await import("@pismo/protocol/contacts/vcard");
    const parsed = parseVcards(text);
    if (!parsed.ok) {
      const reason =
        parsed.code === "badLine"
          ? parsed.line !== undefined
            ? t("contacts.vcardError.badLine", { line: parsed.line, text: parsed.text ?? "" })
            : t("contacts.vcardError.badLineNoNumber", { text: parsed.text ?? "" })
          : t(`contacts.vcardError.${parsed.code}`);
      setNotice({ tone: "alert", text: t("contacts.importFailed", { file: file.name, reason }) });
      return;
    }
    let counts = { added: 0, updated: 0 };
    try {
      await update((current) => {
        const merged = mergeContacts(current, parsed.contacts);
        counts = { added: merged.added, updated: merged.updated };
        return merged.book;
      });
    } catch (e) {
      return refused(e);
    }
    setNotice({
      tone: "status",
      text: t("contacts.imported", { file: file.name, count: parsed.contacts.length, ...counts }),
    });
  }

  async function exportFile() {
    const { formatVcards } = await import("@pismo/protocol/contacts/vcard");
    downloadBlob([formatVcards(book.contacts)], "text/vcard;charset=utf-8", "pismo-contacts.vcf");
  }

  return (
    <SettingsSection title={t("contacts.title")}>
      <p className="text-xs text-slate-500">
        {t("contacts.hint")} {storedHint}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          className={buttonClass.secondary}
          onClick={() => edit({ id: newContactId(), name: "", emails: [], note: "", groups: [] })}
        >
          {t("contacts.newContact")}
        </button>
        <FileImportButton
          label={t("contacts.importVcard")}
          inputLabel={t("contacts.vcardFile")}
          accept="text/vcard,text/x-vcard,.vcf,.vcard"
          onFile={(file) => void importFile(file)}
        />
        <button
          type="button"
          className={buttonClass.secondary}
          disabled={book.contacts.length === 0}
          onClick={() => void exportFile()}
        >
          {t("contacts.exportVcard")}
        </button>
        <input
          type="search"
          aria-label={t("contacts.find")}
          placeholder={t("contacts.find")}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          className="min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm sm:max-w-56 dark:border-slate-600 dark:bg-slate-800"
        />
      </div>
      {notice && (
        <div
          role={notice.tone}
          className={`flex flex-wrap items-center gap-2 rounded-lg px-3 py-2 ${notice.tone === "alert" ? "bg-red-50 text-red-800 dark:bg-red-950/40 dark:text-red-200" : "bg-slate-100 dark:bg-slate-800"}`}
        >
          <span>{notice.text}</span>
          {notice.undo && (
            <button
              type="button"
              className={buttonClass.ghost}
              onClick={() => {
                const restore = notice.undo;
                if (restore) update((b) => saveContact(b, restore)).catch(refused);
                setNotice(null);
              }}
            >
              {t("contacts.undo")}
            </button>
          )}
        </div>
      )}
      {editing && (
        <ContactForm
          key={editing.id}
          contact={editing}
          unsavedFromStart={refusedId === editing.id}
          onCancel={closeForm}
          onSave={(contact) => {
            closeForm();
            update((b) => saveContact(b, contact)).catch((e: unknown) => {
              // Not kept: the form comes back with what was typed, and the notice says why.
              setEditing(contact);
              setRefusedId(contact.id);
              refused(e);
            });
          }}
        />
      )}
      {groups.length > 0 && (
        <p className="text-xs">
          <span className="font-medium">{t("contacts.groups")}:</span>{" "}
          {groups.map((g) => `${g.name} (${g.members})`).join(", ")}
        </p>
      )}
      {book.contacts.length === 0 ? (
        <p className="text-slate-500">{t("contacts.none")}</p>
      ) : matching.length === 0 ? (
        <p className="text-slate-500">{t("contacts.noMatch", { query })}</p>
      ) : (
        <ul
          aria-label={t("contacts.list")}
          className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-700 dark:border-slate-700"
        >
          {matching.slice(0, SHOWN).map((c) => (
            <li key={c.id} className="flex items-start gap-2 px-3 py-2">
              <div className="min-w-0 flex-1">
                <p className="truncate font-medium">{label(c)}</p>
                <p className="truncate text-xs text-slate-600 dark:text-slate-300">{c.emails.join(", ")}</p>
                {(c.groups.length > 0 || c.note) && (
                  <p className="truncate text-xs text-slate-500">
                    {[c.groups.join(", "), c.note].filter(Boolean).join(" · ")}
                  </p>
                )}
              </div>
              <button
                type="button"
                className={buttonClass.ghost}
                aria-label={t("contacts.edit", { name: label(c) })}
                onClick={() => edit(c)}
              >
                ✎
              </button>
              <button
                type="button"
                className={buttonClass.ghost}
                aria-label={t("contacts.delete", { name: label(c) })}
                data-remove=""
                onClick={(e) => {
                  const list = e.currentTarget.closest("ul");
                  const section = list?.parentElement ?? null;
                  // With no contact left, the focus goes to New contact (the section's first button).
                  focusAfterRemoval(list, matching.indexOf(c), () =>
                    section ? section.querySelector<HTMLElement>("button") : null,
                  );
                  if (editing?.id === c.id) setEditing(null);
                  setNotice({ tone: "status", text: t("contacts.deleted", { name: label(c) }), undo: c });
                  update((b) => deleteContact(b, c.id)).catch(refused);
                }}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      {matching.length > SHOWN && (
        <p className="text-xs text-slate-500">{t("contacts.more", { count: matching.length - SHOWN })}</p>
      )}
    </SettingsSection>
  );
}
