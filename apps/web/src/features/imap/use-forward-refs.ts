"use client";

import { useTranslation } from "@/i18n/react";
import { useToast } from "@/components/ui/toast";
import { describeError } from "@/lib/errors";
import { useTRPCClient } from "@/trpc/client";
import { useCompose } from "../compose/compose-context";

/**
 * Forward as attachments, for ticked IMAP messages (a folder's, or search results in several
 * folders): their rows are read from the server and the compose window opens with each message
 * attached whole. The code comes with the click, as the compose window's does.
 */
export function useForwardRefs(): (
  refs: { folder: string; uid: number }[],
  uidValidities?: ReadonlyMap<string, string>,
) => void {
  const { t } = useTranslation();
  const toast = useToast();
  const compose = useCompose();
  const client = useTRPCClient();
  return (refs, uidValidities) =>
    void (async () => {
      const { imapForwardSource, MAX_FORWARDED_MESSAGES } = await import("../compose/forward-selection");
      if (refs.length > MAX_FORWARDED_MESSAGES)
        return toast(t("mail.forwardTooMany", { max: MAX_FORWARDED_MESSAGES }), "error");
      const source = await imapForwardSource(
        refs,
        (wanted) => client.imap.searchRows.query({ refs: wanted }),
        uidValidities,
      );
      // Deleted or moved elsewhere meanwhile: said, not a click that does nothing.
      if (!source) return toast(t("mail.forwardGone"), "error");
      compose.open({ mode: "forwardAttached", source });
    })().catch((error: unknown) => toast(describeError(error, t), "error"));
}
