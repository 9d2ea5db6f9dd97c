import { useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { htmlText } from "../compose/compose-sanitizer";
import { MAX_TEMPLATES, templateBodySchema, templatesFolderOf } from "@pismo/protocol/templates";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import type { TemplateStore } from "./template-store";

/** A subject another program wrote, as a template's name: on one line, without control
 * characters (copied into an empty Subject, a line break would fail every save and the send). */
const templateName = (subject: string) =>
  subject
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .trim()
    .slice(0, 200);

/**
 * IMAP: templates are the messages of the server's Templates folder (Thunderbird's; made by the
 * first one saved). Listing and opening one reads that folder without watching it: the
 * connection stays IDLE on the folder the user reads.
 */
export function useServerTemplateStore(): TemplateStore {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  return useMemo<TemplateStore>(() => {
    const folder = async () =>
      templatesFolderOf(await qc.ensureQueryData(trpc.imap.folders.queryOptions()))?.path ?? null;
    return {
      local: false,
      key: "server",
      async list() {
        const path = await folder();
        if (!path) return [];
        const window = await client.imap.list.query({ folder: path, offset: 0, limit: MAX_TEMPLATES });
        return window.messages.map((m) => ({ id: String(m.uid), name: templateName(m.subject) }));
      },
      async load(item) {
        const path = await folder();
        if (!path) throw new Error("There is no Templates folder any more");
        const m = await client.imap.open.query({ folder: path, uid: Number(item.id), peek: true });
        const html = m.body.kind === "html" ? m.body.content : null;
        return {
          name: templateName(m.subject),
          text: html === null ? m.body.content : htmlText(html),
          html,
        };
      },
      async save(body) {
        const template = templateBodySchema.parse(body);
        await client.compose.saveTemplate.mutate({ template });
        // The first template made the folder: the tree is asked again (other pages hear of it).
        await qc.invalidateQueries(trpc.imap.folders.queryFilter());
      },
      async remove(item) {
        const path = await folder();
        if (!path) return;
        await client.actions.act.mutate({ kind: "delete", folder: path, uids: [Number(item.id)] });
        void qc.invalidateQueries(trpc.imap.folders.queryFilter());
        void qc.invalidateQueries(trpc.imap.list.queryFilter({ folder: path }));
      },
    };
  }, [trpc, client, qc]);
}
