import { base64ToBytes } from "@/lib/base64";
import type { DraftStore } from "../compose/draft-store";
import type { Pop3Store } from "./pop3-store";

/**
 * Drafts and sent mail of a POP3 account: the server keeps nothing, so drafts are kept in this browser
 * (local Drafts, the compose fields as they are) and the sent copy in the local Sent folder.
 */
export function pop3DraftStore(store: Pop3Store): DraftStore {
  return {
    local: true,
    async save(_draft, fields, ref) {
      // "Answering" names an IMAP message; a POP3 message has nowhere to be marked answered.
      const uid = await store.saveDraft({ ...fields, answering: null }, typeof ref === "string" ? ref : null);
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
