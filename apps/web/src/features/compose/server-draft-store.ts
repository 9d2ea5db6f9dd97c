import { useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { undoRequest, type MailActionRequest } from "@pismo/protocol/actions";
import type { DraftStore } from "./draft-store";
import { useServerTemplateStore } from "../templates/server-templates";

/** IMAP: drafts in the server's \\Drafts folder, the sent copy appended to \\Sent by the gateway,
 * templates in its Templates folder. */
export function useServerDraftStore(): DraftStore {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  const templates = useServerTemplateStore();
  return useMemo<DraftStore>(
    () => ({
      local: false,
      templates,
      async save(draft, _fields, ref) {
        const saved = await client.compose.saveDraft.mutate({
          draft,
          replaceUid: typeof ref === "number" ? ref : null,
        });
        if (!saved) return null;
        void qc.invalidateQueries(trpc.imap.list.queryFilter({ folder: saved.folder }));
        return { ref: saved.uid, attachments: saved.attachments };
      },
      async discard(ref, composeId) {
        try {
          const uid = typeof ref === "number" ? ref : null;
          if (uid !== null || composeId !== undefined)
            await client.compose.discardDraft.mutate({
              uid,
              ...(composeId !== undefined ? { composeId } : {}),
            });
        } finally {
          void qc.invalidateQueries(trpc.imap.list.pathFilter());
        }
      },
      async discardUndoably(ref, folder) {
        try {
          const request: MailActionRequest = { kind: "delete", folder, uids: [ref] };
          const result = await client.actions.act.mutate(request);
          const back = undoRequest(request, result);
          if (!back) return null;
          return {
            async restore() {
              try {
                const restored = await client.actions.act.mutate(back);
                return restored.moved[0]?.newUid ?? null;
              } finally {
                void qc.invalidateQueries(trpc.imap.list.pathFilter());
                void qc.invalidateQueries(trpc.imap.folders.queryFilter());
              }
            },
          };
        } finally {
          void qc.invalidateQueries(trpc.imap.list.pathFilter());
          void qc.invalidateQueries(trpc.imap.folders.queryFilter());
        }
      },
      serverDraftUid: (ref) => (typeof ref === "number" ? ref : null),
      afterSend: () => Promise.resolve(),
    }),
    [trpc, client, qc, templates],
  );
}
