"use client";

import { useCallback, useEffect } from "react";
import { useTranslation } from "@/i18n/react";
import { useToast } from "@/components/ui/toast";
import { useLatest } from "../shared/use-latest";
import type { usePop3Pull } from "./use-pop3-pull";

/**
 * When mail is pulled, and what the user hears of it: "Check now" (the returned function), the
 * periodic check every `everyMinutes` (0: none), and a toast for new mail or a full storage.
 * The periodic check runs only while the app is open; no connection stays open between. No
 * check starts while pulls are held (Pop3Puller.hold: the sign-out dialog is open).
 */
export function usePullChecks(pull: ReturnType<typeof usePop3Pull>, everyMinutes: number): () => void {
  const { t } = useTranslation();
  const toast = useToast();
  const { start, running, outcome } = pull;
  const check = useCallback(() => {
    void start();
  }, [start]);

  useEffect(() => {
    if (everyMinutes <= 0) return;
    const timer = setInterval(() => {
      if (!running) check();
    }, everyMinutes * 60_000);
    return () => clearInterval(timer);
  }, [everyMinutes, running, check]);

  // Once per outcome, in the language of the moment: a change of language is no new mail (the
  // toast came again, in the other language).
  const words = useLatest(t);
  useEffect(() => {
    const tr = words.current;
    if (outcome?.kind === "done" && outcome.stored > 0) toast(tr("pop3.got", { count: outcome.stored }));
    if (outcome?.kind === "error" && outcome.code === "STORAGE_FULL") toast(tr("pop3.storageFull"), "error");
  }, [outcome, toast, words]);

  return check;
}
