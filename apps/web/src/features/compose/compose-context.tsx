"use client";

import {
  createContext,
  useCallback,
  useContext,
  useRef,
  useState,
  type ReactNode,
  type RefObject,
} from "react";
import type { MessageDetail, MessageRef } from "@pismo/protocol/schemas";
import type { DraftRef, DraftStore } from "./draft-store";
import type { ComposeFields, ComposeSource } from "./initial-draft";
import { UndoSendRoot } from "./undo-send";

/** A message written from another: an answer to it, a forward (its text quoted, or the whole
 * message attached as it is: "forwardAttached"), or the same message again ("Edit as new": its
 * recipients, subject, text and files, to change and send as a new one). */
export type FromMessageMode = "reply" | "replyAll" | "forward" | "forwardAttached" | "editAsNew";

export type ComposeRequest =
  /** A new message; `subject` and `text` start it (an unsubscribe message, as its list asks). */
  | { mode: "new"; to?: string; subject?: string; text?: string }
  /** An IMAP message as the gateway sent it, or a ComposeSource (e.g. a POP3 message parsed here). */
  | { mode: FromMessageMode; source: MessageDetail | ComposeSource }
  /** A draft in the IMAP \\Drafts folder, loaded from the server. */
  | ({ mode: "draft" } & MessageRef)
  /**
   * A draft whose fields this browser holds: one in the account's draft store (POP3), the copy
   * kept while writing, or a sent message taken back with Undo (ref null when it never reached
   * the draft store); `error` says why a held send that failed at its deadline came back.
   * `files`: the bytes the draft store keeps of the fields' uploads (POP3), by upload id; they
   * are uploaded again when the window opens, the gateway's copy being gone after a sign-out.
   * `composeId`: the id of the window the message was sent from (Undo send), for the window
   * that opens to take again: its saves and send then still remove that window's last copy in
   * Drafts, which the page may not know of (a save whose answer the connection lost).
   */
  | {
      mode: "saved";
      ref: DraftRef | null;
      fields: ComposeFields;
      error?: string;
      files?: ReadonlyMap<string, Blob>;
      composeId?: string;
    };

interface ComposeApi {
  request: ComposeRequest | null;
  /** Increments per request, so the panel starts fresh even for the same message. */
  serial: number;
  open(request: ComposeRequest): void;
  close(): void;
  /** Closes window `serial` if it is still the one open (a window replaced closes nothing). */
  closeWindow(serial: number): void;
  /** The serial of the window last replaced by another request (not closed), or null. */
  replaced: RefObject<number | null>;
}

const ComposeContext = createContext<ComposeApi | null>(null);

export function useCompose(): ComposeApi {
  const api = useContext(ComposeContext);
  if (!api) throw new Error("useCompose outside <ComposeRoot>");
  return api;
}

/** `account` and `drafts` let messages held for Undo send be picked up again after a reload
 * (the notice, and a POP3 account's sent copy). */
export function ComposeRoot({
  account,
  drafts,
  children,
}: {
  account?: string;
  drafts?: DraftStore;
  children: ReactNode;
}) {
  const [state, setState] = useState<{ request: ComposeRequest | null; serial: number }>({
    request: null,
    serial: 0,
  });
  // The open window's serial (null when none), outside the state's updater (which React may
  // call twice); a window compares its own serial with `replaced` (development's StrictMode
  // unmounts and remounts a new window once, which is not a replacement).
  const shown = useRef<{ serial: number; open: boolean }>({ serial: 0, open: false });
  const replaced = useRef<number | null>(null);
  const open = useCallback((request: ComposeRequest) => {
    const { serial, open: wasOpen } = shown.current;
    replaced.current = wasOpen ? serial : null;
    shown.current = { serial: serial + 1, open: true };
    setState({ request, serial: serial + 1 });
  }, []);
  // A draft this browser keeps reopens with the bytes of its files the gateway no longer
  // holds, whoever opens it (the draft list, Undo send, the offer of an unsent message).
  // The latest request wins: a draft whose files were still being looked up when another was
  // asked for does not open over it.
  const asked = useRef(0);
  const openSaved = useCallback(
    (request: ComposeRequest) => {
      const turn = ++asked.current;
      const keptFiles = drafts?.keptFiles;
      if (request.mode !== "saved" || request.files || request.ref === null || !keptFiles) {
        open(request);
        return;
      }
      const latest = (withFiles: ComposeRequest) => {
        if (asked.current === turn) open(withFiles);
      };
      void keptFiles(request.ref).then(
        (files) => latest(files.size > 0 ? { ...request, files } : request),
        () => latest(request),
      );
    },
    [open, drafts],
  );
  const close = useCallback(() => {
    replaced.current = null;
    shown.current = { ...shown.current, open: false };
    setState((s) => ({ request: null, serial: s.serial }));
  }, []);
  const closeWindow = useCallback(
    (serial: number) => {
      if (shown.current.open && shown.current.serial === serial) close();
    },
    [close],
  );
  return (
    <ComposeContext.Provider value={{ ...state, open: openSaved, close, closeWindow, replaced }}>
      <UndoSendRoot reopen={openSaved} {...(account ? { account } : {})} {...(drafts ? { drafts } : {})}>
        {children}
      </UndoSendRoot>
    </ComposeContext.Provider>
  );
}
