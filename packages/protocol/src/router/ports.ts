import type { Account } from "../schemas/account";
import type { Folder, ListWindow, ListWindowInput, MailEvent, MessageDetail, Quota } from "../schemas/mailbox";
import type { MailProtocol, ProbeResult, ServerDefaults } from "../schemas/server";

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

/**
 * The mail of an IMAP account, kept on the server (seed points 6 to 9). The gateway implements
 * it over one persistent IMAP connection per session.
 */
export interface ImapMailPort {
  folders(): Promise<Folder[]>;
  createFolder(parentPath: string | null, name: string): Promise<string>;
  renameFolder(path: string, newName: string): Promise<string>;
  deleteFolder(path: string): Promise<void>;
  setSubscribed(path: string, subscribed: boolean): Promise<void>;
  list(input: Required<ListWindowInput>): Promise<ListWindow>;
  /** Fetches the structure and the one text part shown; marks \Seen unless peeking. */
  open(folder: string, uid: number, opts: { peek: boolean }): Promise<MessageDetail>;
  setFlags(folder: string, uids: number[], flags: { seen?: boolean; flagged?: boolean }): Promise<void>;
  move(folder: string, uids: number[], to: string): Promise<void>;
  copy(folder: string, uids: number[], to: string): Promise<void>;
  /** Moves to Trash; in Trash (or without one) deletes for good. */
  remove(folder: string, uids: number[]): Promise<{ permanently: boolean }>;
  emptyFolder(path: string): Promise<void>;
  quota(): Promise<Quota | null>;
  /** Tells the session which folder the user looks at, so IDLE watches that one. */
  watch(folder: string): Promise<void>;
  /** Every change the server tells of, until the signal aborts. */
  events(signal: AbortSignal): AsyncIterable<MailEvent>;
}

/** A signed-in user's session as the router sees it. */
export interface SessionPort {
  account: Account;
  /** Null for a POP3 account: its mail lives in the browser. */
  mail: ImapMailPort | null;
}

/** What every procedure sees: the ports, and the session named by the cookie sent with the
 * WebSocket upgrade (null before sign-in). Built once per WebSocket connection. */
export interface RouterContext {
  ports: GatewayPorts;
  session: SessionPort | null;
}
