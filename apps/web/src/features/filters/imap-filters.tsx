"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "@/i18n/react";
import type { Rule, RuleSet, Vacation } from "@pismo/protocol/rules";
import { defaultVacation } from "@pismo/protocol/rules";
import type { Folder } from "@pismo/protocol/schemas";
import { buttonClass } from "@/components/ui/dialog";
import { describeError } from "@/lib/errors";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { folderLabel } from "../imap/folder-label";
import { RulesList } from "./rules-list";
import { SettingsSection } from "./settings-dialog";
import { VacationForm } from "./vacation-form";

type SavedPart = "rules" | "vacation";

const ALL_ACTIONS = ["move", "copy", "markRead", "flag", "forward", "discard", "reject", "stop"] as const;

/** The server's filters of an IMAP account: the rules, out of office, or a foreign script as text. */
export function ImapFilters({
  folders,
  draft,
  onDraftDone,
}: {
  folders: readonly Folder[];
  draft: Rule | null;
  onDraftDone: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const state = useQuery(trpc.rules.get.queryOptions());
  // What the last save came to, said in the section it was made in: Settings is a modal dialog,
  // and a toast outside it is inert and unread.
  const [outcome, setOutcome] = useState<{ part: SavedPart; ok: boolean; text: string } | null>(null);
  const save = useMutation(
    trpc.rules.save.mutationOptions({
      onSettled: () => void qc.invalidateQueries(trpc.rules.get.queryFilter()),
    }),
  );
  // Rejects when refused, for a rule editor that waits for it (it stays open with the rule).
  const saveSet = async (set: RuleSet, part: SavedPart, replaceForeign = false) => {
    setOutcome(null);
    try {
      await save.mutateAsync({ set, replaceForeign });
      setOutcome({ part, ok: true, text: t("filters.saved") });
    } catch (e) {
      setOutcome({ part, ok: false, text: describeError(e, t) });
      throw e;
    }
  };
  const said = (part: SavedPart) =>
    outcome?.part === part && (
      <p
        role={outcome.ok ? "status" : "alert"}
        className={
          outcome.ok
            ? "text-sm text-emerald-700 dark:text-emerald-400"
            : "rounded-lg bg-red-50 px-3 py-2 text-red-800 dark:bg-red-950/40 dark:text-red-200"
        }
      >
        {outcome.text}
      </p>
    );
  // The whole path: a rule names "Računi/2026", not just "2026".
  const choices = folders
    .filter((f) => f.selectable)
    .map((f) => ({ id: f.path, name: f.specialUse ? folderLabel(f, t) : f.path }));

  if (state.isPending) return <p className="text-slate-500">…</p>;
  if (state.error) return <p role="alert">{describeError(state.error, t)}</p>;
  const data = state.data;
  if (data.kind === "unavailable")
    return (
      <SettingsSection title={t("filters.title")}>
        <p role="note" className="text-slate-500">
          {t("filters.unavailable")}
        </p>
      </SettingsSection>
    );
  if (data.kind === "foreign")
    return (
      <SettingsSection title={t("filters.title")}>
        <ForeignScript
          name={data.scriptName}
          script={data.script}
          reason={data.reason}
          onReplace={() => {
            if (confirm(t("filters.confirmReplace")))
              saveSet({ rules: [], vacation: defaultVacation }, "rules", true).catch(() => undefined);
          }}
        />
        {said("rules")}
      </SettingsSection>
    );

  const set = data.set;
  return (
    <>
      <SettingsSection title={t("filters.title")}>
        <p className="text-xs text-slate-500">{t("filters.serverHint")}</p>
        <RulesList
          rules={set.rules}
          folders={choices}
          actionTypes={ALL_ACTIONS}
          draft={draft}
          onDraftDone={onDraftDone}
          onChange={(rules) => saveSet({ ...set, rules }, "rules")}
          extraActions={(rule) => <ApplyButton rule={rule} folders={choices} />}
        />
        {said("rules")}
      </SettingsSection>
      <SettingsSection title={t("filters.vacation")}>
        <VacationForm
          key={JSON.stringify(set.vacation)}
          value={set.vacation}
          onSave={(vacation: Vacation) => saveSet({ ...set, vacation }, "vacation")}
        />
        {said("vacation")}
      </SettingsSection>
    </>
  );
}

function ForeignScript({
  name,
  script,
  reason,
  onReplace,
}: {
  name: string;
  script: string;
  reason: string;
  onReplace: () => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [text, setText] = useState(script);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const failed = (e: unknown) => setResult({ ok: false, message: describeError(e, t) });
  const check = useMutation(trpc.rules.check.mutationOptions({ onSuccess: setResult, onError: failed }));
  const store = useMutation(
    trpc.rules.saveScript.mutationOptions({
      onSuccess: (r) => {
        setResult(r);
        if (r.ok) void qc.invalidateQueries(trpc.rules.get.queryFilter());
      },
      onError: failed,
    }),
  );
  return (
    <div className="space-y-2">
      <h4 className="font-semibold">{t("filters.foreignTitle")}</h4>
      <p className="text-xs text-slate-500">{t("filters.foreignHint", { name, reason })}</p>
      <textarea
        aria-label={t("filters.scriptLabel")}
        spellCheck="false"
        className="h-56 w-full rounded-lg border border-slate-300 bg-white p-2 font-mono text-xs dark:border-slate-600 dark:bg-slate-800"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setResult(null);
        }}
      />
      {result && (
        <p
          role={result.ok ? "status" : "alert"}
          className={result.ok ? "text-green-700 dark:text-green-300" : "text-red-700 dark:text-red-300"}
        >
          {result.ok ? result.message || t("filters.checkOk") : result.message}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={buttonClass.secondary}
          onClick={() => check.mutate({ script: text })}
        >
          {t("filters.check")}
        </button>
        <button
          type="button"
          className={buttonClass.primary}
          onClick={() => store.mutate({ name, script: text })}
        >
          {t("filters.saveScript")}
        </button>
        <button type="button" className={buttonClass.ghost} onClick={onReplace}>
          {t("filters.replace")}
        </button>
      </div>
    </div>
  );
}

/** "Apply to messages already in this folder": a SEARCH, then the rule's actions, with progress. */
function ApplyButton({
  rule,
  folders,
}: {
  rule: Rule;
  folders: ReadonlyArray<{ id: string; name: string }>;
}) {
  const { t } = useTranslation();
  const client = useTRPCClient();
  const qc = useQueryClient();
  const trpc = useTRPC();
  const [folder, setFolder] = useState("INBOX");
  const [progress, setProgress] = useState<{
    checked: number;
    total: number;
    matched: number;
    done: boolean;
  } | null>(null);
  const [open, setOpen] = useState(false);
  const [applyError, setApplyError] = useState<string | null>(null);
  const run = () => {
    setApplyError(null);
    setProgress({ checked: 0, total: 0, matched: 0, done: false });
    const sub = client.rules.applyToFolder.subscribe(
      { folder, rule },
      {
        onData: (p) => {
          setProgress(p);
          if (p.done) {
            sub.unsubscribe();
            void qc.invalidateQueries(trpc.imap.list.queryFilter());
            void qc.invalidateQueries(trpc.imap.folders.queryFilter());
          }
        },
        onError: (e) => {
          setProgress(null);
          setApplyError(describeError(e, t));
        },
      },
    );
  };
  if (!open)
    return (
      <button type="button" className={buttonClass.ghost} onClick={() => setOpen(true)}>
        {t("filters.applyToFolder")}
      </button>
    );
  return (
    <span className="flex w-full flex-wrap items-center gap-2 text-xs">
      <select
        aria-label={t("filters.applyFolder")}
        value={folder}
        onChange={(e) => setFolder(e.target.value)}
        className="rounded border border-slate-300 px-1 py-0.5 dark:border-slate-600 dark:bg-slate-800"
      >
        {folders.map((f) => (
          <option key={f.id} value={f.id}>
            {f.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        className={buttonClass.secondary}
        disabled={progress !== null && !progress.done}
        onClick={run}
      >
        {t("filters.applyToFolder")}
      </button>
      {progress && (
        <>
          <progress
            aria-label={t("filters.applying")}
            max={Math.max(1, progress.total)}
            value={progress.checked}
          />
          <span role="status">
            {progress.done ? t("filters.applied", progress) : t("filters.progress", progress)}
          </span>
        </>
      )}
      {applyError && (
        <span role="alert" className="text-red-700 dark:text-red-400">
          {applyError}
        </span>
      )}
    </span>
  );
}

/** A banner in the app while out of office is on. */
