// A sender's request to be told when the message is read: Disposition-Notification-To
// (RFC 8098 §2.1). Pismo never answers on its own: the reader is asked, once per message on
// every device (IMAP's $MDNSent keyword, RFC 3503), and hostile mail is read with bounds.

import { addressParser } from "postal-mime";
import { fieldValues, firstFieldValue, type HeaderField } from "../trust/header-fields";

/** The keyword set on a message once its receipt was sent or declined (RFC 3503 §3.1). */
export const MDN_SENT_KEYWORD = "$MDNSent";

/** More addresses than this in one request are not answered: a real one names its sender. */
export const MAX_RECEIPT_ADDRESSES = 3;

/** The header fields reading a request takes, for a FETCH that asks only for those it needs. */
export const RECEIPT_HEADER_FIELDS = [
  "disposition-notification-to",
  "return-path",
  "from",
  "content-type",
] as const;

/** What the message asks, as the reader is shown it before anything is sent. */
export interface ReceiptRequest {
  /** Where the receipt would go, lower-cased, in the field's order. */
  to: string[];
  /**
   * The receipt would go somewhere other than the message's sender (its Return-Path, or its
   * From where the server wrote none): RFC 8098 §2.1 asks that the reader be told first.
   */
  elsewhere: boolean;
}

const ADDRESS =
  /^[^\s@<>(),;:"\\[\]]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** Longer fields are not read: three addresses and their names fit in a few hundred bytes. */
const MAX_FIELD = 2048;

function addressesOf(value: string | null): string[] | null {
  if (value === null || value.length > MAX_FIELD) return null;
  const out: string[] = [];
  for (const mailbox of addressParser(value, { flatten: true })) {
    const address = (mailbox.address ?? "").trim().toLowerCase();
    if (!ADDRESS.test(address)) return null;
    if (!out.includes(address)) out.push(address);
  }
  return out;
}

/** A message that is itself a disposition notification is never answered (RFC 8098 §3):
 * two readers' programs would otherwise receipt each other's receipts for ever. */
export function isDispositionReport(headers: readonly HeaderField[]): boolean {
  const type = firstFieldValue(headers, "content-type") ?? "";
  return (
    /^\s*multipart\/report\b/i.test(type) && /report-type\s*=\s*"?disposition-notification"?/i.test(type)
  );
}

/**
 * The read-receipt request of a message, or null: none; a receipt itself; more than one
 * Disposition-Notification-To field; an address that is not one, or too many of them.
 */
export function receiptRequestOf(headers: readonly HeaderField[]): ReceiptRequest | null {
  const fields = fieldValues(headers, "disposition-notification-to");
  if (fields.length !== 1 || isDispositionReport(headers)) return null;
  const to = addressesOf(fields[0] ?? null);
  if (!to || to.length === 0 || to.length > MAX_RECEIPT_ADDRESSES) return null;
  // The Return-Path the delivering server wrote (RFC 5321 §4.4), else the From field.
  const sender =
    addressesOf(firstFieldValue(headers, "return-path")) ?? addressesOf(firstFieldValue(headers, "from"));
  const elsewhere = !sender || sender.length !== 1 || to.some((a) => a !== sender[0]);
  return { to, elsewhere };
}
