/**
 * UIDs as runs of consecutive numbers, ascending: [first, last] each. A whole folder of 100,000
 * is usually one run, so a selection that large stays short both on the wire and in a command.
 */
export function uidRanges(uids: Iterable<number>): Array<[number, number]> {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const runs: Array<[number, number]> = [];
  for (const uid of sorted) {
    const last = runs[runs.length - 1];
    if (last && uid === last[1] + 1) last[1] = uid;
    else runs.push([uid, uid]);
  }
  return runs;
}

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
