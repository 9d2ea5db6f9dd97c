import type { DraftStore } from "../compose/draft-store";
import type { Pop3Store } from "./pop3-store";

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i += 1) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Issue 7 for a POP3 account: the server keeps nothing, so drafts are kept in this browser
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
      try {
        if (result.raw !== null) await store.storeSent(base64ToBytes(result.raw));
      } finally {
        if (typeof ref === "string") await store.removeDraft(ref);
      }
    },
  };
}
