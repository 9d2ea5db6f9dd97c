import type { Address } from "../schemas/address";
import { containsAtWordStart } from "../search/local-match";
import { fold } from "../search/translit";
import { addressKey, expandGroup, groupNames, usageMap, type AddressBook } from "./address-book";
import { frecency } from "./frecency";

export type RecipientSuggestion =
  { kind: "person"; name: string; address: string } | { kind: "group"; name: string; members: Address[] };

/**
 * What to offer for the text typed in To, Cc or Bcc: contacts and groups whose name, or
 * address, has a word starting with it. Typing is folded the way search folds (case,
 * diacritics, Serbian Cyrillic read as Latin), so "marija" and "Мар" find "Marija Jovanović".
 * Order: the person whose address is the text exactly (an address typed whole must not lose
 * to a busier "j.marko@…" that only has a word starting with it), then groups whose name
 * starts with the text, then people ranked by how often and how recently they were used
 * (frecency); among equals, a whole-name or address prefix first, then by name. Addresses
 * already in the field (`exclude`) are not offered again; `extra` are addresses known without
 * being in the book (e.g. the mail lists on screen).
 */
export function suggestRecipients(
  book: AddressBook,
  typed: string,
  opts: { now: number; limit?: number; exclude?: readonly string[]; extra?: readonly Address[] },
): RecipientSuggestion[] {
  const q = fold(typed);
  if (!q) return [];
  const exclude = new Set((opts.exclude ?? []).map(addressKey));
  const usage = usageMap(book);
  const people = new Map<
    string,
    { name: string; address: string; exact: boolean; rank: number; prefix: boolean }
  >();
  const consider = (name: string, address: string) => {
    const key = addressKey(address);
    if (!key || exclude.has(key) || people.has(key)) return;
    const n = fold(name);
    const a = fold(address);
    if (!containsAtWordStart(n, q) && !containsAtWordStart(a, q)) return;
    people.set(key, {
      name,
      address,
      exact: a === q,
      rank: frecency(usage.get(key), opts.now),
      prefix: n.startsWith(q) || a.startsWith(q),
    });
  };
  for (const c of book.contacts) for (const e of c.emails) consider(c.name, e);
  for (const a of opts.extra ?? []) consider(a.name, a.address);

  const groups: RecipientSuggestion[] = groupNames(book)
    .filter((g) => fold(g.name).startsWith(q))
    .map((g) => ({ kind: "group", name: g.name, members: expandGroup(book, g.name) }));
  const ranked = [...people.values()].sort(
    (x, y) =>
      y.rank - x.rank ||
      Number(y.prefix) - Number(x.prefix) ||
      (x.name || x.address).localeCompare(y.name || y.address),
  );
  const person = (p: (typeof ranked)[number]): RecipientSuggestion => ({
    kind: "person",
    name: p.name,
    address: p.address,
  });
  return [
    ...ranked.filter((p) => p.exact).map(person),
    ...groups,
    ...ranked.filter((p) => !p.exact).map(person),
  ].slice(0, opts.limit ?? 8);
}
