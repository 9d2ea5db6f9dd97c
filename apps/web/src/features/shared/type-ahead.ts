import { fold } from "@pismo/protocol/search";

/**
 * A menu's type-ahead (the WAI-ARIA menu pattern): letters typed in quick succession spell the
 * start of a name ("rač" goes to "Računi", where each letter alone went to the next name with
 * it: r to Računi, a to Archive), compared as local search compares (case, diacritics and
 * Serbian Cyrillic folded: "rac" finds "Računi"); the same letter again and again goes through
 * the names that start with it. A space typed while spelling is part of the name (spelling()).
 */
export class TypeAhead {
  private typed = "";
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly pauseMs = 700) {}

  /** Forgets what was typed: the menu opened again, or another key (an arrow) moved in it. */
  reset(): void {
    this.typed = "";
    this.lastAt = Number.NEGATIVE_INFINITY;
  }

  /**
   * Whether a name is being spelled at `now` (a letter typed within the pause): a space then
   * belongs to the name ("stari p" for "Stari projekti"), not to the menu, where it chooses.
   */
  spelling(now: number): boolean {
    return this.typed !== "" && now - this.lastAt <= this.pauseMs;
  }

  /** Where to move for `key` typed at `now` (ms) with `active` current; null when no name fits. */
  next(key: string, names: readonly string[], active: number, now: number): number | null {
    this.typed = now - this.lastAt > this.pauseMs ? key : this.typed + key;
    this.lastAt = now;
    const chars = Array.from(this.typed);
    const sameLetter = chars.length > 1 && chars.every((c) => c === chars[0]);
    const wanted = fold(sameLetter ? key : this.typed);
    if (!wanted) return null;
    // A longer start keeps the current name while it still fits; a new letter moves on.
    const from = chars.length > 1 && !sameLetter ? 0 : 1;
    const n = names.length;
    for (let k = from; k < n + from; k++) {
      const i = (active + k) % n;
      if (fold(names[i] ?? "").startsWith(wanted)) return i;
    }
    return null;
  }
}
