import { base64ToBytes } from "@/lib/base64";
import type { DraftStore } from "../compose/draft-store";
import type { Pop3Store } from "./pop3-store";
import { pop3TemplateStore } from "./pop3-templates";
import { DRAFTS } from "./pop3-database";

/**
 * Whether a row opens in the compose panel (a draft, to be finished) rather than the reading
 * pane: by the row's own folder, since a search lists rows of every folder whichever is viewed;
 * without the row, by the folder viewed.
 */
export function opensInCompose(row: { folderId: string } | undefined, viewed: string): boolean {
  return (row?.folderId ?? viewed) === DRAFTS;
}

/**
 * Drafts and sent mail of a POP3 account: the server keeps nothing, so drafts are kept in this browser
 * (local Drafts, the compose fields as they are), the sent copy in the local Sent folder, and
 * templates with the settings.
 */
export function pop3DraftStore(store: Pop3Store, held: (ids: string[]) => Promise<string[]>): DraftStore {
  return {
    local: true,
    templates: pop3TemplateStore(store),
    keptFiles: (ref) =>
      typeof ref === "string" ? filesToUploadAgain(store, ref, held) : Promise.resolve(new Map()),
    async save(_draft, fields, ref, files) {
      // "Answering" names an IMAP message; a POP3 message has nowhere to be marked answered.
      const uid = await store.saveDraft(
        { ...fields, answering: null },
        typeof ref === "string" ? ref : null,
        {
          files,
        },
      );
      return { ref: uid, attachments: null };
    },
    async discard(ref) {
      if (typeof ref === "string") await store.removeDraft(ref);
    },
    serverDraftUid: () => null,
    async afterSend(result, ref) {
      if (result.raw !== null) await store.storeSent(base64ToBytes(result.raw));
      // Only once the copy is kept: until then the draft is the one copy of what was sent.
      if (typeof ref === "string") await store.removeDraft(ref);
    },
  };
}

/**
 * The kept bytes of those of a local draft's files the gateway no longer holds (its uploads
 * end with the session), to be uploaded again when the draft's window opens. `held` asks the
 * gateway: within one session the uploads are still there, and sending them again would count
 * twice against the session's limits. Unanswered, every file goes up again.
 */
export async function filesToUploadAgain(
  store: Pop3Store,
  uid: string,
  held: (ids: string[]) => Promise<string[]>,
): Promise<Map<string, Blob>> {
  const files = await store.draftFiles(uid);
  if (files.size > 0) {
    const still = await held([...files.keys()]).catch(() => []);
    for (const id of still) files.delete(id);
  }
  return files;
}
