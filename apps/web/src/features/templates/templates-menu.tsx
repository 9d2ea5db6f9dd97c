"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { MAX_TEMPLATES, templateBodySchema, type TemplateBody } from "@pismo/protocol/templates";
import { useTranslation } from "@/i18n/react";
import { buttonClass } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { describeError } from "@/lib/errors";
import { focusOnMount } from "@/lib/focus-on-mount";
import type { TemplateItem, TemplateStore } from "./template-store";

/**
 * The compose window's Templates: a button that opens a small panel listing the account's
 * templates (fetched each time it opens: only what is asked for is read). Choosing one inserts it
 * where the caret was (`onInsert`); "Save as template" keeps the message's subject and text as a
 * new one. Escape closes the panel, not the window, and gives the focus back to the button.
 */
export function TemplatesMenu({
  store,
  account,
  current,
  onInsert,
}: {
  store: TemplateStore;
  /** Whose templates: the list is cached per account (another may sign in without a reload). */
  account: string;
  /** The message as it is now, to save as a template. */
  current: () => { subject: string; text: string; html: string | null };
  onInsert: (template: TemplateBody) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const id = useId();

  // Kept within the window: on a narrow screen the button may sit far right in its wrapped row.
  useLayoutEffect(() => {
    const el = panel.current;
    if (!open || !el) return;
    el.style.left = "";
    const over = el.getBoundingClientRect().right - (document.documentElement.clientWidth - 8);
    if (over > 0) el.style.left = `${-over}px`;
  }, [open]);

  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };

  return (
    <div
      className="relative"
      onKeyDown={(e) => {
        // On the panel or its button: the window's own Escape (close, the draft kept) waits
        // for the next press.
        if (e.key !== "Escape" || !open) return;
        e.preventDefault();
        close(true);
      }}
    >
      <button
        ref={button}
        type="button"
        className={buttonClass.ghost}
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        {t("templates.button")}
      </button>
      {open && (
        <div
          ref={panel}
          id={id}
          role="region"
          aria-label={t("templates.region")}
          className="absolute bottom-full left-0 z-10 mb-2 w-[min(20rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-2 text-sm shadow-xl dark:border-slate-700 dark:bg-slate-900"
          onBlur={(e) => {
            const to = e.relatedTarget;
            if (to instanceof Node && (panel.current?.contains(to) || button.current?.contains(to))) return;
            // Focus leaving the window (to another tab) keeps it open; within the page, it closes.
            if (to !== null) setOpen(false);
          }}
        >
          <TemplateList
            store={store}
            account={account}
            current={current}
            onInsert={(template) => {
              setOpen(false);
              onInsert(template);
            }}
            onSaved={() => close(true)}
          />
        </div>
      )}
    </div>
  );
}

function TemplateList({
  store,
  account,
  current,
  onInsert,
  onSaved,
}: {
  store: TemplateStore;
  account: string;
  current: () => { subject: string; text: string; html: string | null };
  onInsert: (template: TemplateBody) => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const queryKey = ["templates", store.key, account];
  const list = useQuery({ queryKey, queryFn: () => store.list(), staleTime: 0, retry: false });
  const [asking, setAsking] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const first = useRef<HTMLButtonElement>(null);
  const save = useRef<HTMLButtonElement>(null);

  // Opened: the focus goes to the first template, or to Save when there is none.
  const loaded = list.isSuccess;
  useEffect(() => {
    (first.current ?? save.current)?.focus();
  }, [loaded]);

  const refresh = () => qc.invalidateQueries({ queryKey });

  const insert = async (item: TemplateItem) => {
    setBusy(true);
    try {
      onInsert(await store.load(item));
    } catch (error) {
      setProblem(t("templates.notLoaded", { reason: describeError(error, t) }));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (item: TemplateItem) => {
    setBusy(true);
    try {
      await store.remove(item);
      setAsking(null);
      toast(
        t(store.local ? "templates.deleted" : "templates.movedToTrash", {
          name: item.name || t("mail.noSubject"),
        }),
      );
      await refresh();
      save.current?.focus();
    } catch (error) {
      setProblem(t("templates.notDeleted", { reason: describeError(error, t) }));
    } finally {
      setBusy(false);
    }
  };

  const saveCurrent = async () => {
    // The most an account keeps: the oldest is never dropped to make room (nor, on the server,
    // one listed no more).
    if ((list.data?.length ?? 0) >= MAX_TEMPLATES) {
      setProblem(t("templates.full", { count: MAX_TEMPLATES }));
      return;
    }
    const { subject, text, html } = current();
    const parsed = templateBodySchema.safeParse({ name: subject, text, html });
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path[0];
      setProblem(
        t(
          field !== "name"
            ? "templates.tooLong"
            : subject.trim() === ""
              ? "templates.needsSubject"
              : "templates.badSubject",
        ),
      );
      return;
    }
    setBusy(true);
    setSaving(true);
    try {
      await store.save(parsed.data);
      toast(t("templates.saved", { name: parsed.data.name }));
      await refresh();
      onSaved();
    } catch (error) {
      setProblem(t("templates.notSaved", { reason: describeError(error, t) }));
    } finally {
      setBusy(false);
      setSaving(false);
    }
  };

  return (
    <div className="flex flex-col gap-2">
      {list.isPending ? (
        <p className="px-1 text-slate-500">{t("templates.loading")}</p>
      ) : !list.data ? (
        <p className="flex items-center gap-2 px-1 text-red-700 dark:text-red-300">
          {t("templates.failed")}
          <button type="button" className={buttonClass.ghost} onClick={() => void list.refetch()}>
            {t("templates.retry")}
          </button>
        </p>
      ) : list.data.length === 0 ? (
        <p className="px-1 text-slate-600 dark:text-slate-300">{t("templates.none")}</p>
      ) : (
        <ul className="max-h-60 overflow-y-auto">
          {list.data.map((item, i) =>
            asking === item.id ? (
              <li
                key={item.id}
                className="flex flex-wrap items-center gap-2 rounded-md bg-red-50 px-2 py-1 dark:bg-red-950"
              >
                <span className="flex-1 break-words">
                  {t(store.local ? "templates.confirmDelete" : "templates.confirmDeleteServer", {
                    name: item.name,
                  })}
                </span>
                <button
                  type="button"
                  className={buttonClass.danger}
                  disabled={busy}
                  ref={focusOnMount}
                  onClick={() => void remove(item)}
                >
                  {t("templates.yesDelete")}
                </button>
                <button
                  type="button"
                  className={buttonClass.ghost}
                  onClick={() => {
                    setAsking(null);
                    // The row is back as it was: the focus goes to the panel's first button.
                    requestAnimationFrame(() => (first.current ?? save.current)?.focus());
                  }}
                >
                  {t("templates.keep")}
                </button>
              </li>
            ) : (
              <li key={item.id} className="flex items-center gap-1">
                <button
                  ref={i === 0 ? first : undefined}
                  type="button"
                  className="min-w-0 flex-1 truncate rounded-md px-2 py-1 text-left hover:bg-slate-100 disabled:opacity-50 dark:hover:bg-slate-800"
                  aria-label={t("templates.insert", { name: item.name || t("mail.noSubject") })}
                  title={item.name}
                  disabled={busy}
                  onClick={() => void insert(item)}
                >
                  {item.name || t("mail.noSubject")}
                </button>
                <button
                  type="button"
                  className="rounded-md px-2 py-1 text-slate-500 hover:bg-slate-100 hover:text-red-700 dark:hover:bg-slate-800"
                  aria-label={t("templates.delete", { name: item.name || t("mail.noSubject") })}
                  title={t("templates.delete", { name: item.name || t("mail.noSubject") })}
                  disabled={busy}
                  onClick={() => {
                    setProblem(null);
                    setAsking(item.id);
                  }}
                >
                  ✕
                </button>
              </li>
            ),
          )}
        </ul>
      )}
      {problem && (
        <p role="alert" className="px-1 text-red-700 dark:text-red-300">
          {problem}
        </p>
      )}
      <div className="flex items-center gap-2 border-t border-slate-200 pt-2 dark:border-slate-700">
        <button
          ref={save}
          type="button"
          className={buttonClass.secondary}
          disabled={busy}
          onClick={() => void saveCurrent()}
        >
          {saving ? t("templates.saving") : t("templates.save")}
        </button>
      </div>
      <p className="px-1 text-xs text-slate-500">
        {t(store.local ? "templates.whereLocal" : "templates.whereServer")}
      </p>
    </div>
  );
}
