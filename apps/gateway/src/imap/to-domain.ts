import type {
  FetchMessageObject,
  ListResponse,
  MessageAddressObject,
  MessageStructureObject,
} from "imapflow";
import type { Address, Folder, MessageSummary, SpecialUse } from "@pismo/protocol/schemas";

/** RFC 6154 special-use attributes (and imapflow's name-based guesses) to our names. */
export function specialUseOf(flag: string | undefined, path: string): SpecialUse | null {
  if (path.toUpperCase() === "INBOX") return "inbox";
  switch (flag) {
    case "\\Inbox":
      return "inbox";
    case "\\Drafts":
      return "drafts";
    case "\\Sent":
      return "sent";
    case "\\Archive":
      return "archive";
    case "\\Junk":
      return "junk";
    case "\\Trash":
      return "trash";
    default:
      return null;
  }
}

const specialOrder: Record<SpecialUse, number> = {
  inbox: 0,
  drafts: 1,
  sent: 2,
  archive: 3,
  junk: 4,
  trash: 5,
};

export function toFolder(entry: ListResponse): Folder {
  return {
    path: entry.path,
    name: entry.name,
    delimiter: entry.delimiter ?? "/",
    parentPath: entry.parentPath ?? "",
    specialUse: specialUseOf(entry.specialUse, entry.path),
    // imapflow leaves `subscribed` undefined (not false) for a folder that is not subscribed.
    subscribed: entry.subscribed === true,
    selectable: !entry.flags.has("\\Noselect") && !entry.flags.has("\\NonExistent"),
    messages: entry.status?.messages ?? 0,
    unseen: entry.status?.unseen ?? 0,
  };
}

/**
 * Special-use folders first in a fixed order, each with the folders inside it, then the rest,
 * in the gateway's default collation (its own locale: the folder list is one order for every
 * user of a session, sorted where it is built). Compared name by name along the path, not as whole paths: a collation
 * puts " ", "-", "_" and "." before the delimiter, and "Posao 2" would fall between "Posao" and
 * "Posao/Klijenti", which the app (drawing the list in this order, indented) would then show
 * under "Posao 2". Names the collation finds equal ("posao", "Posao") are told apart by their
 * code units, so that each folder's own folders stay right after it.
 */
export function sortFolders(folders: Folder[]): Folder[] {
  const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
  const rank = new Map<string, number>();
  for (const f of folders)
    if (f.specialUse && f.parentPath === "") rank.set(f.path, specialOrder[f.specialUse]);
  const keyed = folders.map((folder) => {
    const names = folder.path.split(folder.delimiter || "/");
    return { folder, names, rank: rank.get(names[0]!) ?? 99 };
  });
  keyed.sort((a, b) => {
    if (a.rank !== b.rank) return a.rank - b.rank;
    for (let i = 0; i < Math.min(a.names.length, b.names.length); i++) {
      const x = a.names[i]!;
      const y = b.names[i]!;
      const order = collator.compare(x, y) || (x < y ? -1 : x > y ? 1 : 0);
      if (order !== 0) return order;
    }
    return a.names.length - b.names.length;
  });
  return keyed.map((k) => k.folder);
}

export function toAddress(a: MessageAddressObject | undefined): Address | null {
  if (!a) return null;
  return { name: a.name ?? "", address: a.address ?? "" };
}

export function toAddresses(list: MessageAddressObject[] | undefined): Address[] {
  return (list ?? []).map((a) => ({ name: a.name ?? "", address: a.address ?? "" }));
}

/** True when the structure holds a part a user would call an attachment. */
export function hasAttachment(node: MessageStructureObject | undefined, depth = 0): boolean {
  if (!node || depth > 30) return false;
  if (node.disposition === "attachment") return true;
  const type = node.type?.toLowerCase() ?? "";
  if (!type.startsWith("multipart/") && !type.startsWith("text/") && node.dispositionParameters?.filename)
    return true;
  if (type === "message/rfc822" && depth > 0) return true;
  if (
    !type.startsWith("multipart/") &&
    !type.startsWith("text/") &&
    depth > 0 &&
    node.disposition !== "inline"
  )
    return true;
  return (node.childNodes ?? []).some((child) => hasAttachment(child, depth + 1));
}

export function dateOf(value: Date | string | undefined): string | null {
  if (!value) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** What `toSummary` reads of a message: the one FETCH behind every list, window and result row. */
export const SUMMARY_FETCH_QUERY = {
  uid: true,
  flags: true,
  envelope: true,
  size: true,
  bodyStructure: true,
  internalDate: true,
} as const;

export function toSummary(msg: FetchMessageObject): MessageSummary {
  const flags = msg.flags ?? new Set<string>();
  return {
    uid: msg.uid,
    subject: msg.envelope?.subject ?? "",
    from: toAddress(msg.envelope?.from?.[0]),
    to: toAddresses(msg.envelope?.to),
    date: dateOf(msg.envelope?.date) ?? dateOf(msg.internalDate),
    size: msg.size ?? 0,
    seen: flags.has("\\Seen"),
    flagged: flags.has("\\Flagged"),
    answered: flags.has("\\Answered"),
    hasAttachment: hasAttachment(msg.bodyStructure),
  };
}
