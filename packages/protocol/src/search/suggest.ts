import { operatorValues, searchOperators } from "./query";
import type { SearchOperator } from "./query";
import { fold } from "./translit";

/**
 * Suggestions for the word being typed in the search box: operators while a name is typed
 * ("fr" -> "from:"), then values for the operators that have a fixed set ("is:" -> unread,
 * read, flagged), folders for in:, and examples for ages and sizes. The UI replaces
 * `from`..`to` of the input with a suggestion's `insert`.
 */

export interface SearchSuggestion {
  readonly kind: "operator" | "value";
  /** Text to put in place of the typed word. */
  readonly insert: string;
  /** The operator or value alone, for display. */
  readonly label: string;
}

export interface SearchSuggestions {
  /** UTF-16 range of the input the suggestion replaces. */
  readonly from: number;
  readonly to: number;
  readonly items: readonly SearchSuggestion[];
}

export interface SuggestOptions {
  /** Where the caret is. @default the end of the input */
  readonly cursor?: number;
  /** Folder names offered after in:. */
  readonly folders?: readonly string[];
}

const examples: Partial<Record<SearchOperator, readonly string[]>> = {
  older_than: ["7d", "2w", "1m", "1y"],
  newer_than: ["7d", "2w", "1m", "1y"],
  larger: ["1M", "5M", "10M"],
  smaller: ["100K", "1M"],
};

// A folder called "all" is quoted so it does not mean every folder.
const folderValue = (name: string): string =>
  /[\s"()]/.test(name) || name.toLowerCase() === "all" ? `"${name}"` : name;

export function suggestSearch(input: string, options: SuggestOptions = {}): SearchSuggestions {
  const cursor = Math.min(Math.max(options.cursor ?? input.length, 0), input.length);
  // The word under the caret: back to white space or a parenthesis, outside quotes.
  let start = cursor;
  while (start > 0 && !/[\s()]/.test(input.charAt(start - 1))) start--;
  if ((input.slice(0, start).match(/"/g)?.length ?? 0) % 2 === 1)
    return { from: cursor, to: cursor, items: [] };
  if (input.charAt(start) === "-") start++;
  const word = input.slice(start, cursor);
  const none = { from: start, to: cursor, items: [] };
  if (word === "") return none;

  const colon = word.indexOf(":");
  if (colon < 0) {
    const typed = word.toLowerCase();
    const items = searchOperators
      .filter((op) => op.startsWith(typed))
      .map((op) => ({ kind: "operator" as const, insert: `${op}:`, label: `${op}:` }));
    return { from: start, to: cursor, items };
  }

  const op = word.slice(0, colon).toLowerCase();
  if (!(searchOperators as readonly string[]).includes(op)) return none;
  const operator = op as SearchOperator;
  const typed = fold(word.slice(colon + 1).replace(/^"/, ""));
  const values =
    operator === "in"
      ? [
          { value: "all", insert: "all" },
          ...(options.folders ?? []).map((f) => ({ value: f, insert: folderValue(f) })),
        ]
      : (operatorValues[operator] ?? examples[operator] ?? []).map((v) => ({ value: v, insert: v }));
  const items = values
    .filter(({ value }) => fold(value).startsWith(typed) && fold(value) !== typed)
    .map(({ value, insert }) => ({ kind: "value" as const, insert: `${operator}:${insert}`, label: value }));
  return { from: start, to: cursor, items };
}
