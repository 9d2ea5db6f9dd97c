import type { Pop3Policy } from "./policy";

/**
 * The POP3 sync planner: what to fetch and what to delete, from the server's listing (UIDL +
 * LIST), what this device already has, and the account's policy. Pure; the gateway's pull
 * driver carries it out.
 *
 * The rule that makes a pull lose nothing: a message may be deleted on the server only if
 * this device holds it durably, either from an earlier pull (`known`) or because the browser
 * acknowledged it in this pull. `plan.delete` lists the first kind; fetched messages that are
 * due for deletion carry `deleteAfterAck`, and only `deletableAfterAck(plan, ackedUids)`
 * turns them into deletions. Deletions take effect at QUIT (RFC 1939 section 6), after all
 * acknowledgements.
 */

export interface Pop3ServerMessage {
  /** The message number of this session (RFC 1939); valid only until the connection ends. */
  readonly msgNo: number;
  /** The UIDL unique-id: the identity of the message across sessions. */
  readonly uid: string;
  /** LIST size in octets. */
  readonly size: number;
}

export interface Pop3KnownMessage {
  /** When this device stored it (epoch ms): the start of "delete after N days". */
  readonly storedAt: number;
  /** The user deleted it here (local Trash emptied or deleted for good). */
  readonly deletedLocally: boolean;
  /**
   * Only the headers were fetched (TOP): the body still lives only on the server, so the
   * message is never deleted there except on the user's explicit local deletion.
   */
  readonly headersOnly?: boolean;
  /**
   * Its LIST size when it was stored. A message the server lists under the same unique-id with
   * another size is another message (the server reused the id): it is fetched, never deleted
   * as this one. Absent: not compared.
   */
  readonly size?: number;
}

export type Pop3FetchMode = "full" | "headers";

export interface Pop3FetchItem {
  readonly msgNo: number;
  readonly uid: string;
  readonly size: number;
  readonly mode: Pop3FetchMode;
  /** Delete on the server once (and only if) the browser acknowledged storing it. */
  readonly deleteAfterAck: boolean;
}

export interface Pop3DeleteItem {
  readonly msgNo: number;
  readonly uid: string;
}

export interface Pop3Plan {
  /** In server order (oldest first). */
  readonly fetch: readonly Pop3FetchItem[];
  /** Messages this device already holds durably and that the policy removes from the server. */
  readonly delete: readonly Pop3DeleteItem[];
  /** Octets to download: LIST sizes of full fetches (a headers-only fetch counts as 0). */
  readonly totalBytes: number;
  /** Number of messages to download. */
  readonly count: number;
  /** Octets of headers-only messages left on the server for later. */
  readonly deferredBytes: number;
  /** UIDs the server listed twice (a broken server): neither fetched again nor deleted. */
  readonly duplicateUids: readonly string[];
  /**
   * Known UIDs the server does not list: no longer on the server (deleted by another client, or
   * by a DELE whose QUIT answer never came). The device can stop counting them as there.
   */
  readonly gone: readonly string[];
}

export interface Pop3PlanInput {
  readonly server: readonly Pop3ServerMessage[];
  readonly known: ReadonlyMap<string, Pop3KnownMessage> | Readonly<Record<string, Pop3KnownMessage>>;
  readonly policy: Pop3Policy;
  /** Epoch ms. */
  readonly now: number;
}

const DAY_MS = 86_400_000;

function lookup(known: Pop3PlanInput["known"], uid: string): Pop3KnownMessage | undefined {
  if (known instanceof Map) return known.get(uid);
  const record = known as Readonly<Record<string, Pop3KnownMessage>>;
  return Object.prototype.hasOwnProperty.call(record, uid) ? record[uid] : undefined;
}

/** Should a message this device holds be removed from the server? */
function dueForDeletion(have: Pop3KnownMessage, policy: Pop3Policy, now: number): boolean {
  // A local deletion removes it from the server when the policy says so, or when copies are
  // not kept anyway; this holds for a headers-only message too: the user asked for it.
  if (have.deletedLocally && (!policy.leaveOnServer || policy.deleteWhenDeletedLocally)) return true;
  // A headers-only message exists in full only on the server.
  if (have.headersOnly === true) return false;
  // Without leave-a-copy everything downloaded leaves the server. A message
  // still here was fetched by a pull whose QUIT never happened: delete it now.
  if (!policy.leaveOnServer) return true;
  // Leave a copy means never delete, unless a day rule says so.
  if (policy.deleteAfterDays !== null && now - have.storedAt >= policy.deleteAfterDays * DAY_MS) return true;
  return false;
}

export function planPop3Sync(input: Pop3PlanInput): Pop3Plan {
  const { policy, now } = input;
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const message of input.server) {
    if (seen.has(message.uid)) duplicates.add(message.uid);
    seen.add(message.uid);
  }

  const fetch: Pop3FetchItem[] = [];
  const del: Pop3DeleteItem[] = [];
  let totalBytes = 0;
  let deferredBytes = 0;
  const ordered = [...input.server].sort((a, b) => a.msgNo - b.msgNo);
  const handled = new Set<string>();

  for (const message of ordered) {
    if (handled.has(message.uid)) continue;
    handled.add(message.uid);
    const held = lookup(input.known, message.uid);
    // Another size under a known unique-id: another message, which nobody downloaded yet.
    const have =
      held !== undefined && held.size !== undefined && held.size !== message.size ? undefined : held;
    if (have !== undefined) {
      if (!duplicates.has(message.uid) && dueForDeletion(have, policy, now)) {
        del.push({ msgNo: message.msgNo, uid: message.uid });
      }
      continue;
    }
    const headersOnly = policy.headersOnlyAboveBytes !== null && message.size > policy.headersOnlyAboveBytes;
    const mode: Pop3FetchMode = headersOnly ? "headers" : "full";
    // A freshly stored message is 0 days old, so only "no leave-a-copy" deletes it now.
    const deleteAfterAck = !headersOnly && !policy.leaveOnServer && !duplicates.has(message.uid);
    fetch.push({ msgNo: message.msgNo, uid: message.uid, size: message.size, mode, deleteAfterAck });
    if (headersOnly) deferredBytes += message.size;
    else totalBytes += message.size;
  }

  const knownUids = input.known instanceof Map ? [...input.known.keys()] : Object.keys(input.known);
  return {
    fetch,
    delete: del,
    totalBytes,
    count: fetch.length,
    deferredBytes,
    duplicateUids: [...duplicates],
    gone: knownUids.filter((uid) => !seen.has(uid)),
  };
}

/**
 * The deletions the driver may send (DELE) once every fetch has been acknowledged or given
 * up: the already-held ones, plus fetched ones whose UID the browser acknowledged. Anything
 * not acknowledged stays on the server, whatever the policy says.
 */
export function deletableAfterAck(plan: Pop3Plan, ackedUids: Iterable<string>): Pop3DeleteItem[] {
  const acked = new Set(ackedUids);
  const fromFetch = plan.fetch
    .filter((item) => item.deleteAfterAck && acked.has(item.uid))
    .map((item) => ({ msgNo: item.msgNo, uid: item.uid }));
  return [...plan.delete, ...fromFetch].sort((a, b) => a.msgNo - b.msgNo);
}
