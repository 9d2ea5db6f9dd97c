"use client";

import { useTranslation } from "@/i18n/react";
import type { LocalFolder } from "@pismo/protocol/filters";
import { folderName } from "../pop3/pop3-folders";
import type { Pop3Store } from "../pop3/pop3-store";
import { useLive } from "../pop3/use-live";
import { useSearchText } from "./use-search-text";

/**
 * The POP3 list's search: the box's state, the active search's results (which follow new mail
 * as it is pulled; null without a search: the folder's list reads its own rows, a window at a
 * time) and where the search looks, in words for the results header. A search covers the store's every folder when it says
 * in:all, else one folder: the one it names, or the one being viewed.
 */
export function usePop3Search(
  store: Pop3Store,
  account: string,
  folder: string,
  folders: readonly LocalFolder[],
  /** The results' burst interval (see liveBurstMs): slower while a pull writes. */
  burstMs?: number,
) {
  const { t } = useTranslation();
  const search = useSearchText(account, { live: true });
  const active = search.active;
  const messages = useLive(
    () =>
      active
        ? store.search.search(active.query, folder, (id) => folderName(id, folders, t))
        : Promise.resolve(null),
    [store, folder, active, folders],
    burstMs,
  );
  const scope =
    active?.query.scope.kind === "all"
      ? t("search.allFolders")
      : t("search.inFolder", {
          folder:
            active?.query.scope.kind === "folder"
              ? active.query.scope.folder
              : folderName(folder, folders, t),
        });
  return { search, active, messages, scope };
}
