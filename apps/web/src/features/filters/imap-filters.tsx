"use client";

import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "@/i18n/react";
import type { Rule, Vacation } from "@pismo/protocol/rules";
import { defaultVacation, fitsSieve, runsImap4flags } from "@pismo/protocol/rules";
import type { Folder } from "@pismo/protocol/schemas";
import { buttonClass } from "@/components/ui/dialog";
import { describeError } from "@/lib/errors";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { folderLabel } from "../imap/folder-label";
import { RefusalInWords, unsupportedInSet } from "./rule-problems";
import { RuleSaves, type RuleSavesPort, type RuleSetChange } from "./rule-saves";
import { RulesList } from "./rules-list";
import { SettingsSection, useUnsavedInSettings } from "./settings-dialog";
import { sieveExtensions, unsupportedIn, UnsupportedBySieve } from "./sieve-support";
import { VacationForm } from "./vacation-form";

type SavedPart = "rules" | "vacation";

const ALL_ACTIONS = ["move", "copy", "markRead", "flag", "forward", "discard", "reject", "stop"] as const;

// One queue of saves per query cache, not per mount: closing Settings while a save is on its way
// and opening it again must not start a second queue that saves beside the first.
const savesOf = new WeakMap<QueryClient, RuleSaves>();

/** The rules make a script larger than a server takes (MAX_SCRIPT_BYTES). */
class ScriptTooLarge extends Error {}

/** Makes a change to the account's filters: shown at once, saved after those before it. */
function useRuleSaves(): RuleSaves["make"] {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  const port: RuleSavesPort = {
    shown: () => qc.getQueryData(trpc.rules.get.queryKey()),
    // The same rules: zod's type says an absent header may be `undefined`, tRPC's inferred
    // output that it is left out.
    show: (rules) => qc.setQueryData(trpc.rules.get.queryKey(), rules as never),
    stopReading: () => void qc.cancelQueries(trpc.rules.get.queryFilter()),
    // A set whose script no server takes is not sent: the page says why (ScriptTooLarge), and
    // which rule needs what this server does not run (UnsupportedBySieve), where the server's
    // refusal would name only a `require`.
    save: (set, version) => {
      const shown = qc.getQueryData(trpc.rules.get.queryKey());
      const extensions = shown && "extensions" in shown ? shown.extensions : [];
      const unsupported = unsupportedIn(set, sieveExtensions(extensions));
      if (unsupported.length > 0) return Promise.reject(new UnsupportedBySieve(unsupported));
      return fitsSieve(set, { imap4flags: runsImap4flags(extensions) })
        ? client.rules.save.mutate({ set, version })
        : Promise.reject(new ScriptTooLarge());
    },
    reread: () => qc.fetchQuery({ ...trpc.rules.get.queryOptions(), staleTime: 0 }),
  };
  return (change, opts) => {
    let saves = savesOf.get(qc);
    if (!saves) {
      saves = new RuleSaves(port);
      savesOf.set(qc, saves);
    }
    // Through the connection of this render (the page opens a new one after a lost one).
    saves.port = port;
    return saves.make(change, opts);
  };
}

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
  // Read again each time Settings opens: another device may have changed them, and a folder
  // renamed since takes its rules along on the server.
  const state = useQuery({ ...trpc.rules.get.queryOptions(), staleTime: 0 });
  // What the server runs, read from its capability once per answer (the query keeps the same
  // list while it does not change), not on every render: the list and the forms get one object.
  const capability = state.data && "extensions" in state.data ? state.data.extensions : null;
  const extensions = useMemo(() => sieveExtensions(capability ?? []), [capability]);
  const makeChange = useRuleSaves();
  // What the last save came to, said in the section it was made in: Settings is a modal dialog,
  // and a toast outside it is inert and unread.
  const [outcome, setOutcome] = useState<{ part: SavedPart; ok: boolean; text: string } | null>(null);
  const saveRefused = (e: unknown) => {
    if (e instanceof ScriptTooLarge) return t("filters.scriptTooLarge");
    const unsupported = e instanceof UnsupportedBySieve ? e.parts[0] : undefined;
    if (unsupported) return unsupportedInSet(unsupported, t);
    return describeError(e, t, { CHANGED: t("filters.changedElsewhere") });
  };
  const said = (part: SavedPart, ok: boolean, text: string) => setOutcome({ part, ok, text });
  // Rejects when refused, for a rule editor that waits for it (it stays open with the rule).
  const make = async (change: RuleSetChange, part: SavedPart) => {
    setOutcome(null);
    try {
      // A form shows its own values while they are saved; the list shows its change at once.
      const saved = await makeChange(change, { shown: part === "rules" });
      said(part, true, saved.overOthers ? t("filters.savedOverChange") : t("filters.saved"));
    } catch (e) {
      const words = saveRefused(e);
      said(part, false, words);
      // A rule editor waiting for it says the same (it is in front of the section's alert).
      throw new RefusalInWords(words, { cause: e });
    }
  };
  const replace = useMutation(
    trpc.rules.save.mutationOptions({
      onSettled: () => void qc.invalidateQueries(trpc.rules.get.queryFilter()),
    }),
  );
  // A folder renamed or deleted in another tab while Settings is open: the rules that filed into
  // it read again (renamed through Pismo, they followed it on the server).
  const folderPaths = folders.map((f) => f.path).join("\n");
  const seenPaths = useRef(folderPaths);
  useEffect(() => {
    if (seenPaths.current === folderPaths) return;
    const loaded = seenPaths.current !== "";
    seenPaths.current = folderPaths;
    if (loaded) void qc.invalidateQueries(trpc.rules.get.queryFilter());
  }, [folderPaths, qc, trpc]);
  // The whole path: a rule names "Računi/2026", not just "2026".
  const choices = folders
    .filter((f) => f.selectable)
    .map((f) => ({ id: f.path, name: f.specialUse ? folderLabel(f, t) : f.path }));
  const message = (part: SavedPart) =>
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
          reason={t(`filters.foreignReason.${data.reason}`, { line: data.line ?? 0 })}
          onReplace={() => {
            if (!confirm(t("filters.confirmReplace"))) return;
            setOutcome(null);
            replace
              .mutateAsync({
                set: { rules: [], vacation: defaultVacation },
                replaceForeign: true,
                version: data.version,
              })
              .then(
                () => said("rules", true, t("filters.saved")),
                (e: unknown) => said("rules", false, saveRefused(e)),
              );
          }}
        />
        {message("rules")}
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
          sieveExtensions={extensions}
          draft={draft}
          onDraftDone={onDraftDone}
          onChange={(_, change) => make((s) => ({ ...s, rules: change(s.rules) }), "rules")}
          extraActions={(rule) => <ApplyButton rule={rule} folders={choices} />}
        />
        {message("rules")}
      </SettingsSection>
      <SettingsSection title={t("filters.vacation")}>
        <VacationForm
          key={JSON.stringify(set.vacation)}
          value={set.vacation}
          sieveExtensions={extensions}
          onSave={(vacation: Vacation) => make((s) => ({ ...s, vacation }), "vacation")}
        />
        {message("vacation")}
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
  // The text box's edits are lost with Settings: closing it asks first, as for a form.
  // Compared without CR: the box hands back LF line ends, and another client may store CRLF.
  useUnsavedInSettings(text.replace(/\r\n/g, "\n") !== script.replace(/\r\n/g, "\n"));
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
