"use client";

import { useTranslation } from "@/i18n/react";
import { useToast } from "@/components/ui/toast";
import { inGroups } from "@/lib/batch";
import { describeError } from "@/lib/errors";
import { useTRPCClient } from "@/trpc/client";
import { useImportReport } from "../shared/import-report";
import { IMPORT_GROUP_BYTES } from "../shared/import-limits";
import type { ImportProgress } from "../shared/import-messages";

/** How many of a file's messages are asked about at once (whether the folder holds them;
 * fewer when they weigh IMPORT_GROUP_BYTES). */
const ASK_AT_ONCE = 100;

/**
 * Import messages into an IMAP folder (the code comes with the click): each message uploaded
 * and APPENDed by the gateway (compose.importMessage) with the state its file gave it (read,
 * flagged, answered; read when it said nothing), one at a time, so the session's upload bounds
 * hold whatever the file's size, and no upload is left held when the file stops (the APPEND
 * removes its own); not one the folder already holds (asked about a hundred at a time:
 * compose.importedAlready) or the file held before, nor one larger than the gateway takes as an
 * upload (the server's SIZE: left out and counted). A message the server refuses stops that
 * file (its messages before it stay imported), and each file is said as it went.
 */
export function useImportIntoFolder(): (
  folder: string,
  label: string,
  files: File[],
  onProgress: ImportProgress,
) => Promise<void> {
  const { t } = useTranslation();
  const toast = useToast();
  const client = useTRPCClient();
  const report = useImportReport();
  return (folder, label, files, onProgress) =>
    (async () => {
      const [{ importFiles }, { uploadFile }, { importIdentity, importIdentityKey }] = await Promise.all([
        import("../shared/import-messages"),
        import("../compose/upload"),
        import("@pismo/protocol/mime/imported"),
      ]);
      toast(t("mail.importing", { folder: label }), "info");
      const { maxUploadBytes } = await client.compose.limits.query();
      const outcomes = await importFiles(
        files,
        async (messages, stored) => {
          let done = 0;
          let already = 0;
          let tooLarge = 0;
          const outcome = () => ({
            done,
            already,
            ...(tooLarge > 0 ? { tooLarge, limitBytes: maxUploadBytes } : {}),
          });
          // The identities (Message-ID and Date) of this file's messages stored so far: one it
          // holds twice goes in once.
          const seen = new Set<string>();
          try {
            const groups = inGroups(messages, ASK_AT_ONCE, {
              maxWeight: IMPORT_GROUP_BYTES,
              weigh: (m) => m.raw.length,
            });
            for await (const group of groups) {
              const batch = group.map((m) => {
                const id = importIdentity(m.raw);
                return { ...m, id, key: id && importIdentityKey(id) };
              });
              const asked = batch.flatMap(({ id }) =>
                id ? [{ messageId: id.messageId, date: id.date }] : [],
              );
              const there =
                asked.length > 0
                  ? await client.compose.importedAlready.query({ folder, messages: asked })
                  : [];
              let answer = 0;
              for (const { raw, state, id, key } of batch) {
                const held = id ? there[answer++] === true : false;
                if (held || (key && seen.has(key))) {
                  already += 1;
                  stored(done + already + tooLarge);
                  continue;
                }
                if (raw.length > maxUploadBytes) {
                  tooLarge += 1;
                  stored(done + already + tooLarge);
                  continue;
                }
                // Refused all the same (the bytes the account's uploads hold elsewhere): the file
                // stops there, saying why.
                const upload = await uploadFile(
                  new File([raw as BlobPart], "imported.eml", { type: "message/rfc822" }),
                  () => undefined,
                  new AbortController().signal,
                );
                await client.compose.importMessage.mutate({
                  folder,
                  uploadId: upload.id,
                  ...(state ? { state } : {}),
                });
                if (key) seen.add(key);
                done += 1;
                stored(done + already + tooLarge);
              }
            }
            return outcome();
          } catch (error) {
            return { ...outcome(), error };
          }
        },
        onProgress,
      );
      report(label, outcomes);
    })().catch((error: unknown) => toast(describeError(error, t), "error"));
}
