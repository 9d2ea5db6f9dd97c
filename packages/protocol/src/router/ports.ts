import type { Account } from "../schemas/account";
import type { ImportIdentity } from "../mime/imported";
import type { Draft, DraftAttachment } from "../compose";
import type { IdentitySettings } from "../identities";
import type { AddressBook } from "../contacts";
import type { HeldSend, HeldSendState } from "../compose/send-later";
import type { ImportedState, ReceiptSend } from "../schemas/compose";
import type { TemplateBody } from "../templates/schema";
import type { SendResult } from "./send-later";
import type {
  Folder,
  ListWindow,
  ListWindowInput,
  MailEvent,
  MessageDetail,
  Quota,
  UidRanges,
} from "../schemas/mailbox";
import type { ConversationWindow, ConversationWindowInput } from "../schemas/conversation";
import type { MailProtocol, ProbeResult, ServerDefaults } from "../schemas/server";
import type { ImapSearchEvent, ImapSearchRequest, SearchRow } from "../schemas/search";
import type { SenderVerdict } from "../trust";
import type { Pop3KnownMessage } from "../pop3/plan";
import type { Pop3Policy } from "../pop3/policy";
import type { Pop3FetchFullOutput, Pop3PullEvent } from "../pop3/wire";
import type { Rule, RuleSet } from "../rules/schema";
import type { EmptyFolderResult, MailActionRequest, MailActionResult } from "../actions/schema";
import type { ApplyProgress, SavedRules, ScriptCheck, ServerRules } from "../rules/wire";

/**
 * The interfaces the gateway implements and the router calls. The router is written against
 * these ports so that it holds no I/O and can be tested with plain objects.
 */

export interface ServerPort {
  defaults(): ServerDefaults;
  /** Connects to the configured server without signing in and reads its capabilities. */
  probe(protocol: MailProtocol): Promise<ProbeResult>;
}

export interface GatewayPorts {
  server: ServerPort;
}

export interface SetFlagsOptions {
  uidValidity?: string;
  /** Whether the answer says which messages changed; false for a mark no Undo follows. */
  whichChanged?: boolean;
}

/**
 * The mail of an IMAP account, kept on the server: folders, the message list, reading, flags,
 * moving and deleting, quota, live changes. The gateway implements it over one persistent IMAP
 * connection per session.
 */
export interface ImapMailPort {
  folders(): Promise<Folder[]>;
  createFolder(parentPath: string | null, name: string): Promise<string>;
  renameFolder(path: string, newName: string): Promise<string>;
  deleteFolder(path: string): Promise<void>;
  setSubscribed(path: string, subscribed: boolean): Promise<void>;
  list(input: Required<ListWindowInput>): Promise<ListWindow>;
  /** One window of the folder's conversations (threads, with the user's own Sent and Drafts). */
  conversations(input: Required<ConversationWindowInput>): Promise<ConversationWindow>;
  /** Every UID of the folder (up to MAX_SELECTION, the newest), as ranges. */
  uids(folder: string): Promise<UidRanges>;
  /** Fetches the structure and the one text part shown; marks \Seen unless peeking. */
  open(folder: string, uid: number, opts: { peek: boolean; uidValidity?: string }): Promise<MessageDetail>;
  /** Pismo's own DKIM/DMARC check of a message the server did not check; null when it cannot. */
  verifySender(folder: string, uid: number): Promise<SenderVerdict | null>;
  /**
   * Returns the messages whose flag changed (what an Undo sets back), unless `whichChanged` is
   * false: then nothing is asked first, and it returns [].
   *
   * `uidValidity` here and below, where given, is the folder's as the UIDs were read: a folder
   * that has another now is left as it is (FOLDER_CHANGED), as `act` does with its request's.
   */
  setFlags(
    folder: string,
    uids: number[],
    flags: { seen?: boolean; flagged?: boolean },
    options?: SetFlagsOptions,
  ): Promise<UidRanges>;
  move(folder: string, uids: number[], to: string, uidValidity?: string): Promise<void>;
  copy(folder: string, uids: number[], to: string, uidValidity?: string): Promise<void>;
  /** Moves to Trash; in Trash (or without one) deletes for good. */
  remove(folder: string, uids: number[], uidValidity?: string): Promise<{ permanently: boolean }>;
  /** Deletes every message of the folder for good, in steps; says how many if it stopped. */
  emptyFolder(path: string, expected?: number): Promise<EmptyFolderResult>;
  /** Move, delete, archive, spam / not spam, saying where the messages went (for Undo). */
  act(request: MailActionRequest): Promise<MailActionResult>;
  quota(): Promise<Quota | null>;
  /** Tells the session which folder the user looks at, so IDLE watches that one. */
  watch(folder: string): Promise<void>;
  /** Every change the server tells of, until the signal aborts. */
  events(signal: AbortSignal): AsyncIterable<MailEvent>;
  /** Searches folder by folder on the server; stops before the next folder once the signal aborts. */
  search(input: ImapSearchRequest, signal: AbortSignal): AsyncIterable<ImapSearchEvent>;
  /** The list rows of search results, in the order asked. */
  searchRows(refs: Array<{ folder: string; uid: number }>): Promise<SearchRow[]>;
}

/**
 * A POP3 account's pulls. The mail lives in the browser; the gateway
 * only carries it there, one pull at a time per session, and deletes on the server only what
 * the browser acknowledged as stored.
 */
export interface Pop3Port {
  /**
   * One pull: `started`, `plan`, then `message`/`progress` events, then `done` or `error`.
   * Each message waits for `ack`; when the signal aborts (the browser closed the
   * subscription) the pull stops and commits no deletion.
   */
  pull(
    input: {
      known: ReadonlyMap<string, Pop3KnownMessage>;
      policy: Pop3Policy;
      /** The body channel opened for this pull: messages go there as binary frames, not as `message` events. */
      bodies?: string;
    },
    signal: AbortSignal,
  ): AsyncIterable<Pop3PullEvent>;
  /** The browser stored `uid` durably; false when no pull waits for it. */
  ack(pullId: string, uid: string): boolean;
  /**
   * Adds to the known list `knownId` (a new id starts a new list; the session keeps a few, by
   * id, so two tabs' uploads do not mix); a list too long fails with BAD_INPUT. Returns how
   * many entries it holds.
   */
  addKnown(knownId: string, entries: ReadonlyArray<readonly [string, Pop3KnownMessage]>): number;
  /**
   * The known list `knownId`, handed over once to the pull that names it; an id the session
   * does not hold (a gateway restarted meanwhile) fails with BAD_INPUT rather than pull as if
   * nothing were known.
   */
  takeKnown(knownId: string): ReadonlyMap<string, Pop3KnownMessage>;
  /** The browser stored all of `uids` durably (one transaction); how many a pull waited for. */
  ackMany(pullId: string, uids: readonly string[]): number;
  /** The whole of a headers-only message, while its copy is still on the server. */
  fetchFull(uid: string): Promise<Pop3FetchFullOutput>;
}

/** A signed-in user's session as the router sees it. */
export interface SessionPort {
  account: Account;
  /** Null for a POP3 account: its mail lives in the browser. */
  mail: ImapMailPort | null;
  /** Null for an IMAP account. */
  pop3: Pop3Port | null;
  /** Null when the gateway has no SMTP server for the account's mail server. */
  compose: ComposePort | null;
  /** Server-side filters (Sieve over ManageSieve); null for POP3 or without a Sieve server. */
  rules?: RulesPort | null;
  /** Identities kept on the IMAP server; null for POP3 (kept in the browser). */
  identities?: IdentitiesPort | null;
  /** The address book kept on the IMAP server; null for POP3 (kept in the browser). */
  contacts?: ContactsPort | null;
}

/** Where an IMAP account's identities are kept: a METADATA entry (RFC 5464), or a settings
 * message in a folder of its own on servers without it. */
export type IdentityStorage = "metadata" | "folder";

export interface IdentitiesPort {
  /** Null settings when none were saved, or what is stored does not validate; `version` names
   * what was read (NO_IDENTITIES_VERSION for none), for a save to send back. */
  read(): Promise<{ settings: IdentitySettings | null; storage: IdentityStorage; version: string }>;
  /**
   * Writes the whole document. With `version`, only while what is stored is still what was read
   * with it (`read`'s, or an earlier save's answer); otherwise nothing is written (CHANGED), so
   * that a device showing stale identities does not undo another device's change unseen.
   */
  save(
    settings: IdentitySettings,
    opts?: { version?: string },
  ): Promise<{ storage: IdentityStorage; version: string }>;
}

/** An IMAP account's address book on its server, kept like the identities (same storage). */
export interface ContactsPort {
  /** Null when none was saved, or what is stored does not validate. */
  read(): Promise<{ book: AddressBook | null; storage: IdentityStorage }>;
  /** Merges `book` with the one stored now (another device may have saved since this one
   * read) and writes the result; answers it, the book as the server now holds it. Refuses
   * (BAD_INPUT) a book over MAX_SERVER_BOOK_BYTES. */
  save(book: AddressBook): Promise<{ storage: IdentityStorage; book: AddressBook }>;
}

/** An IMAP account's filters on the server: Sieve scripts managed over ManageSieve (RFC 5804). */
export interface RulesPort {
  read(): Promise<ServerRules>;
  /**
   * Compiles the rules, stores them as Pismo's script and makes it active. With `version`, only
   * while the active script is still the one read with it (`read`'s, or an earlier save's
   * answer); otherwise nothing is written (CHANGED).
   */
  save(set: RuleSet, opts: { replaceForeign: boolean; version?: string }): Promise<SavedRules>;
  check(script: string): Promise<ScriptCheck>;
  /** Stores a script written by hand, after the server's check; keeps it active if it was. */
  saveScript(name: string, script: string): Promise<ScriptCheck>;
  applyToFolder(folder: string, rule: Rule, signal: AbortSignal): AsyncIterable<ApplyProgress>;
}

/** Writing mail: sending through SMTP submission with the account's own credentials,
 * drafts on the server for IMAP accounts. */
export interface ComposePort {
  /** The largest message the SMTP server accepts (EHLO SIZE, RFC 1870), null if it says none;
   * and the largest file the gateway takes as one upload (that, or a default without it, and no
   * more than a session's uploads may hold). */
  limits(): Promise<{ maxMessageBytes: number | null; maxUploadBytes: number }>;
  /** Which of these uploads this session still holds (a draft kept in the browser asks before
   * uploading its files again: the uploads end with the session). */
  uploadsHeld(ids: string[]): Promise<string[]>;
  /** Saves the draft (IMAP: APPEND to \Drafts, then the older copy is removed). Returns where
   * it now is, with its attachments as references to the saved copy. */
  saveDraft(
    draft: Draft,
    replaceUid: number | null,
  ): Promise<{ folder: string; uid: number; attachments: DraftAttachment[] } | null>;
  /** Removes the draft `uid` (null: the page knows of none) and, with `composeId`, the last copy
   * that compose window saved, which the page may not know of (a save whose answer was lost). */
  discardDraft(uid: number | null, composeId?: string): Promise<void>;
  /** IMAP: APPENDs the template to the Templates folder (made when there is none), \Seen, and
   * says where (its UID null without UIDPLUS); null for POP3 (templates kept in the browser). */
  saveTemplate(template: TemplateBody): Promise<{ folder: string; uid: number | null } | null>;
  /** APPENDs an uploaded message to an IMAP folder (importMessage), with the state given
   * (read when none is). */
  importMessage(folder: string, uploadId: string, state?: ImportedState): Promise<{ uid: number | null }>;
  /** Which of an import's messages (by Message-ID and Date) the folder already holds. */
  importedAlready(folder: string, identities: readonly ImportIdentity[]): Promise<boolean[]>;
  /** Sends; IMAP: appends the sent message to \Sent, removes the draft, marks the original
   * \Answered. Returns the raw message (base64) for accounts that keep Sent locally (POP3). */
  send(
    draft: Draft,
    opts: { draftUid: number | null; answering: { folder: string; uid: number } | null },
  ): Promise<SendResult>;
  /** A read receipt: sent (`receipt`) or declined (null); an IMAP `original` then gets $MDNSent,
   * where its folder keeps keywords (`noted`), so that no device asks again. */
  answerReceipt(
    receipt: ReceiptSend | null,
    original: { folder: string; uid: number } | null,
  ): Promise<{ noted: boolean }>;
  /** Undo send: builds the message now and holds it for `delayMs`; then sends it as `send` does
   * (0: at once), unless `cancelSend` took it back. Held by the session, not the browser, under
   * the `id` the browser chose (refused if the session already used it). */
  sendLater(
    draft: Draft,
    opts: { draftUid: number | null; answering: { folder: string; uid: number } | null },
    delayMs: number,
    id: string,
  ): Promise<HeldSend>;
  /** Takes a held message back before its deadline (`cancelled`, with the draft); afterwards
   * says what became of it (`sending`, `sent`, `failed`; `unknown` for an id it never held). */
  cancelSend(id: string): Promise<{ state: HeldSendState; draft: Draft | null }>;
  /** The browser filed what it needed of a sent message (POP3: the Sent copy); its bytes go. */
  ackSent(id: string): Promise<void>;
  /** Waits until the held message went out (`sent`, with what `send` answers, until
   * `ackSent`) or was taken back; a failed send throws its error. */
  sendOutcome(id: string): Promise<{
    state: HeldSendState;
    result: SendResult | null;
  }>;
}

/** What every procedure sees: the ports, and the session named by the cookie sent with the
 * WebSocket upgrade (null before sign-in). Built once per WebSocket connection. */
export interface RouterContext {
  ports: GatewayPorts;
  session: SessionPort | null;
}
