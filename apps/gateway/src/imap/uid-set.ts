import { uidRanges } from "@pismo/protocol/selection";

/**
 * UIDs as an IMAP sequence set with ranges (RFC 9051 §9, sequence-set): "3,7:9". Joined one by
 * one, the UIDs of a selected folder would make a command longer than servers take (Dovecot's
 * imap_max_line_length is 64 kB).
 */
export function uidSet(uids: Iterable<number>): string {
  return uidRanges(uids)
    .map(([first, last]) => (first === last ? String(first) : `${first}:${last}`))
    .join(",");
}
