import { mentionsAttachment, parseAddressList } from "@pismo/protocol/compose";
import { formatAddress } from "@pismo/protocol/format";

/** The part of a key press the compose window decides on (a KeyboardEvent has all of it). */
export interface ComposeKey {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  /** An input method is composing (Serbian Cyrillic, CJK): its Enter picks a candidate. */
  isComposing: boolean;
}

/**
 * Where in the compose window the key was pressed: an address field, Subject, the text,
 * another one-line input, or a control (a button, a menu) whose own Enter must still work.
 */
export type ComposeField = "recipient" | "subject" | "body" | "other" | "control";

export type ComposeKeyAction = "send" | "confirm-recipient" | "to-body" | "nothing" | null;

/**
 * What a key does in the compose window. Only Ctrl/Cmd+Enter sends: a plain Enter in a
 * one-line field would otherwise submit the form (HTML's implicit submission) and send a
 * half-written message. Enter in an address field confirms the address, Enter in Subject
 * moves to the text; in the text it is a new line. Null: the browser's own behaviour.
 */
export function composeKeyAction(e: ComposeKey, field: ComposeField): ComposeKeyAction {
  if (e.key !== "Enter" || e.isComposing) return null;
  if ((e.ctrlKey || e.metaKey) && !e.altKey) return "send";
  if (field === "body" || field === "control") return null;
  if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return "nothing";
  if (field === "recipient") return "confirm-recipient";
  if (field === "subject") return "to-body";
  return "nothing";
}

/**
 * An address field after Enter: the addresses typed so far, each written out in full and
 * followed by ", " so the next one can be typed at once. Entries that are not addresses are
 * kept as typed (nothing is lost) and returned, to be named in the error.
 */
export function confirmRecipients(value: string): { text: string; confirmed: number; invalid: string[] } {
  const { valid, invalid } = parseAddressList(value);
  if (valid.length === 0 && invalid.length === 0) return { text: "", confirmed: 0, invalid };
  const parts = [...valid.map(formatAddress), ...invalid];
  return { text: `${parts.join(", ")}${invalid.length === 0 ? ", " : ""}`, confirmed: valid.length, invalid };
}

/** What a message about to be sent lacks, for the question asked before sending. `ownText`:
 * the writer's own words (a rich message's without its quote and signature); its text else. */
export function missingBeforeSend(
  fields: {
    subject: string;
    text: string;
    attachments: readonly unknown[];
    /** Files still uploading: attached, as far as this question is concerned. */
    uploading?: number;
  },
  ownText: string = fields.text,
): { subject: boolean; text: boolean; attachment: boolean } {
  const files = fields.attachments.length + (fields.uploading ?? 0);
  return {
    subject: fields.subject.trim() === "",
    // A message that carries only attachments is a message; one with neither is not.
    text: fields.text.trim() === "" && files === 0,
    // The writer says a file is attached, and none is (the attachment reminder).
    attachment: files === 0 && mentionsAttachment(ownText),
  };
}
