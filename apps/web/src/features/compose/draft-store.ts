import type { Draft, DraftAttachment } from "@pismo/protocol/compose";
import type { SendResult } from "@pismo/protocol/router";
import type { ComposeFields } from "./initial-draft";
import type { TemplateStore } from "../templates/template-store";

/** Where a draft is kept: a UID in the IMAP \\Drafts folder, or a local id (POP3, this browser). */
export type DraftRef = number | string;

/**
 * Where an account keeps its drafts, its sent copy and its templates. ComposePanel talks only
 * to this: IMAP keeps them on the server (the compose.* procedures; the default), POP3 in this
 * browser (the POP3 server keeps nothing but the inbox).
 */
export interface DraftStore {
  /** True when drafts are kept in this browser: the failure message says so. */
  local: boolean;
  /** The templates the window inserts and saves (the Templates menu). */
  templates: TemplateStore;
  /**
   * Autosave. Resolves with where the draft now is and, when the store rewrote them, its
   * attachments as they are now kept (null: unchanged); null when nothing was saved. `files`:
   * the bytes of the files this window uploaded, by upload id, for a store that keeps them
   * itself (a server draft has its own copy of them).
   */
  save(
    draft: Draft,
    fields: ComposeFields,
    ref: DraftRef | null,
    files: ReadonlyMap<string, Blob>,
  ): Promise<{ ref: DraftRef; attachments: DraftAttachment[] | null } | null>;
  /**
   * Removes the draft `ref` (null: the page knows of none) and, where drafts are on the server,
   * the last copy the window `composeId` saved, which the page may not know of (an autosave
   * whose answer the connection lost).
   */
  discard(ref: DraftRef | null, composeId?: string): Promise<void>;
  /**
   * Discards a server draft so that Undo can bring it back whole: it goes to Trash, as a deleted
   * message does, with the files it holds (they are its own parts, which no upload holds any
   * more), and `restore` moves it back to `folder`, resolving with its UID there (null when the
   * server did not say it, or it went for good). Only where drafts are on the server.
   */
  discardUndoably?(ref: number, folder: string): Promise<{ restore(): Promise<number | null> } | null>;
  /**
   * The bytes this store keeps of a draft's files that the gateway no longer holds, by upload
   * id, to be uploaded again when the draft opens (POP3; a server draft has its own copy).
   */
  keptFiles?(ref: DraftRef): Promise<ReadonlyMap<string, Blob>>;
  /** The draft compose.send removes on the server (IMAP); null when drafts are not there. */
  serverDraftUid(ref: DraftRef | null): number | null;
  /** After a successful send: keep the sent copy and drop the draft where the server does not. */
  afterSend(result: SendResult, ref: DraftRef | null): Promise<void>;
}

/**
 * The form's attachments once a save answered with how the store now keeps them (`written`, in
 * the order of those it was given, `sent`): each that was saved becomes its kept form; one
 * added while the save ran stays as it is, and one removed meanwhile stays removed. Taking
 * `written` whole dropped a file whose upload finished during the save.
 */
export function afterDraftSave<T>(current: readonly T[], sent: readonly T[], written: readonly T[]): T[] {
  return current.map((a) => {
    const i = sent.indexOf(a);
    return i >= 0 && i < written.length ? written[i]! : a;
  });
}

/** The uploads of `fields` whose bytes this browser keeps (in `kept`, by upload id). */
function keptUploads(
  fields: ComposeFields,
  kept: ReadonlyMap<string, Blob> | undefined,
): { attachment: DraftAttachment; bytes: Blob }[] {
  return fields.attachments.flatMap((attachment) => {
    const bytes = attachment.kind === "upload" ? kept?.get(attachment.id) : undefined;
    return bytes ? [{ attachment, bytes }] : [];
  });
}

/** A reopened draft's fields without the files about to be uploaded again (keptFilesOf). */
export function withoutKeptFiles(
  fields: ComposeFields,
  kept: ReadonlyMap<string, Blob> | undefined,
): ComposeFields {
  const again = new Set(keptUploads(fields, kept).map((k) => k.attachment));
  return again.size === 0
    ? fields
    : { ...fields, attachments: fields.attachments.filter((a) => !again.has(a)) };
}

/**
 * The files a reopened draft attaches whose bytes this browser keeps, to upload again (the
 * gateway's uploads end with its session), each with the attachment it was, to fall back on.
 */
export function keptFilesOf(
  fields: ComposeFields,
  kept: ReadonlyMap<string, Blob> | undefined,
): Map<File, DraftAttachment> {
  return new Map(
    keptUploads(fields, kept).map(({ attachment: a, bytes }) => [
      new File([bytes], a.filename, { type: a.contentType }),
      a,
    ]),
  );
}
