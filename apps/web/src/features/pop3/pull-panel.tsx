"use client";

import { useSyncExternalStore } from "react";
import { useTranslation } from "@/i18n/react";
import { formatBytes, formatCount } from "@pismo/protocol/format";
import { buttonClass } from "@/components/ui/dialog";
import { localeOf } from "@/i18n";
import { describeError } from "@/lib/errors";
import type { PullMeter, PullOutcome, PullState } from "./use-pop3-pull";

/**
 * `Check mail` and what a pull is doing: what waits before downloading, then a
 * `Downloading mail` progress bar counting messages, with bytes as text, and Cancel (after
 * which the pull is stopping until the gateway says how it ended).
 */
export function PullPanel({
  state,
  outcome,
  onCheck,
  onCancel,
}: {
  state: PullState;
  outcome: PullOutcome | null;
  onCheck: () => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const bytes = (n: number) => formatBytes(n, locale);

  return (
    <div className="space-y-2 border-b border-slate-200 px-3 py-2 dark:border-slate-800">
      <div className="flex gap-2">
        <button
          type="button"
          className={`${buttonClass.primary} flex-1`}
          disabled={state.phase !== "idle"}
          onClick={onCheck}
        >
          {t("pop3.checkMail")}
        </button>
        {state.phase !== "idle" && state.phase !== "stopping" && (
          <button type="button" className={buttonClass.secondary} onClick={onCancel}>
            {t("pop3.cancel")}
          </button>
        )}
      </div>
      {state.phase === "connecting" && <p className="text-xs text-slate-500">{t("pop3.checking")}</p>}
      {state.phase === "stopping" && (
        <p role="status" className="text-xs text-slate-500">
          {t("pop3.stopping")}
        </p>
      )}
      {state.phase === "running" && (
        <div className="space-y-1 text-xs">
          <p>
            {t("pop3.waiting", { count: formatCount(state.count, locale), bytes: bytes(state.totalBytes) })}
          </p>
          {state.deferredBytes > 0 && (
            <p className="text-slate-500">{t("pop3.deferred", { bytes: bytes(state.deferredBytes) })}</p>
          )}
          {state.count > 0 && <PullProgress meter={state.meter} bytes={bytes} />}
        </div>
      )}
      {state.phase === "idle" && outcome && <OutcomeLine outcome={outcome} />}
    </div>
  );
}

/** The bar and its figures: the only part that renders again as a pull advances. */
function PullProgress({ meter, bytes }: { meter: PullMeter; bytes: (n: number) => string }) {
  const { t } = useTranslation();
  const { messagesDone, count, bytesDone, totalBytes } = useSyncExternalStore(
    meter.subscribe,
    meter.get,
    meter.get,
  );
  const messagesText = t("pop3.progressMessages", { done: messagesDone, count });
  const bytesText = t("pop3.progressBytes", { done: bytes(bytesDone), total: bytes(totalBytes) });
  return (
    <>
      <div
        role="progressbar"
        aria-label={t("pop3.downloading")}
        aria-valuemin={0}
        aria-valuemax={count}
        aria-valuenow={messagesDone}
        aria-valuetext={`${messagesText}, ${bytesText}`}
        className="h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
      >
        <div
          className="h-full bg-accent transition-[width]"
          style={{
            width: `${totalBytes > 0 ? (100 * bytesDone) / totalBytes : (100 * messagesDone) / count}%`,
          }}
        />
      </div>
      <p className="flex justify-between gap-2 tabular-nums text-slate-600 dark:text-slate-300">
        <span>{messagesText}</span>
        <span>{bytesText}</span>
      </p>
    </>
  );
}

function OutcomeLine({ outcome }: { outcome: PullOutcome }) {
  const { t, i18n } = useTranslation();
  if (outcome.kind === "error") {
    const text = describeError(outcome.code, t, {
      STORAGE_FULL: t("pop3.storageFull"),
      BUSY: t("pop3.busy"),
      NETWORK: t("pop3.cut"),
      GATEWAY_BUSY: t("pop3.gatewayBusy"),
      KNOWN_INCOMPLETE: t("pop3.knownIncomplete"),
    });
    return (
      <p role="alert" className="text-xs text-red-700 dark:text-red-300">
        {text}
      </p>
    );
  }
  // In the language shown (Serbian: 00:36:11), not the browser's (12:36:11 AM).
  const time = new Date(outcome.at).toLocaleTimeString(localeOf(i18n.language));
  return (
    <p
      role="status"
      aria-label={t("pop3.lastCheck", { time: "" }).trim()}
      className="text-xs text-slate-600 dark:text-slate-300"
    >
      {outcome.kind === "cancelled"
        ? t("pop3.cancelled")
        : outcome.stored > 0
          ? t("pop3.got", { count: outcome.stored })
          : t("pop3.nothingNew")}
      {outcome.kind === "done" && !outcome.deletionsCommitted && ` ${t("pop3.deletionsPending")}`}
      {outcome.kind === "done" && outcome.skipped > 0 && ` ${t("pop3.skipped", { count: outcome.skipped })}`}
      <span className="block text-slate-400">{t("pop3.lastCheck", { time })}</span>
    </p>
  );
}
