"use client";

import { useQueryClient } from "@tanstack/react-query";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { useTranslation } from "@/i18n/react";
import { useToast } from "@/components/ui/toast";
import { Notice, NoticeArea } from "@/components/ui/notice";
import { describeError } from "@/lib/errors";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { afterSent, connectionLost, withRetries } from "./send-outcome";
import type { ComposeRequest } from "./compose-context";
import type { SendResult } from "@pismo/protocol/router";
import type { DraftRef, DraftStore } from "./draft-store";
import type { ComposeFields } from "./initial-draft";
import { LOCAL_KEY, readStoredList, type LocalCopy } from "./local-copy";

/** A message the gateway holds back for Undo, and what the browser needs to carry on with it. */
export interface HeldMessage {
  id: string;
  /** When the gateway sends it, epoch ms (the gateway's clock). */
  sendAt: number;
  account: string;
  /** The form as it was at Send: an Undo puts exactly this back. */
  fields: ComposeFields;
  draftRef: DraftRef | null;
  /** The compose window's id on the drafts it saved (use-compose-form's composeId): the form an
   * Undo brings back takes it again, so that its next save or send still removes the copy that
   * window last saved in Drafts (the page may not know that copy: a save's answer lost). Only
   * when this Undo took the message back (its answer carries the draft): Undo in two tabs, or
   * a form brought back for another reason, gets a new one, or the gateway would take two
   * windows for one and each save would remove the other's copy. */
  composeId?: string;
  /** It went out, and only its sent copy is left to file (a record kept because filing failed):
   * no notice, no Undo, and never the form again, whatever the gateway answers now. */
  sent?: boolean;
  /** The gateway's answer to the send was lost with the connection: it may hold the message, or
   * never have had it. If it does not know it, the form comes back (it may still have gone out,
   * from a gateway that restarted since: the user is told to look in Sent). */
  unconfirmed?: boolean;
  /** Keeps the sent copy and drops the draft where the server does not (POP3), once it went.
   * Absent for a message picked up again after a reload: the account's draft store does it. */
  afterSend?: (result: SendResult) => Promise<void>;
}

/** Held messages of this browser, so that a reload (or a tab opened again within minutes)
 * shows the notice again, with Undo while the gateway still holds it, and files a POP3
 * account's sent copy once it went. A record goes only once its message is settled here, its
 * sent copy filed: a copy that could not be filed (storage full, the page closed meanwhile) is
 * filed by the next load, the gateway keeping it until acknowledged. The gateway keeps a sent
 * message's answer 5 minutes. */
const PENDING_KEY = "pismo.undoSend";
const PENDING_KEEP_MS = 4 * 60_000;

type Pending = Omit<HeldMessage, "afterSend">;

const readPending = () => readStoredList<Pending>(PENDING_KEY);

const HELD_SETTLE_GRACE_MS = 10_000;
const HELD_SETTLE_MAX_MS = 40_000;

/**
 * How long signing out waits for the held messages to settle: until the last one's deadline
 * (now, if it passed) and 10 s more, never over 40 s. A request made while the WebSocket is down
 * waits for it to come back (tRPC 11), so the outcome of a message held by a gateway out of
 * reach may never come; signing out then goes on, and the session's end sends what it holds.
 */
function heldSendsWaitMs(sendAts: readonly number[], now: number): number {
  const deadline = Math.max(now, ...sendAts);
  return Math.min(deadline - now + HELD_SETTLE_GRACE_MS, HELD_SETTLE_MAX_MS);
}

function writePending(update: (list: Pending[]) => Pending[]): void {
  try {
    const list = update(readPending()).filter((p) => p.sendAt + PENDING_KEEP_MS > Date.now());
    if (list.length) localStorage.setItem(PENDING_KEY, JSON.stringify(list));
    else localStorage.removeItem(PENDING_KEY);
  } catch {
    // Storage full or refused: the notice still works in this tab.
  }
}

const UndoSendContext = createContext<((held: HeldMessage) => void) | null>(null);
const HeldSendsContext = createContext<(() => Promise<void> | null) | null>(null);

/** The messages held for Undo that can still be taken back, and their notices' Undo. */
export interface HeldUndo {
  messages: readonly Pick<HeldMessage, "id" | "fields" | "sendAt">[];
  /** What the notice's Undo button does, for the message `id`. */
  undo: (id: string) => void;
}
const HeldUndoContext = createContext<HeldUndo | null>(null);

/** Hands a held message to the notice; null outside <UndoSendRoot> (then Send sends at once). */
export function useUndoSend(): ((held: HeldMessage) => void) | null {
  return useContext(UndoSendContext);
}

/**
 * Waits until this page holds no message for Undo: each went out (its sent copy filed where
 * the browser keeps it), was taken back, or failed; or until heldSendsWaitMs has passed (a
 * gateway out of reach never answers). Null when nothing is held. Signing out waits for it
 * before it ends the session: the session's end sends what the gateway holds at once, but its
 * answer (with a POP3 account's sent copy) is the session's and goes with it. The hook is null
 * outside <UndoSendRoot>.
 */
export function useHeldSendsSettled(): (() => Promise<void> | null) | null {
  return useContext(HeldSendsContext);
}

/**
 * The held messages' Undo, for a modal that stands over their notices: a modal <dialog> makes
 * the rest of the page inert, so the notices' Undo cannot be pressed under it, whatever its
 * z-index (the POP3 sign-out dialog, while it waits for them). Null outside <UndoSendRoot>.
 */
export function useHeldUndo(): HeldUndo | null {
  return useContext(HeldUndoContext);
}

/**
 * The notices of messages being sent with Undo: a countdown to the gateway's deadline and the
 * `Undo` button. The gateway holds the message, so closing the tab does not stop it; this only
 * shows it, takes it back (the compose form reopens with everything as it was) and, once it
 * went out, files the sent copy where the browser keeps it (POP3).
 */
export function UndoSendRoot({
  reopen,
  account,
  drafts,
  children,
}: {
  reopen: (request: ComposeRequest) => void;
  /** The signed-in address: only its own held messages are picked up again after a reload. */
  account?: string;
  /** Where the account keeps its sent copy when the browser does (POP3). */
  drafts?: DraftStore;
  children: ReactNode;
}) {
  const [held, setHeld] = useState<HeldMessage[]>(() =>
    account
      ? readPending().filter((p) => p.account === account && p.sendAt + PENDING_KEEP_MS > Date.now())
      : [],
  );
  const add = useCallback((message: HeldMessage) => {
    const { afterSend: _, ...pending } = message;
    writePending((list) => [...list.filter((p) => p.id !== message.id), pending]);
    setHeld((h) => [...h, message]);
  }, []);
  // Settled here; `filingLeft`: it went out, but its sent copy is not filed: its record stays,
  // marked sent, for the next load to file it (and only that).
  const done = useCallback((id: string, filingLeft = false) => {
    writePending((list) =>
      filingLeft
        ? list.map((p) => (p.id === id ? { ...p, sent: true } : p))
        : list.filter((p) => p.id !== id),
    );
    setHeld((h) => h.filter((m) => m.id !== id));
  }, []);
  const heldNow = useRef(held);
  const waiting = useRef<(() => void)[]>([]);
  useEffect(() => {
    heldNow.current = held;
    if (held.length === 0) for (const resolve of waiting.current.splice(0)) resolve();
  }, [held]);
  const settled = useCallback(() => {
    const holding = heldNow.current;
    if (holding.length === 0) return null;
    return new Promise<void>((resolve) => {
      const end = () => {
        clearTimeout(timer);
        waiting.current = waiting.current.filter((w) => w !== end);
        resolve();
      };
      const timer = setTimeout(
        end,
        heldSendsWaitMs(
          holding.map((m) => m.sendAt),
          Date.now(),
        ),
      );
      waiting.current.push(end);
    });
  }, []);
  // Each notice's Undo, for useHeldUndo: the same path as its button.
  const undoers = useRef(new Map<string, () => void>());
  const registerUndo = useCallback((id: string, undo: () => void) => {
    undoers.current.set(id, undo);
    return () => {
      if (undoers.current.get(id) === undo) undoers.current.delete(id);
    };
  }, []);
  const heldUndo = useMemo<HeldUndo>(
    () => ({
      messages: held.filter((m) => !m.sent),
      undo: (id) => undoers.current.get(id)?.(),
    }),
    [held],
  );
  const fileSent = useCallback(
    (message: HeldMessage, result: SendResult) =>
      message.afterSend
        ? message.afterSend(result)
        : (drafts?.afterSend(result, message.draftRef) ?? Promise.resolve()),
    [drafts],
  );
  return (
    <UndoSendContext.Provider value={add}>
      <HeldSendsContext.Provider value={settled}>
        <HeldUndoContext.Provider value={heldUndo}>{children}</HeldUndoContext.Provider>
      </HeldSendsContext.Provider>
      {held.length > 0 && (
        <NoticeArea className="bottom-16 flex-col items-center gap-2">
          {held.map((m) => (
            <HeldNotice
              key={m.id}
              message={m}
              reopen={reopen}
              fileSent={fileSent}
              registerUndo={registerUndo}
              onDone={(filingLeft) => done(m.id, filingLeft)}
            />
          ))}
        </NoticeArea>
      )}
    </UndoSendContext.Provider>
  );
}

function HeldNotice({
  message,
  reopen,
  fileSent,
  registerUndo,
  onDone,
}: {
  message: HeldMessage;
  reopen: (request: ComposeRequest) => void;
  fileSent: (message: HeldMessage, result: SendResult) => Promise<void>;
  /** Offers this notice's Undo to useHeldUndo; returns how to take it back. */
  registerUndo: (id: string, undo: () => void) => () => void;
  onDone: (filingLeft?: boolean) => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  const [now, setNow] = useState(() => Date.now());
  const [undoing, setUndoing] = useState(false);
  const undoingRef = useRef(false);
  // Undo was pressed here, whether or not its answer came back (a connection lost meanwhile).
  const undoAsked = useRef(false);
  // Set once the message is settled here (undone, sent, failed), so the other path stays quiet.
  const settled = useRef(false);
  const latest = useRef({ message, reopen, fileSent, onDone, toast, t });
  useEffect(() => {
    latest.current = { message, reopen, fileSent, onDone, toast, t };
  });

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);

  // `composeId`: the window's, only when this Undo took the message back (see HeldMessage).
  const putBack = useCallback((error?: string, composeId?: string) => {
    const { message: m, reopen: open } = latest.current;
    // Kept in this browser at once too, as the form does: a tab closed now loses nothing.
    try {
      localStorage.setItem(
        LOCAL_KEY,
        JSON.stringify({
          account: m.account,
          fields: m.fields,
          draftUid: m.draftRef,
          savedAt: Date.now(),
        } satisfies LocalCopy),
      );
    } catch {
      // Storage full (a large body, a pasted picture) or refused: the form still comes back
      // with the message, which is what matters; only a tab closed before it saves loses it.
    }
    open({
      mode: "saved",
      ref: m.draftRef,
      fields: m.fields,
      ...(error ? { error } : {}),
      ...(composeId ? { composeId } : {}),
    });
  }, []);

  // Taken back by this notice's Undo: the form comes back as it was at Send; as the same window
  // when `taken` (the cancel's answer carried the draft: this Undo took it, no other tab's).
  const undone = useCallback(
    (taken?: { composeId?: string }) => {
      const { message: m, toast: say, t: tr } = latest.current;
      putBack(undefined, taken ? (m.composeId ?? taken.composeId) : undefined);
      say(tr("undoSend.undone"));
    },
    [putBack],
  );

  // The gateway does not know the message, so the form comes back, saying why: sent with its
  // answer lost, the gateway may never have had it; held, the gateway has restarted since,
  // which sends what it holds when stopped but loses it in a crash. The user looks in Sent.
  const unknownHere = useCallback(() => {
    const { message: m, t: tr } = latest.current;
    putBack(tr(m.unconfirmed ? "compose.maybeSent" : "undoSend.unknown"));
  }, [putBack]);

  // What became of it: asked once, answered when the gateway sent it (or it was taken back).
  // Whatever goes wrong on the way (putting the form back, filing the sent copy) is said.
  useEffect(() => {
    let stopped = false;
    // Files the sent copy; acknowledged (the gateway lets the copy go) only once it is filed, as
    // a send at once. False: not filed, and said unless `quiet`.
    const file = (result: SendResult, quiet = false) =>
      latest.current.fileSent(latest.current.message, result).then(
        () => {
          void client.compose.ackSent.mutate({ id: message.id }).catch(() => undefined);
          return true;
        },
        () => {
          const { toast: say, t: tr } = latest.current;
          if (!quiet) say(tr("compose.sentCopyFailed"), "error");
          return false;
        },
      );
    void (async () => {
      let answer: Awaited<ReturnType<typeof client.compose.sendOutcome.mutate>>;
      try {
        answer = await withRetries(() => client.compose.sendOutcome.mutate({ id: message.id }), {
          times: 20,
          delayMs: 1000,
          giveUp: () => stopped || settled.current,
        });
      } catch (error) {
        if (stopped || settled.current) return;
        settled.current = true;
        const { t: tr, onDone: finish } = latest.current;
        // Gone out already: a gateway still out of reach leaves its filing to the next load.
        if (latest.current.message.sent) return finish(connectionLost(error));
        // The send failed at the deadline: the message comes back to the form, with why. The
        // notice goes whatever happens there, or it would say "Sending…" forever.
        try {
          if (!connectionLost(error)) putBack(tr("undoSend.failed", { reason: describeError(error, tr) }));
          else unknownHere();
        } finally {
          finish();
        }
        return;
      }
      if (stopped || settled.current) return;
      const { toast: say, t: tr, onDone: finish } = latest.current;
      // Gone out, its copy not filed by the page that sent it (which said so): filed now if the
      // gateway still has it, else forgotten. The form never comes back, whatever the answer (a
      // gateway restarted since, or a new session after signing in again, knows nothing of it).
      if (latest.current.message.sent) {
        settled.current = true;
        let filingLeft = false;
        try {
          if (answer.state === "sent" && answer.result) filingLeft = !(await file(answer.result, true));
        } finally {
          finish(filingLeft);
        }
        return;
      }
      // Taken back: by this notice's Undo (which puts the form back itself, or here when its
      // answer was lost with the connection), or elsewhere (another tab of the account), which
      // leaves nothing to show here.
      if (answer.state === "cancelled") {
        if (!undoingRef.current) {
          settled.current = true;
          try {
            if (undoAsked.current) undone();
          } finally {
            finish();
          }
        }
        return;
      }
      settled.current = true;
      // A sent copy not filed keeps the record, marked sent: the next load files it (the gateway
      // keeps it until acknowledged), and filing twice keeps one copy (the store's key is its
      // Message-ID).
      let filed = true;
      try {
        if (answer.state === "sent") {
          const result = answer.result;
          if (result) filed = await file(result);
          afterSent(result ?? { rejected: [] }, say, tr, qc, trpc);
        } else unknownHere();
      } finally {
        finish(!filed);
      }
    })().catch((error: unknown) => {
      const { toast: say, t: tr } = latest.current;
      say(describeError(error, tr), "error");
    });
    return () => {
      stopped = true;
    };
  }, [client, message.id, qc, trpc, putBack, unknownHere, undone]);

  // Pressed here or elsewhere (useHeldUndo): once until its answer.
  const undoNow = useRef<() => void>(() => undefined);
  useEffect(() => {
    undoNow.current = () => void undo();
  });
  useEffect(() => registerUndo(message.id, () => undoNow.current()), [registerUndo, message.id]);

  async function undo() {
    if (undoingRef.current) return;
    setUndoing(true);
    undoingRef.current = true;
    undoAsked.current = true;
    try {
      // Asked again while the connection comes back: taking a send back twice is harmless.
      const answer = await withRetries(() => client.compose.cancelSend.mutate({ id: message.id }), {
        times: 10,
        delayMs: 500,
      });
      if (settled.current) return;
      if (answer.state === "cancelled" || answer.state === "unknown") {
        settled.current = true;
        // Settled here: the notice goes even if putting the form back went wrong, which the
        // catch below says.
        try {
          if (answer.state === "cancelled") undone(answer.draft ?? undefined);
          else unknownHere();
        } finally {
          onDone();
        }
      } else toast(t("undoSend.alreadySent"), "error");
    } catch (error) {
      toast(describeError(error, t), "error");
    } finally {
      undoingRef.current = false;
      setUndoing(false);
    }
  }

  // Gone out: nothing to show, nor to take back; its copy is filed unseen.
  if (message.sent) return null;
  const seconds = Math.max(0, Math.ceil((message.sendAt - now) / 1000));
  return (
    <Notice
      text={seconds > 0 ? t("undoSend.sendingIn", { seconds }) : t("undoSend.sendingNow")}
      action={{ label: t("undoSend.undo"), onClick: () => void undo(), disabled: undoing }}
    />
  );
}
