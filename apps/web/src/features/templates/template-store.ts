import type { TemplateBody } from "@pismo/protocol/templates";

/** A template as the menu lists it: enough to name it, insert it and delete it. */
export interface TemplateItem {
  /** The store's own name for it: a UID in the Templates folder (IMAP), a local id (POP3). */
  id: string;
  name: string;
}

/**
 * Where an account keeps its templates, as it keeps its drafts: IMAP on the server (the Templates
 * folder, Thunderbird's, so another device and other programs have them), POP3 in this browser
 * (with the settings that travel to another computer). The compose window talks only to this.
 */
export interface TemplateStore {
  /** True when they are kept in this browser: the menu says where they are. */
  local: boolean;
  /** Names the store's cached list (the menu fetches it each time it opens). */
  key: string;
  /** Newest first. */
  list(): Promise<TemplateItem[]>;
  load(item: TemplateItem): Promise<TemplateBody>;
  /** Keeps a new one; a bad one is refused with the reason (templateBodySchema). */
  save(body: TemplateBody): Promise<void>;
  /** IMAP: to Trash, as any message deleted there; POP3: for good (asked first). */
  remove(item: TemplateItem): Promise<void>;
}
