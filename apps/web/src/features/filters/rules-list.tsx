"use client";

import { useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "@/i18n/react";
import { missingFolders, ruleNeeds, type Rule, type RuleActionType } from "@pismo/protocol/rules";
import { buttonClass } from "@/components/ui/dialog";
import { useLatest } from "../shared/use-latest";
import { RuleDialog, type FolderChoice } from "./rule-dialog";
import { moveRule, putRule, removeRule, setEnabled, type RulesChange } from "./rule-changes";
import { blankRule, describeRule, extensionList } from "./rule-words";
import { lacking, type SieveExtensions } from "./sieve-support";

/** Whether a key went to a field inside a row (a list box, a text box), not to the row. */
function inField(target: EventTarget): boolean {
  return target instanceof Element && target.closest("select, input, textarea") !== null;
}

/**
 * The rules of an account, the same for both protocols: in order, each with an on/off
 * switch, edit and delete; reordered by dragging or with Alt+Arrow Up/Down (and the move
 * buttons). Every change hands the whole new list to `onChange`, which saves it (IMAP: on the
 * server; POP3: in this browser), and the change itself, to be made to a newer list.
 *
 * A rule that moves or copies into a folder that is not there (deleted, or renamed in another
 * client) says so: it files nothing there, and a move leaves the mail in the Inbox. So does one
 * that needs a Sieve extension the server does not run (`sieveExtensions`): shown as it is, not
 * dropped, but the server takes no script with it.
 */
export function RulesList({
  rules,
  folders,
  actionTypes,
  sieveExtensions = null,
  onChange,
  draft,
  onDraftDone,
  extraActions,
}: {
  rules: readonly Rule[];
  folders: readonly FolderChoice[];
  actionTypes: readonly RuleActionType[];
  /** The Sieve extensions the server runs; null when not known, or not a Sieve server (POP3). */
  sieveExtensions?: SieveExtensions;
  /**
   * Saves the whole list, `rules` with `change` made; a rule editor waits for it, and stays
   * open if it fails. The list shows `rules` as given: a change appears once they have it.
   */
  onChange: (rules: Rule[], change: RulesChange) => void | Promise<void>;
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
  // No folders yet (still loading): none is said to be gone.
  const exists = (id: string) => folders.length === 0 || folders.some((f) => f.id === id);
  const folderName = (id: string) =>
    folders.find((f) => f.id === id)?.name ?? (exists(id) ? id : t("filters.folderGone", { folder: id }));
  const name = (rule: Rule, i: number) => rule.name || t("filters.unnamed", { n: i + 1 });
  const unsupportedNote = (rule: Rule) => {
    const missing = lacking(sieveExtensions, ruleNeeds(rule));
    return (
      missing.length > 0 && (
        <span className="block text-xs text-amber-800 dark:text-amber-300">
          {t("filters.ruleUnsupported", { extensions: extensionList(missing, t) })}
        </span>
      )
    );
  };

  // A change from the list itself (order, on/off, delete): a refusal is said by the owner (the
  // section's alert), the list shows the rules as they are kept.
  const change = (made: RulesChange) =>
    void Promise.resolve(onChange(made(rules), made)).catch(() => undefined);

  // Focus follows a rule moved from the keyboard, once the list shows it in its new place: in
  // a render after the key (when the owner's copy of the rules has changed), which waiting a
  // frame does not promise. Reordering, React may take the focused row out of the page and put
  // it back, which drops its focus, so it is given again.
  const list = useRef<HTMLOListElement>(null);
  const follow = useRef<{ id: string; to: number; from: "row" | "up" | "down" } | null>(null);
  useLayoutEffect(() => {
    const f = follow.current;
    if (!f || rules[f.to]?.id !== f.id) return;
    follow.current = null;
    const row = list.current?.children[f.to] as HTMLElement | undefined;
    const button = f.from === "row" ? null : row?.querySelector<HTMLButtonElement>(`[data-move="${f.from}"]`);
    (button && !button.disabled ? button : row)?.focus();
  });
  /** `focus`: what had it, to have it again where the rule goes (a drop leaves it be). */
  const move = (from: number, to: number, focus: "row" | "up" | "down" | null) => {
    const rule = rules[from];
    if (!rule || to < 0 || to >= rules.length || from === to) return;
    follow.current = focus && { id: rule.id, to, from: focus };
    change(moveRule(rule.id, to));
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
          <ol ref={list} aria-label={t("filters.rules")} className="space-y-1">
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
                  if (dragged !== null) move(dragged, i, null);
                  setDragged(null);
                }}
                onKeyDown={(e) => {
                  if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
                  // A field's own key: Alt+Down opens a list box (ApplyButton's folder choice).
                  if (inField(e.target)) return;
                  e.preventDefault();
                  move(i, e.key === "ArrowUp" ? i - 1 : i + 1, "row");
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
                  onClick={() => change(setEnabled(rule.id, !rule.enabled))}
                  className={`relative h-5 w-9 shrink-0 rounded-full ${rule.enabled ? "bg-accent" : "bg-slate-300 dark:bg-slate-600"}`}
                >
                  <span
                    className={`absolute top-0.5 h-4 w-4 rounded-full bg-white transition-all ${rule.enabled ? "left-4" : "left-0.5"}`}
                  />
                </button>
                <span className="min-w-0 flex-1">
                  <span className="font-medium">{name(rule, i)}</span>
                  <span className="block text-xs text-slate-500">{describeRule(rule, t, folderName)}</span>
                  {missingFolders(rule, exists).map((folder) => (
                    <span key={folder} className="block text-xs text-amber-800 dark:text-amber-300">
                      {t("filters.folderGoneNote", { folder })}
                    </span>
                  ))}
                  {unsupportedNote(rule)}
                </span>
                <button
                  type="button"
                  className={buttonClass.ghost}
                  aria-label={`${t("filters.moveUp")}: ${name(rule, i)}`}
                  data-move="up"
                  disabled={i === 0}
                  onClick={() => move(i, i - 1, "up")}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className={buttonClass.ghost}
                  aria-label={`${t("filters.moveDown")}: ${name(rule, i)}`}
                  data-move="down"
                  disabled={i === rules.length - 1}
                  onClick={() => move(i, i + 1, "down")}
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
                      change(removeRule(rule.id));
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
          sieveExtensions={sieveExtensions}
          onClose={() => close(false)}
          onSave={async (saved) => {
            const made = putRule(saved);
            await onChange(made(rules), made);
            // Only its own editor: another opened while the save ran stays open.
            if (shownId.current === saved.id) close(true);
          }}
        />
      )}
    </div>
  );
}
