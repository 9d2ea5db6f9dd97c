"use client";

import { useState, type ReactNode } from "react";
import { useTranslation } from "@/i18n/react";
import type { Rule, RuleActionType } from "@pismo/protocol/rules";
import { buttonClass } from "@/components/ui/dialog";
import { useLatest } from "../shared/use-latest";
import { RuleDialog, type FolderChoice } from "./rule-dialog";
import { blankRule, describeRule } from "./rule-words";

/**
 * The rules of an account, the same for both protocols: in order, each with an on/off
 * switch, edit and delete; reordered by dragging or with Alt+Arrow Up/Down (and the move
 * buttons). Every change hands the whole new list to `onChange`, which saves it (IMAP: on the
 * server; POP3: in this browser).
 */
export function RulesList({
  rules,
  folders,
  actionTypes,
  onChange,
  draft,
  onDraftDone,
  extraActions,
}: {
  rules: readonly Rule[];
  folders: readonly FolderChoice[];
  actionTypes: readonly RuleActionType[];
  /** Saves the whole list; a rule editor waits for it, and stays open if it fails. */
  onChange: (rules: Rule[]) => void | Promise<void>;
  /** A rule to open in the editor at once ("Create rule from message"). */
  draft?: Rule | null;
  /** Its editor closed: `saved`, or cancelled (its owner takes the user back to the message). */
  onDraftDone?: (saved: boolean) => void;
  /** Per-rule extra buttons (IMAP: apply to a folder). */
  extraActions?: (rule: Rule) => ReactNode;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Rule | null>(null);
  const [dragged, setDragged] = useState<number | null>(null);
  const shown = editing ?? draft ?? null;
  const shownId = useLatest(shown?.id ?? null);
  const folderName = (id: string) => folders.find((f) => f.id === id)?.name ?? id;
  const name = (rule: Rule, i: number) => rule.name || t("filters.unnamed", { n: i + 1 });

  // A change from the list itself (order, on/off, delete): a refusal is said by the owner (the
  // section's alert), the list shows the rules as they are kept.
  const change = (next: Rule[]) => void Promise.resolve(onChange(next)).catch(() => undefined);
  const move = (from: number, to: number) => {
    if (to < 0 || to >= rules.length || from === to) return;
    const next = [...rules];
    const [item] = next.splice(from, 1);
    if (item) next.splice(to, 0, item);
    change(next);
  };
  const close = (saved: boolean) => {
    // The draft's editor, not one opened from the list (New rule, ✎): only it goes back.
    const wasDraft = editing === null && draft != null;
    setEditing(null);
    if (wasDraft) onDraftDone?.(saved);
  };

  return (
    <div className="space-y-2">
      {rules.length === 0 ? (
        <p className="text-slate-500">{t("filters.noRules")}</p>
      ) : (
        <>
          <p className="text-xs text-slate-500">{t("filters.reorderHint")}</p>
          <ol aria-label={t("filters.rules")} className="space-y-1">
            {rules.map((rule, i) => (
              <li
                key={rule.id}
                draggable
                tabIndex={0}
                aria-label={name(rule, i)}
                onDragStart={() => setDragged(i)}
                onDragOver={(e) => e.preventDefault()}
                onDrop={(e) => {
                  e.preventDefault();
                  if (dragged !== null) move(dragged, i);
                  setDragged(null);
                }}
                onKeyDown={(e) => {
                  if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
                  e.preventDefault();
                  const to = e.key === "ArrowUp" ? i - 1 : i + 1;
                  move(i, to);
                  // Focus follows the rule to its new place (the list read now: the event's
                  // currentTarget is gone by the next frame).
                  const list = e.currentTarget.parentElement;
                  requestAnimationFrame(() =>
                    (
                      list?.children[Math.max(0, Math.min(rules.length - 1, to))] as HTMLElement | undefined
                    )?.focus(),
                  );
                }}
                className={`flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 px-2 py-1 focus:outline-2 focus:outline-accent dark:border-slate-700 ${rule.enabled ? "" : "opacity-60"}`}
              >
                <span aria-hidden className="cursor-grab select-none text-slate-400">
                  ⋮⋮
                </span>
                <button
                  type="button"
                  role="switch"
                  aria-checked={rule.enabled}
                  aria-label={`${t("filters.enabled")}: ${name(rule, i)}`}
                  onClick={() =>
                    change(rules.map((r) => (r.id === rule.id ? { ...r, enabled: !r.enabled } : r)))
                  }
                  className={`relative h-5 w-9 shrink-0 rounded-full ${rule.enabled ? "bg-accent" : "bg-slate-300 dark:bg-slate-600"}`}
                >
                  <span
                    className={`absolute top-0.5 h-4 w-4 rounded-full bg-white transition-all ${rule.enabled ? "left-4" : "left-0.5"}`}
                  />
                </button>
                <span className="min-w-0 flex-1">
                  <span className="font-medium">{name(rule, i)}</span>
                  <span className="block text-xs text-slate-500">{describeRule(rule, t, folderName)}</span>
                </span>
                <button
                  type="button"
                  className={buttonClass.ghost}
                  aria-label={`${t("filters.moveUp")}: ${name(rule, i)}`}
                  disabled={i === 0}
                  onClick={() => move(i, i - 1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className={buttonClass.ghost}
                  aria-label={`${t("filters.moveDown")}: ${name(rule, i)}`}
                  disabled={i === rules.length - 1}
                  onClick={() => move(i, i + 1)}
                >
                  ↓
                </button>
                {extraActions?.(rule)}
                <button
                  type="button"
                  className={buttonClass.ghost}
                  aria-label={`${t("filters.edit")}: ${name(rule, i)}`}
                  onClick={() => setEditing(rule)}
                >
                  {t("filters.edit")}
                </button>
                <button
                  type="button"
                  className={buttonClass.ghost}
                  aria-label={`${t("filters.delete")}: ${name(rule, i)}`}
                  onClick={() => {
                    if (confirm(t("filters.confirmDelete", { name: name(rule, i) })))
                      change(rules.filter((r) => r.id !== rule.id));
                  }}
                >
                  {t("filters.delete")}
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
      <button type="button" className={buttonClass.primary} onClick={() => setEditing(blankRule())}>
        {t("filters.newRule")}
      </button>
      {shown && (
        <RuleDialog
          key={shown.id}
          initial={shown}
          folders={folders}
          actionTypes={actionTypes}
          onClose={() => close(false)}
          onSave={async (saved) => {
            const exists = rules.some((r) => r.id === saved.id);
            await onChange(exists ? rules.map((r) => (r.id === saved.id ? saved : r)) : [...rules, saved]);
            // Only its own editor: another opened while the save ran stays open.
            if (shownId.current === saved.id) close(true);
          }}
        />
      )}
    </div>
  );
}
