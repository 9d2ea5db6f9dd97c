import { base64ToBytes } from "@/lib/base64";
import type { DraftStore } from "../compose/draft-store";
import type { ComposeFields } from "../compose/initial-draft";
import type { Pop3Store } from "./pop3-store";

/**
 * Drafts and sent mail of a POP3 account: the server keeps nothing, so drafts are kept in this browser
 * (local Drafts, the compose fields as they are) and the sent copy in the local Sent folder.
 */
export function pop3DraftStore(store: Pop3Store): DraftStore {
  return {
    local: true,
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
 * A local draft to reopen: its fields, and the kept bytes of those of its files the gateway no
 * longer holds (its uploads end with the session), to be uploaded again when the window opens.
 * `held` asks the gateway: within one session the uploads are still there, and sending them
 * again would count twice against the session's limits. Unanswered, every file goes up again.
 */
export async function reopenedDraft(
  store: Pop3Store,
  uid: string,
  held: (ids: string[]) => Promise<string[]>,
): Promise<{ fields: ComposeFields; files: Map<string, Blob> } | null> {
  const [fields, files] = await Promise.all([store.draft(uid), store.draftFiles(uid)]);
  if (!fields) return null;
  if (files.size > 0) {
    const still = await held([...files.keys()]).catch(() => []);
    for (const id of still) files.delete(id);
  }
  return { fields, files };
}
