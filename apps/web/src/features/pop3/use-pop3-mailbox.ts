"use client";

import { useMemo, useState } from "react";
import { useTranslation } from "@/i18n/react";
import type { Account } from "@pismo/protocol/schemas";
import type { Rule } from "@pismo/protocol/rules";
import type { MailPane } from "@/features/shared/mail-layout";
import { useChecked } from "@/features/shared/mailbox-chrome";
import { useCompose } from "../compose/compose-context";
import { usePop3Conversations } from "../conversations/use-pop3-conversations";
import { ruleFromMessage } from "../filters/rule-words";
import { useSettingsEdits } from "../filters/settings-dialog";
import { usePop3Actions } from "../actions/use-pop3-actions";
import { useLeaveActedOn } from "../actions/after-acting";
import { usePop3Search } from "../search/use-pop3-search";
import { downloadMbox, type ExportProgress } from "../shared/mbox-download";
import { leftOutOfExport, mboxEntries } from "./pop3-export";
import { useToast } from "@/components/ui/toast";
import { importFiles, type ImportProgress } from "../shared/import-messages";
import type { ImportOutcome } from "../shared/import-report";
import { folderName } from "./pop3-folders";
import { INBOX, TRASH, localBuiltIns, type Pop3Store } from "./pop3-store";
import { opensInCompose } from "./pop3-drafts";
import { liveBurstMs, useLive } from "./use-live";

/** What the POP3 mailbox shows (folder, search, open message or conversation, checked rows,
 * settings, the pane on a phone) and the actions that change it. The panes read it; the app
 * wires it to the shortcuts and notifications. */

export type Pop3Mailbox = ReturnType<typeof usePop3Mailbox>;

export function usePop3Mailbox(store: Pop3Store, account: Account, pulling: boolean) {
  const { t } = useTranslation();
  const toast = useToast();
  const compose = useCompose();
  const [chosenFolder, setFolder] = useState(INBOX);
  const [openUid, setOpenUid] = useState<string | null>(null);
  const { checked, toggle, setAll, add, clear } = useChecked<string>();
  const [pane, setPane] = useState<MailPane>("list");
  const [showSettings, setShowSettings] = useState(false);
  // A rule being started from a message ("Create rule from message") opens in Settings.
  const [ruleDraft, setRuleDraft] = useState<Rule | null>(null);
  const [signingOut, setSigningOut] = useState(false);

  // The views a pull writes under render at most once a second while it runs.
  const burstMs = liveBurstMs(pulling);
  const settings = useLive(() => store.settings(), [store]);
  const unread = useLive(() => store.unreadCounts(), [store], burstMs);
  const folders = useMemo(() => settings?.folders ?? [], [settings]);
  // A folder deleted (here or by an import) falls back to the Inbox.
  const folder =
    settings && !localBuiltIns.includes(chosenFolder) && !settings.folders.some((f) => f.id === chosenFolder)
      ? INBOX
      : chosenFolder;
  const {
    search,
    active,
    messages,
    scope: searchScope,
  } = usePop3Search(store, account.email, folder, folders, burstMs);
  // The folder's size, counted on its index: the list reads only the rows it shows.
  const folderTotal = useLive(
    () => (active ? Promise.resolve(null) : store.count(folder)),
    [store, folder, active],
    burstMs,
  );
  const total = active ? messages?.length : (folderTotal ?? undefined);
  const conversations = usePop3Conversations(store, folder, account.email, active !== null, burstMs);
  const { setOpenKey } = conversations;
  const title = folderName(folder, folders, t);

  // Settings beside the list: what opens in its place first asks about edits not saved.
  const settingsEdits = useSettingsEdits();
  const closeSettings = (): boolean => {
    if (showSettings && !settingsEdits.mayClose()) return false;
    setShowSettings(false);
    return true;
  };
  /** False when it stayed (Settings kept its edits not saved). */
  const openFolder = (id: string): boolean => {
    if (!closeSettings()) return false;
    search.leave();
    setFolder(id);
    setOpenUid(null);
    setOpenKey(null);
    clear();
    setPane("list");
    return true;
  };
  // A draft opens where it can be finished: in the compose panel.
  const openDraft = async (uid: string) => {
    const fields = await store.draft(uid);
    if (fields) compose.open({ mode: "saved", ref: uid, fields });
  };
  const openMessage = (uid: string) => {
    if (opensInCompose(active ? messages?.find((m) => m.uid === uid) : undefined, folder))
      void openDraft(uid);
    else if (closeSettings()) {
      setOpenUid(uid);
      setPane("message");
    }
  };
  const closeOpen = () => {
    setOpenUid(null);
    setOpenKey(null);
    setPane("list");
  };
  // The open message deleted, archived, moved or reported alone: back to the list, or on to the
  // message beside it (Settings, "After deleting or moving"), from the list shown.
  const { advanceRef, leave } = useLeaveActedOn(closeOpen);
  const selection = checked.size > 0 ? [...checked] : openUid ? [openUid] : [];
  // A conversation is acted on whole (its rows are not ticked one by one).
  const openAlone =
    checked.size === 0 && (conversations.shown ? conversations.openKey !== null : openUid !== null);
  const actions = usePop3Actions(store, folders);
  const actOn = (fn: (uids: string[]) => Promise<unknown>) => (uids: string[]) => {
    void fn(uids);
    clear();
    if (openAlone) leave();
    else closeOpen();
  };
  const removeSelection = async () => {
    if (selection.length === 0) return;
    const alone = openAlone;
    const { permanently } = await actions.remove(selection);
    if (permanently > 0 || folder !== TRASH) {
      clear();
      if (alone) leave();
      else setOpenUid(null);
    }
  };
  const moveSelection = async (to: string) => {
    const alone = openAlone;
    await actions.move(selection, to);
    clear();
    if (alone) leave();
    else setOpenUid(null);
  };
  /** Every message of the list (the search's results, or the folder's), for "Select all". */
  const allUids = async (): Promise<string[]> =>
    active ? (messages ?? []).map((m) => m.uid) : store.uids(folder);
  const exportFolder = async (onProgress: ExportProgress) => {
    const rows = await store.list(folder);
    const leftOut = leftOutOfExport(rows);
    await downloadMbox(mboxEntries(store, rows), rows.length - leftOut, `${title}.mbox`, onProgress);
    if (leftOut > 0) toast(t("pop3.exportLeftOut", { count: leftOut }));
  };
  /** Messages from files (an mbox, as Export folder writes it or another program does, or an
   * .eml) into the folder shown, read, never on the server. */
  const importInto = (files: readonly File[], onProgress?: ImportProgress): Promise<ImportOutcome[]> =>
    importFiles(
      files,
      async (messages, stored) => {
        let done = 0;
        let already = 0;
        try {
          ({ stored: done, already } = await store.importMessages(folder, messages, {
            onStored: (n, copies) => {
              done = n;
              already = copies;
              stored(n + copies);
            },
          }));
          return { done, already };
        } catch (error) {
          // A full disk part-way: what was stored stays, and is counted.
          return { done, already, error };
        }
      },
      onProgress,
    );

  const filtersUi = {
    openSettings: () => {
      setShowSettings(true);
      setPane("message");
    },
    createRuleFrom: (from: string | null, subject: string | null) => {
      setRuleDraft(ruleFromMessage(from, subject));
      setShowSettings(true);
      setPane("message");
    },
  };

  // What the reading pane shows (Pop3MessagePane): Settings, the open conversation or message.
  const readingNothing =
    !(showSettings && settings) && !(conversations.shown && conversations.open) && openUid === null;

  return {
    folder,
    folders,
    settings,
    unread,
    title,
    search,
    active,
    messages,
    total,
    burstMs,
    searchScope,
    conversations,
    openUid,
    setOpenUid,
    readingNothing,
    advanceRef,
    leave,
    checked,
    toggle,
    setAll,
    add,
    clear,
    pane,
    setPane,
    showSettings,
    setShowSettings,
    /** Leaves Settings unless the user keeps its edits not saved; false when it stays. */
    closeSettings,
    settingsEdits: settingsEdits.unsaved,
    ruleDraft,
    setRuleDraft,
    signingOut,
    setSigningOut,
    selection,
    actions,
    actOn,
    openFolder,
    openMessage,
    closeOpen,
    removeSelection,
    moveSelection,
    exportFolder,
    importFiles: importInto,
    allUids,
    filtersUi,
  };
}
