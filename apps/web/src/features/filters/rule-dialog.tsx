"use client";

import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "@/i18n/react";
import {
  missingFolders,
  ruleSchema,
  sieveNeeds,
  type Rule,
  type RuleAction,
  type RuleActionType,
  type RuleCondition,
} from "@pismo/protocol/rules";
import { buttonClass, Dialog } from "@/components/ui/dialog";
import { WholeNumberInput } from "@/components/ui/whole-number-input";
import { describeError } from "@/lib/errors";
import {
  fieldOf,
  ruleEdited,
  toggleAction as toggledAction,
  withField,
  type ActionsAside,
  type ConditionAside,
  type Field,
} from "./rule-edits";
import { RefusalInWords, ruleProblem, unsupportedInRule } from "./rule-problems";
import { extensionList, fromTextOp, textOp, type TextOp } from "./rule-words";
import { lacking, type SieveExtensions } from "./sieve-support";

const inputClass =
  "rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm disabled:opacity-50 dark:border-slate-600 dark:bg-slate-800";

export interface FolderChoice {
  id: string;
  name: string;
}

const FIELDS = ["from", "to", "subject", "header", "size", "attachment"] as const;

/** The kind of condition a field makes: the text fields are all header tests. */
const kindOf = (field: Field): RuleCondition["kind"] =>
  field === "size" || field === "attachment" ? field : "text";

/** The rule editor, in plain words: when (all/any of the conditions), then (the actions). */
export function RuleDialog({
  initial,
  folders,
  actionTypes,
  sieveExtensions = null,
  onSave,
  onClose,
}: {
  initial: Rule;
  folders: readonly FolderChoice[];
  /** The actions this account can run (POP3: only those that work in the browser). */
  actionTypes: readonly RuleActionType[];
  /**
   * The Sieve extensions the server runs (IMAP); null when not known or not a Sieve server
   * (POP3): everything is offered. What needs one it lacks is not offered for a new choice, and
   * a rule that has it already shows it as it is, said so, and is not saved until it is changed.
   */
  sieveExtensions?: SieveExtensions;
  /** Refused (the server's answer), the dialog stays open with the rule and why. */
  onSave: (rule: Rule) => void | Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [rule, setRule] = useState<Rule>(initial);
  // What an action turned off, or a condition whose field was changed, held: turned on or
  // changed back, it comes back as it was (and the rule is as opened again, see ruleEdited).
  const [actionsAside, setActionsAside] = useState<ActionsAside>({});
  const [conditionsAside, setConditionsAside] = useState<ConditionAside[]>(() =>
    initial.conditions.map(() => ({})),
  );
  const ids = useId();
  const [error, setError] = useState<string | null>(null);
  // One save at a time: a second press while the server answers would send it twice.
  const [saving, setSaving] = useState(false);
  const firstFolder = folders[0]?.id ?? "INBOX";
  // No folders yet (still loading): none is said to be gone.
  const exists = (id: string) => folders.length === 0 || folders.some((f) => f.id === id);

  const setCondition = (i: number, c: RuleCondition) =>
    setRule((r) => ({ ...r, conditions: r.conditions.map((x, j) => (j === i ? c : x)) }));
  const action = <T extends RuleActionType>(type: T) =>
    rule.actions.find((a) => a.type === type) as Extract<RuleAction, { type: T }> | undefined;
  // A test the server does not run: shown as it is, said so, until another field is chosen.
  const conditionLacks = (c: RuleCondition) => lacking(sieveExtensions, sieveNeeds.condition[c.kind]);
  const changeField = (i: number, field: Field) => {
    const changed = withField(rule.conditions[i]!, field, conditionsAside[i]);
    setCondition(i, changed.condition);
    setConditionsAside((all) => all.map((x, j) => (j === i ? changed.aside : x)));
  };
  const toggleAction = (fresh: RuleAction, on: boolean) => {
    const toggled = toggledAction(rule, actionsAside, fresh, on);
    setRule(toggled.rule);
    setActionsAside(toggled.aside);
  };
  const updateAction = (a: RuleAction) =>
    setRule((r) => ({ ...r, actions: r.actions.map((x) => (x.type === a.type ? a : x)) }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = ruleSchema.safeParse(rule);
    if (!parsed.success) {
      setError(ruleProblem(parsed.error.issues[0], t));
      return;
    }
    // Kept as it was, the rule would go on filing into nothing: the user chooses another.
    const gone = missingFolders(parsed.data, exists)[0];
    if (gone !== undefined) {
      setError(t("filters.problems.folderGone", { folder: gone }));
      return;
    }
    // The server would refuse the whole script, in words that name a `require`: said here,
    // which part, before anything is sent.
    const unsupported = unsupportedInRule(parsed.data, sieveExtensions, t);
    if (unsupported !== null) {
      setError(unsupported);
      return;
    }
    if (saving) return;
    setSaving(true);
    try {
      await onSave(parsed.data);
    } catch (refused) {
      setError(
        refused instanceof RefusalInWords
          ? refused.words
          : describeError(refused, t, { CHANGED: t("filters.changedElsewhere") }),
      );
    } finally {
      setSaving(false);
    }
  }

  // A folder that is gone stays the one shown, marked so, until another is chosen: a select
  // whose value is none of its options shows the first, and Save would keep the old path.
  const folderSelect = (value: string, onChange: (v: string) => void, label: string) => (
    <select
      aria-label={label}
      aria-invalid={!exists(value)}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      className={inputClass}
    >
      {!exists(value) && (
        <option value={value} disabled>
          {t("filters.folderGone", { folder: value })}
        </option>
      )}
      {folders.map((f) => (
        <option key={f.id} value={f.id}>
          {f.name}
        </option>
      ))}
    </select>
  );

  // A rule half made is lost on closing: Escape and Cancel ask first, as Settings does; not
  // when it is, as it would be saved, the rule that was opened.
  const edited = ruleEdited(rule, initial);
  const mayClose = () => !edited || confirm(t("filters.discardRule"));

  return (
    <Dialog open title={t("filters.rule")} onClose={onClose} mayClose={mayClose} wide>
      {/* Its own checks say what is wrong, in the page's words: the browser's would stop a size
          of 0 or a forward address without "@" with a bubble in its own language. */}
      <form noValidate onSubmit={(e) => void submit(e)} className="space-y-4 text-sm">
        <label className="flex flex-col gap-1">
          {t("filters.name")}
          <input
            className={inputClass}
            maxLength={200}
            value={rule.name}
            onChange={(e) => setRule({ ...rule, name: e.target.value.replace(/[\r\n]/g, " ") })}
          />
        </label>
        <fieldset className="space-y-2">
          <legend className="mb-1 font-semibold">{t("filters.when")}</legend>
          <select
            aria-label={t("filters.when")}
            className={inputClass}
            value={rule.match}
            onChange={(e) => setRule({ ...rule, match: e.target.value as Rule["match"] })}
          >
            <option value="all">{t("filters.all")}</option>
            <option value="any">{t("filters.any")}</option>
          </select>
          <ul className="space-y-2">
            {rule.conditions.map((c, i) => (
              <li
                key={i}
                className="flex flex-wrap items-center gap-2 rounded-lg bg-slate-50 p-2 dark:bg-slate-800/50"
              >
                <select
                  aria-label={t("filters.field")}
                  aria-invalid={conditionLacks(c).length > 0 || undefined}
                  aria-describedby={conditionLacks(c).length > 0 ? `${ids}-condition-${i}` : undefined}
                  className={inputClass}
                  value={fieldOf(c)}
                  onChange={(e) => changeField(i, e.target.value as Field)}
                >
                  {FIELDS.map((f) => {
                    const lacks = lacking(sieveExtensions, sieveNeeds.condition[kindOf(f)]);
                    return (
                      <option key={f} value={f} disabled={lacks.length > 0}>
                        {lacks.length > 0
                          ? t("filters.notOnServer", { option: t(`filters.${f}`) })
                          : t(`filters.${f}`)}
                      </option>
                    );
                  })}
                </select>
                {c.kind === "text" && c.field === "header" && (
                  <input
                    aria-label={t("filters.headerName")}
                    className={`${inputClass} w-36`}
                    value={c.header ?? ""}
                    onChange={(e) => setCondition(i, { ...c, header: e.target.value.trim() })}
                  />
                )}
                {c.kind === "text" && (
                  <>
                    <select
                      aria-label={t("filters.op")}
                      className={inputClass}
                      value={textOp(c.match, c.not)}
                      onChange={(e) => setCondition(i, { ...c, ...fromTextOp(e.target.value as TextOp) })}
                    >
                      {(["contains", "notContains", "is", "isNot", "matches", "notMatches"] as const).map(
                        (op) => (
                          <option key={op} value={op}>
                            {t(`filters.${op}`)}
                          </option>
                        ),
                      )}
                    </select>
                    <input
                      aria-label={t("filters.value")}
                      className={`${inputClass} min-w-0 flex-1`}
                      maxLength={500}
                      value={c.value}
                      onChange={(e) =>
                        setCondition(i, { ...c, value: e.target.value.replace(/[\r\n]/g, " ") })
                      }
                    />
                  </>
                )}
                {c.kind === "size" && (
                  <>
                    <select
                      aria-label={t("filters.op")}
                      className={inputClass}
                      value={c.over ? "larger" : "smaller"}
                      onChange={(e) => setCondition(i, { ...c, over: e.target.value === "larger" })}
                    >
                      <option value="larger">{t("filters.larger")}</option>
                      <option value="smaller">{t("filters.smaller")}</option>
                    </select>
                    <WholeNumberInput
                      aria-label={t("filters.kb")}
                      min={1}
                      max={2 ** 30}
                      className={`${inputClass} w-24`}
                      value={Math.round(c.bytes / 1024)}
                      // 0 (under the schema's least) while what is typed is not a size: Save then
                      // says which condition (NaN would fail every kind of condition, unnamed).
                      onChange={(kb) => setCondition(i, { ...c, bytes: kb === null ? 0 : kb * 1024 })}
                    />
                    <span aria-hidden>{t("filters.kb")}</span>
                  </>
                )}
                {c.kind === "attachment" && (
                  <select
                    aria-label={t("filters.op")}
                    className={inputClass}
                    value={c.not ? "hasNot" : "has"}
                    onChange={(e) => setCondition(i, { ...c, not: e.target.value === "hasNot" })}
                  >
                    <option value="has">{t("filters.has")}</option>
                    <option value="hasNot">{t("filters.hasNot")}</option>
                  </select>
                )}
                {rule.conditions.length > 1 && (
                  <button
                    type="button"
                    className={buttonClass.ghost}
                    aria-label={t("filters.removeCondition")}
                    onClick={() => {
                      setRule({ ...rule, conditions: rule.conditions.filter((_, j) => j !== i) });
                      setConditionsAside((all) => all.filter((_, j) => j !== i));
                    }}
                  >
                    ✕
                  </button>
                )}
                {conditionLacks(c).length > 0 && (
                  <p
                    id={`${ids}-condition-${i}`}
                    className="w-full text-xs text-amber-800 dark:text-amber-300"
                  >
                    {t("filters.unsupportedCondition", {
                      extensions: extensionList(conditionLacks(c), t),
                    })}
                  </p>
                )}
              </li>
            ))}
          </ul>
          <button
            type="button"
            className={buttonClass.secondary}
            onClick={() => {
              setRule({
                ...rule,
                conditions: [
                  ...rule.conditions,
                  { kind: "text", field: "subject", match: "contains", not: false, value: "" },
                ],
              });
              setConditionsAside((all) => [...all, {}]);
            }}
          >
            {t("filters.addCondition")}
          </button>
        </fieldset>
        <fieldset className="space-y-2">
          <legend className="mb-1 font-semibold">{t("filters.then")}</legend>
          {actionTypes.map((type) => {
            const current = action(type);
            const on = current !== undefined;
            const fresh: RuleAction =
              type === "move" || type === "copy"
                ? { type, folder: firstFolder }
                : type === "forward"
                  ? { type, address: "" }
                  : type === "reject"
                    ? { type, message: "" }
                    : ({ type } as RuleAction);
            // Not offered when the server does not run it; one the rule has already stays, said
            // so, to be turned off (it is not dropped unseen).
            const missing = lacking(sieveExtensions, sieveNeeds.action[type]);
            const noteId = `${ids}-action-${type}`;
            return (
              <div key={type} className="flex flex-wrap items-center gap-2">
                <label className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={!on && missing.length > 0}
                    aria-invalid={(on && missing.length > 0) || undefined}
                    aria-describedby={missing.length > 0 ? noteId : undefined}
                    onChange={(e) => toggleAction(fresh, e.target.checked)}
                  />
                  {t(`filters.${type}`)}
                </label>
                {missing.length > 0 && (
                  <span
                    id={noteId}
                    className={on ? "text-xs text-amber-800 dark:text-amber-300" : "text-xs text-slate-500"}
                  >
                    {t(on ? "filters.unsupportedAction" : "filters.notOnServerReason", {
                      extensions: extensionList(missing, t),
                    })}
                  </span>
                )}
                {on &&
                  (current.type === "move" || current.type === "copy") &&
                  folderSelect(
                    current.folder,
                    (folder) => updateAction({ ...current, folder }),
                    `${t(`filters.${type}`)}: ${t("filters.folder")}`,
                  )}
                {on && current.type === "forward" && (
                  <input
                    type="email"
                    aria-label={t("filters.address")}
                    className={inputClass}
                    value={current.address}
                    onChange={(e) => updateAction({ ...current, address: e.target.value.trim() })}
                  />
                )}
                {on && current.type === "reject" && (
                  <textarea
                    aria-label={t("filters.rejectMessage")}
                    className={`${inputClass} w-full`}
                    rows={2}
                    value={current.message}
                    onChange={(e) => updateAction({ ...current, message: e.target.value })}
                  />
                )}
              </div>
            );
          })}
        </fieldset>
        {error && (
          <p
            role="alert"
            className="rounded-lg bg-red-50 px-3 py-2 text-red-800 dark:bg-red-950/40 dark:text-red-200"
          >
            {error}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" className={buttonClass.ghost} onClick={() => mayClose() && onClose()}>
            {t("filters.cancel")}
          </button>
          <button type="submit" className={buttonClass.primary} disabled={saving}>
            {t("filters.save")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
