/**
 * The most messages one action takes: a whole folder selected ("Select all N in …") up to this
 * size, the newest when the folder is larger. The gateway sends them to the server as ranges
 * (3:900), so the IMAP command stays short. Its own module, without zod, so that the list's
 * code can read it without the schemas.
 */
export const MAX_SELECTION = 100_000;

/**
 * UIDs as runs of consecutive numbers, ascending: [first, last] each. A whole folder of 100,000
 * is usually one run, so a selection that large stays short on the wire and in a command.
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

/** The UIDs of runs made by uidRanges, ascending. */
export function uidsInRanges(ranges: ReadonlyArray<readonly [number, number]>): number[] {
  const uids: number[] = [];
  for (const [first, last] of ranges) for (let uid = first; uid <= last; uid++) uids.push(uid);
  return uids;
}
