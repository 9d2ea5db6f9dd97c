import type { Address } from "@pismo/protocol/schemas";
import { fold } from "@pismo/protocol/search";
import {
  expandGroup,
  groupNames,
  type AddressBook,
  type RecipientSuggestion,
} from "@pismo/protocol/contacts";

/** The field splits entries at these (as parseAddressList does). */
export const SEPARATOR = /[,;\n]/;

export function lastSeparator(value: string): number {
  let at = -1;
  for (let i = 0; i < value.length; i++) if (SEPARATOR.test(value.charAt(i))) at = i;
  return at;
}

/** "Name <address>" as the field reads it back: a comma or semicolon in a name would split it. */
export function entry(a: Address): string {
  const name = a.name
    .replace(/[,;"<>]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return name ? `${name} <${a.address}>` : a.address;
}

export function insertText(s: RecipientSuggestion): string {
  return s.kind === "person" ? entry(s) : s.members.map(entry).join(", ");
}

/** A group's name typed whole (not chosen from the list) becomes its members when the field is left. */
export function expandTypedGroups(book: AddressBook, value: string): string {
  // Folded as completion folds, so "Тим" typed in Cyrillic is the group "Tim".
  const groups = new Map(groupNames(book).map((g) => [fold(g.name), g.name]));
  if (groups.size === 0) return value;
  let changed = false;
  const parts = value.split(SEPARATOR).map((part) => {
    const typed = part.trim();
    const group = typed.includes("@") ? undefined : groups.get(fold(typed));
    if (group === undefined) return part;
    const members = expandGroup(book, group);
    if (members.length === 0) return part;
    changed = true;
    return ` ${members.map(entry).join(", ")}`;
  });
  return changed ? parts.join(",").replace(/^ /, "") : value;
}
