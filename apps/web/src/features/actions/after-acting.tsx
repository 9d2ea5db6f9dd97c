"use client";

import { useLayoutEffect, useRef, type RefObject } from "react";
import { useTranslation } from "@/i18n/react";
import { ChoiceSetting, readChoice } from "../shared/browser-choice";

/**
 * What follows when the message being read is deleted, archived, moved or reported as spam:
 * back to the list (as before, and Gmail's default), or on to the message below it or above it
 * (Roundcube's and Thunderbird's way, Gmail's "auto-advance"). A choice about how this person
 * reads, kept in this browser with the other preferences (language, theme, Undo send), for both
 * account types.
 */
export type AfterActing = "list" | "next" | "previous";

const KEY = "pismo.afterActing";
const CHOICES: readonly [AfterActing, ...AfterActing[]] = ["list", "next", "previous"];

export function readAfterActing(): AfterActing {
  return readChoice(KEY, CHOICES);
}

/**
 * A list opens, in place of its open message that is leaving it, the one `delta` rows away (1
 * below, -1 above; the other side at the list's end). False when it cannot (none left, or its
 * rows around the open one not loaded): the message is then closed.
 */
export type AdvanceFrom = (delta: 1 | -1) => boolean;

/**
 * For an app: `leave()` after its open message was acted on (alone, not a checked selection)
 * goes where the preference says. The list shown hands its `advance` to `advanceRef`
 * (useAdvanceHandle); `close` is the app's way back to the list.
 */
export function useLeaveActedOn(close: () => void): {
  advanceRef: RefObject<AdvanceFrom | null>;
  leave: () => void;
} {
  const advanceRef = useRef<AdvanceFrom | null>(null);
  const leave = () => {
    const after = readAfterActing();
    if (after !== "list" && advanceRef.current?.(after === "next" ? 1 : -1)) return;
    close();
  };
  return { advanceRef, leave };
}

/** A list gives the app its way to open the next message; the latest render's, for the rows it holds. */
export function useAdvanceHandle(ref: RefObject<AdvanceFrom | null> | undefined, advance: AdvanceFrom): void {
  useLayoutEffect(() => {
    if (!ref) return;
    ref.current = advance;
  });
  useLayoutEffect(() => {
    if (!ref) return;
    return () => {
      ref.current = null;
    };
  }, [ref]);
}

/** The Settings section: three choices, saved as soon as one is picked. */
export function AfterActingSetting() {
  const { t } = useTranslation();
  return (
    <ChoiceSetting
      storageKey={KEY}
      choices={CHOICES}
      title={t("afterActing.setting")}
      legend={t("afterActing.legend")}
      help={t("afterActing.help")}
      label={(c) => t(`afterActing.${c}`)}
    />
  );
}
