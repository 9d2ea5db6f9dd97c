"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { Dialog, buttonClass } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { signOut } from "../sign-in/session-api";
import { downloadMbox } from "../shared/mbox-download";
import { describeError } from "@/lib/errors";
import { leaveBrowser } from "./leave-browser";
import { type HeldUndo, useHeldSendsSettled, useHeldUndo } from "../compose/undo-send";
import { leftOutOfExport, mboxEntries } from "./pop3-export";
import type { Pop3Store } from "./pop3-store";
import { useLive } from "./use-live";

/**
 * The messages that exist only in this browser, as one mbox file. Returns how many were left
 * out because only their headers are here (leftOutOfExport).
 */
async function exportOnlyHere(store: Pop3Store): Promise<number> {
  const rows = await store.onlyHere();
  const leftOut = leftOutOfExport(rows);
  await downloadMbox(mboxEntries(store, rows), rows.length - leftOut, "pismo-only-in-this-browser.mbox");
  return leftOut;
}

/** A held message whose Undo can still take it back (its deadline not passed when drawn). */
const undoable = (m: { sendAt: number }) => m.sendAt > Date.now();

/** When the last message held for Undo goes out; null when none is known. */
function lastSendAt(heldUndo: HeldUndo | null): number | null {
  const sendAts = heldUndo?.messages.map((m) => m.sendAt) ?? [];
  return sendAts.length ? Math.max(...sendAts) : null;
}

/**
 * What signing out waits for: the held messages go out at their deadline (the last one's
 * seconds counted down, so the wait does not read as stuck), then the browser is left; past
 * the deadline, their sending is waited for.
 */
function HeldSendsStatus({ lastSendAt }: { lastSendAt: number | null }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  const seconds = lastSendAt === null ? 0 : Math.ceil((lastSendAt - now) / 1000);
  useEffect(() => {
    if (lastSendAt === null || seconds <= 0) return;
    // Again just after the next whole second is left (a timer may fire a hair early: `now`
    // changes either way, and this runs again).
    const timer = setTimeout(() => setNow(Date.now()), ((lastSendAt - Date.now()) % 1000) + 20);
    return () => clearTimeout(timer);
  }, [now, seconds, lastSendAt]);
  return (
    <>
      {/* Told once to a screen reader: the seconds, in a live region, would be read every second. */}
      <p role="status" className="sr-only">
        {t("pop3.sendingHeld")}
      </p>
      <p aria-hidden="true" data-countdown className="mb-4 text-sm text-slate-500">
        {seconds > 0 ? t("pop3.sendingHeldIn", { seconds }) : t("pop3.sendingHeld")}
      </p>
    </>
  );
}

/** What the dialog is doing; after a refused choice, the reason; leaving, whether it waits for
 * the messages held for Undo send (the only part of leaving that can be cancelled). */
type Step =
  { doing: "nothing"; refused?: string } | { doing: "exporting" } | { doing: "leaving"; heldSends?: boolean };

/**
 * Signing out of a POP3 account asks what becomes of the mail pulled into this browser: kept
 * for the next sign-in here, or wiped (a shared computer). Mail a pull removed from the server
 * (and mail sent from here) has its only copy here: the dialog says how many such messages
 * there are, counted again as they change (a pull running meanwhile), and offers them as an
 * mbox file before they can be removed. While it is open no pull starts; either choice stops
 * the running one and hears how it ended first (leaveBrowser), and the mail is removed only if
 * no more of it is only here than the dialog said. While it waits for the messages held for
 * Undo send, Cancel (or Escape) stops the sign-out, and each held message has its Undo here:
 * the page's notices are inert under the modal.
 */
export function Pop3SignOutDialog({
  open,
  store,
  pull,
  onCancel,
  onSignedOut,
}: {
  open: boolean;
  store: Pop3Store;
  pull: { running: boolean; cancel(): Promise<void>; hold(): () => void };
  onCancel: () => void;
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const { hold } = pull;
  useEffect(() => (open ? hold() : undefined), [open, hold]);
  // Only while open: the count reads every message, again after each write.
  const onlyHere = useLive(() => (open ? store.countOnlyHere() : Promise.resolve(null)), [store, open]);
  // One thing at a time: while the file is being made its messages stay (a removal then left
  // no file at all), and once a choice is made it runs to its end.
  const [step, setStep] = useState<Step>({ doing: "nothing" });
  const leaving = step.doing === "leaving";
  const busy = step.doing === "leaving" || step.doing === "exporting";
  const heldSendsSettled = useHeldSendsSettled();
  const heldUndo = useHeldUndo();
  // The choice running now; a cancelled one stops at its next step, and a choice made again
  // after it is another one (the held messages settling later must not sign out by themselves).
  const choice = useRef(0);
  const finish = async (wipe: boolean) => {
    const mine = ++choice.current;
    setStep({ doing: "leaving" });
    let outcome;
    try {
      // A message held for Undo goes out at its deadline and its sent copy is filed here: before
      // the browser is left (a copy filed after a wipe would bring the database back), and while
      // the session can still hear that it went. Not for ever: a gateway out of reach never
      // answers, and signing out goes on after a while (useHeldSendsSettled).
      const heldSends = heldSendsSettled?.();
      if (heldSends) {
        setStep({ doing: "leaving", heldSends: true });
        await heldSends;
        if (choice.current !== mine) return;
        setStep({ doing: "leaving" });
      }
      outcome = await leaveBrowser(store, { wipe, shown: onlyHere ?? 0, stopPull: pull.cancel });
    } catch (error) {
      setStep({ doing: "nothing" });
      toast(describeError(error, t), "error");
      return;
    }
    if (outcome !== "left") {
      setStep({
        doing: "nothing",
        refused: t(outcome === "busy" ? "pop3.signOutBusy" : "pop3.onlyHereGrew"),
      });
      return;
    }
    if (wipe) toast(t("pop3.wiped"));
    await signOut().catch(() => undefined);
    onSignedOut();
  };
  const exportThem = () => {
    setStep({ doing: "exporting" });
    void exportOnlyHere(store)
      .then(
        (leftOut) => {
          if (leftOut > 0) toast(t("pop3.exportLeftOut", { count: leftOut }));
        },
        (error: unknown) => toast(describeError(error, t), "error"),
      )
      // Only its own step: a choice made since then runs on.
      .finally(() => setStep((s) => (s.doing === "exporting" ? { doing: "nothing" } : s)));
  };
  // The count the user decides with: until it is known, mail is not removed.
  const counted = typeof onlyHere === "number";
  const some = counted && onlyHere > 0;
  // Waiting for the held messages, nothing is done yet: the sign-out can still be called off,
  // the messages going out as they would have (or taken back with their Undo).
  const waitingForHeld = step.doing === "leaving" && step.heldSends === true;
  // No closing once a choice runs past that (stopping the pull, removing the mail), nor while
  // the file is being written (opened again, the dialog would offer to remove mail the file has
  // not got yet).
  const mayClose = !busy || waitingForHeld;
  const close = mayClose
    ? () => {
        choice.current++;
        setStep({ doing: "nothing" });
        onCancel();
      }
    : () => undefined;
  // The notice's Undo, which puts the message back in the editor: the sign-out stops, or it
  // would close the editor it just opened (and, removing the mail, race the draft it keeps).
  const undoHeld = (id: string) => {
    close();
    heldUndo?.undo(id);
  };
  return (
    <Dialog open={open} title={t("pop3.signOutTitle")} onClose={close} mayClose={() => mayClose}>
      <p className="mb-4 text-sm">{t("pop3.signOutQuestion")}</p>
      {some && (
        <p
          role="note"
          className="mb-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
        >
          {t("pop3.onlyHere", { count: onlyHere })}
        </p>
      )}
      {step.doing === "nothing" && step.refused && (
        <p
          role="alert"
          className="mb-4 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/40 dark:text-red-200"
        >
          {step.refused}
        </p>
      )}
      {waitingForHeld && <HeldSendsStatus lastSendAt={lastSendAt(heldUndo)} />}
      {waitingForHeld && heldUndo && heldUndo.messages.some(undoable) && (
        <ul className="mb-4 flex flex-col gap-2">
          {heldUndo.messages.filter(undoable).map((m) => (
            <li key={m.id}>
              <button type="button" className={buttonClass.secondary} onClick={() => undoHeld(m.id)}>
                {t("pop3.undoHeld", { subject: m.fields.subject || t("mail.noSubject") })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {leaving && pull.running && (
        <p role="status" className="mb-4 text-sm text-slate-500">
          {t("pop3.stopping")}
        </p>
      )}
      <div className="flex flex-col gap-2">
        {some && (
          <button type="button" className={buttonClass.secondary} disabled={busy} onClick={exportThem}>
            {t("pop3.exportOnlyHere")}
          </button>
        )}
        <button
          type="button"
          className={buttonClass.secondary}
          disabled={busy}
          onClick={() => void finish(false)}
        >
          {t("pop3.keepMail")}
        </button>
        <button
          type="button"
          className={buttonClass.danger}
          disabled={busy || !counted}
          onClick={() => void finish(true)}
        >
          {t("pop3.wipeMail")}
        </button>
        <button type="button" className={buttonClass.ghost} disabled={!mayClose} onClick={close}>
          {t("mail.cancel")}
        </button>
      </div>
    </Dialog>
  );
}
