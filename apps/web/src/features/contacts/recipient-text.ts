import { recipientEntry } from "@pismo/protocol/compose";
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

export function insertText(s: RecipientSuggestion): string {
  return s.kind === "person" ? recipientEntry(s) : s.members.map(recipientEntry).join(", ");
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
    return ` ${members.map(recipientEntry).join(", ")}`;
  });
  return changed ? parts.join(",").replace(/^ /, "") : value;
}
