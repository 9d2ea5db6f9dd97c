import { isOperator } from "./query-syntax";
import type { SearchError, SearchErrorCode, SearchOperator } from "./query-syntax";

// Splitting the search box's text into tokens, and the errors parsing reports (with where).

export type Token =
  | { readonly type: "lparen" | "rparen" | "or" | "neg"; readonly at: number; readonly length: number }
  | {
      readonly type: "term";
      readonly at: number;
      readonly length: number;
      readonly op: SearchOperator | null;
      readonly value: string;
      readonly valueAt: number;
      readonly valueLength: number;
      readonly quoted: boolean;
    };

export class ParseFailure extends Error {
  constructor(readonly error: SearchError) {
    super(error.message);
  }
}

export function fail(
  code: SearchErrorCode,
  at: number,
  length: number,
  params: Readonly<Record<string, string>> = {},
): never {
  throw new ParseFailure({ code, at, length: Math.max(length, 1), params, message: describe(code, params) });
}

function describe(code: SearchErrorCode, p: Readonly<Record<string, string>>): string {
  switch (code) {
    case "UNTERMINATED_QUOTE":
      return "This quotation mark is not closed.";
    case "UNBALANCED_PAREN":
      return "This parenthesis has no partner.";
    case "EMPTY_GROUP":
      return "There is nothing inside these parentheses.";
    case "DANGLING_OR":
      return "OR needs a search term on both sides.";
    case "MISSING_VALUE":
      return `${p["operator"] ?? ""}: needs a value, for example ${p["example"] ?? ""}.`;
    case "UNKNOWN_VALUE":
      return `${p["operator"] ?? ""}: takes one of ${p["expected"] ?? ""}, not "${p["value"] ?? ""}".`;
    case "BAD_DATE":
      return `"${p["value"] ?? ""}" is not a date; write it as ${p["example"] ?? ""} or 2026-11-30.`;
    case "BAD_RELATIVE_DATE":
      return `"${p["value"] ?? ""}" is not an age; write a number and d, w, m or y, for example 7d.`;
    case "BAD_SIZE":
      return `"${p["value"] ?? ""}" is not a size; write a number with K, M or G, for example 5M or 200K.`;
    case "SCOPE_NOT_ALLOWED_HERE":
      return "in: chooses where to search for the whole query: put it beside the other terms, not under - or inside parentheses with OR.";
    case "DUPLICATE_SCOPE":
      return "Only one in: per search.";
    case "TOO_DEEP":
      return `Parentheses and - go at most ${p["max"] ?? ""} deep.`;
  }
}

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const n = input.length;
  let i = 0;
  // A quoted value runs from the quote at `open` to the next one; its term starts at `at`, which
  // is before the operator when there is one. Returns where the next token starts.
  const quoted = (at: number, open: number, op: SearchOperator | null): number => {
    const close = input.indexOf('"', open + 1);
    if (close < 0) fail("UNTERMINATED_QUOTE", open, n - open);
    tokens.push({
      type: "term",
      at,
      length: close + 1 - at,
      op,
      value: input.slice(open + 1, close),
      valueAt: open + 1,
      valueLength: close - open - 1,
      quoted: true,
    });
    return close + 1;
  };
  while (i < n) {
    const ch = input[i];
    if (isSpace(ch)) {
      i++;
    } else if (ch === "(" || ch === ")") {
      tokens.push({ type: ch === "(" ? "lparen" : "rparen", at: i, length: 1 });
      i++;
    } else if (ch === "-" && i + 1 < n && !isSpace(input[i + 1]) && input[i + 1] !== ")") {
      tokens.push({ type: "neg", at: i, length: 1 });
      i++;
    } else if (ch === '"') {
      i = quoted(i, i, null);
    } else {
      let j = i;
      while (j < n && !isSpace(input[j]) && input[j] !== "(" && input[j] !== ")" && input[j] !== '"') j++;
      const word = input.slice(i, j);
      const opMatch = /^([A-Za-z_]+):/.exec(word);
      const opName = opMatch?.[1]?.toLowerCase();
      if (word === "OR") {
        tokens.push({ type: "or", at: i, length: 2 });
        i = j;
      } else if (opMatch !== null && opName !== undefined && isOperator(opName)) {
        const rest = word.slice(opMatch[0].length);
        if (rest === "" && input[j] === '"') {
          i = quoted(i, j, opName);
        } else {
          const valueAt = i + opMatch[0].length;
          tokens.push({
            type: "term",
            at: i,
            length: j - i,
            op: opName,
            value: rest,
            valueAt,
            valueLength: j - valueAt,
            quoted: false,
          });
          i = j;
        }
      } else {
        tokens.push({
          type: "term",
          at: i,
          length: j - i,
          op: null,
          value: word,
          valueAt: i,
          valueLength: j - i,
          quoted: false,
        });
        i = j;
      }
    }
  }
  return tokens;
}
