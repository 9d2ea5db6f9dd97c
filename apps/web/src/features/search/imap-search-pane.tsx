"use client";

import { useMemo, type RefObject } from "react";
import type { AdvanceFrom } from "../actions/after-acting";
import { useTranslation } from "@/i18n/react";
import type { Folder } from "@pismo/protocol/schemas";
import { ListTitleBar, SelectionBar, useChecked } from "@/features/shared/mailbox-chrome";
import { MoveMenu } from "@/features/shared/move-menu";
import { buttonClass } from "@/components/ui/dialog";
import { folderLabel, imapMoveTargets } from "../imap/folder-label";
import { useImapActions } from "../imap/use-imap-actions";
import { useForwardRefs } from "../imap/use-forward-refs";
import { ImapSearchList, refKey } from "./imap-search-list";
import { withKnownResults } from "./known-results";
import { searchActionGroups } from "./search-uid-validity";
import { useImapSearch, type SearchRef } from "./use-imap-search";
import { useKnownResults } from "./use-known-results";
import type { SearchState } from "./use-search-text";

/**
 * The list column while an IMAP search is shown: its title (the query, and the way back to
 * the folder), the bar of actions on the ticked results (which may be in several folders:
 * each action goes to each folder), and the results.
 */
export function ImapSearchPane({
  search,
  fuzzy,
  currentFolder,
  folders,
  openRef,
  onOpen,
  onClosed,
  onOpenRemoved,
  onOpenFolders,
  advanceRef,
}: {
  search: SearchState;
  fuzzy: boolean;
  currentFolder: string;
  folders: readonly Folder[];
  openRef: SearchRef | null;
  onOpen: (ref: SearchRef, neighbours: { prev: number | null; next: number | null }) => void;
  /** The open message went away (deleted or moved from here). */
  onClosed: () => void;
  /** The open message, alone, was deleted here: back to the list, or on to the next (after-acting). */
  onOpenRemoved: () => void;
  onOpenFolders: () => void;
  advanceRef: RefObject<AdvanceFrom | null>;
}) {
  const { t } = useTranslation();
  const actions = useImapActions();
  const active = search.active;
  // in: takes the names the folder list shows ("Poslato" for Sent) as well as the server's;
  // built once per folder list and language, not on every render of the results.
  const folderLabels = useMemo(
    () =>
      folders.flatMap((f) => {
        const label = folderLabel(f, t);
        return label === f.name ? [] : [{ path: f.path, label }];
      }),
    [folders, t],
  );
  const request = active
    ? {
        text: active.text,
        now: active.now,
        locale: search.locale,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        currentFolder,
        fuzzy,
        folderLabels,
      }
    : null;
  const known = useKnownResults(
    active && request ? { key: JSON.stringify(request), query: active.query } : null,
    currentFolder,
    fuzzy,
  );
  const results = withKnownResults(useImapSearch(request), known);
  const { checked, toggle, setAll, add, clear } = useChecked<string>();

  const label = (path: string) => {
    const f = folders.find((x) => x.path === path);
    return f ? folderLabel(f, t) : path;
  };
  const scope =
    active?.query.scope.kind === "all"
      ? t("search.allFolders")
      : t("search.inFolder", { folder: label(results.folders[0] ?? currentFolder) });

  // Ticked results (or the open one), by folder: IMAP acts on one folder per command. Each
  // names the UIDVALIDITY the search read its folder under (searchActionGroups).
  const selectedRefs = () =>
    checked.size > 0 ? results.refs.filter((r) => checked.has(refKey(r))) : openRef ? [openRef] : [];
  const each = (fn: (folder: string, uids: number[], at: { uidValidity: string }) => void) => {
    const refs = selectedRefs();
    for (const { folder, uids, uidValidity } of searchActionGroups(refs, results.uidValidities))
      fn(folder, uids, { uidValidity });
  };
  const targets = imapMoveTargets(folders, t);
  const forward = useForwardRefs();
  const inDrafts = (path: string) => folders.find((f) => f.path === path)?.specialUse === "drafts";
  const removeSelected = () => {
    const openAlone = checked.size === 0 && openRef !== null;
    each((folder, uids, at) => actions.remove(folder, uids, at));
    clear();
    if (openAlone) onOpenRemoved();
    else onClosed();
  };

  return (
    <>
      <ListTitleBar title={active?.text ?? ""} onOpenFolders={onOpenFolders}>
        <button type="button" className={buttonClass.ghost} onClick={search.leave}>
          {t("search.back")}
        </button>
      </ListTitleBar>
      {checked.size > 0 && (
        <SelectionBar
          onSeen={(seen) => each((folder, uids, at) => actions.setSeen(folder, uids, seen, at))}
          onDelete={removeSelected}
          // Drafts among the results are finished, not forwarded.
          onForward={() =>
            forward(
              selectedRefs().filter((r) => !inDrafts(r.folder)),
              results.uidValidities,
            )
          }
        >
          <MoveMenu
            id="move-many"
            label={t("mail.moveTo")}
            targets={targets}
            onMove={(to) => {
              each((folder, uids, at) => {
                if (folder !== to.id) actions.move(folder, uids, to.id, to.name, at);
              });
              clear();
              onClosed();
            }}
          />
        </SelectionBar>
      )}
      {results.failure ? (
        <div role="status" aria-label={t("search.results")} className="p-6 text-center text-sm text-red-700">
          {(results.failure as { message?: string }).message ?? String(results.failure)}
        </div>
      ) : (
        <ImapSearchList
          results={results}
          query={active?.text ?? ""}
          scope={scope}
          folderLabel={label}
          openRef={openRef}
          checked={checked}
          onOpen={onOpen}
          onToggle={toggle}
          onToggleAll={setAll}
          onSelectRange={add}
          onDelete={removeSelected}
          advanceRef={advanceRef}
        />
      )}
    </>
  );
}
