import { operatorValues } from "./query-syntax";
import type {
  SearchFlag,
  SearchErrorCode,
  SearchNode,
  SearchOperator,
  SearchQuery,
  SearchScope,
} from "./query-syntax";
import { fail } from "./query-tokens";
import type { Token } from "./query-tokens";
import { dateExample, parseAge, parseDay, parseSize } from "./query-values";

// Parser: or := and (OR and)* ; and := unary+ ; unary := "-" unary | "(" or ")" | term

type PNode =
  | Exclude<SearchNode, { kind: "not" | "and" | "or" }>
  | { readonly kind: "scope"; readonly scope: SearchScope; readonly at: number; readonly length: number }
  | { readonly kind: "not"; readonly node: PNode }
  | { readonly kind: "and" | "or"; readonly nodes: readonly PNode[] };

const examples: Readonly<Record<SearchOperator, string>> = {
  from: "from:ana",
  to: "to:ana",
  cc: "cc:ana",
  subject: "subject:račun",
  body: "body:ugovor",
  has: "has:attachment",
  is: "is:unread",
  before: "before:2026-11-30",
  after: "after:2026-11-30",
  older_than: "older_than:7d",
  newer_than: "newer_than:7d",
  larger: "larger:5M",
  smaller: "smaller:200K",
  in: "in:all",
};

/** How deep parentheses and "-" may nest: far past any real search, well within the stack (the
 * parser, the compilers and the matchers all recurse on the tree). */
export const MAX_SEARCH_DEPTH = 32;

export class Parser {
  private pos = 0;
  private depth = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly now: number,
    private readonly locale: string | undefined,
  ) {}

  parseAll(): PNode | null {
    const node = this.parseOr();
    const stray = this.tokens[this.pos];
    if (stray !== undefined) fail("UNBALANCED_PAREN", stray.at, stray.length);
    return node;
  }

  private parseOr(): PNode | null {
    const first = this.tokens[this.pos];
    if (first?.type === "or") fail("DANGLING_OR", first.at, first.length);
    const left = this.parseAnd();
    if (left === null) return null;
    const branches = [left];
    for (let tok = this.tokens[this.pos]; tok?.type === "or"; tok = this.tokens[this.pos]) {
      this.pos++;
      const right = this.parseAnd();
      if (right === null) fail("DANGLING_OR", tok.at, tok.length);
      branches.push(right);
    }
    return branches.length === 1 ? left : { kind: "or", nodes: branches };
  }

  private parseAnd(): PNode | null {
    const items: PNode[] = [];
    for (let tok = this.tokens[this.pos]; tok !== undefined; tok = this.tokens[this.pos]) {
      if (tok.type === "rparen" || tok.type === "or") break;
      const node = this.parseUnary();
      if (node !== null) items.push(node);
    }
    if (items.length === 0) return null;
    return items.length === 1 ? (items[0] ?? null) : { kind: "and", nodes: items };
  }

  private parseUnary(): PNode | null {
    const tok = this.tokens[this.pos];
    if (tok === undefined) return null;
    if (this.depth >= MAX_SEARCH_DEPTH) fail("TOO_DEEP", tok.at, 1, { max: String(MAX_SEARCH_DEPTH) });
    this.depth++;
    try {
      return this.parseUnaryAt();
    } finally {
      this.depth--;
    }
  }

  private parseUnaryAt(): PNode | null {
    const tok = this.tokens[this.pos++];
    if (tok === undefined) return null;
    switch (tok.type) {
      case "neg": {
        const next = this.tokens[this.pos];
        if (next === undefined || next.type === "rparen" || next.type === "or") {
          // A "-" before nothing negates nothing: read it as the word it looks like.
          return null;
        }
        const inner = this.parseUnary();
        if (inner === null) return null;
        return inner.kind === "not" ? inner.node : { kind: "not", node: inner };
      }
      case "lparen": {
        const inner = this.parseOr();
        const close = this.tokens[this.pos];
        if (close?.type !== "rparen") fail("UNBALANCED_PAREN", tok.at, 1);
        this.pos++;
        if (inner === null) fail("EMPTY_GROUP", tok.at, close.at + 1 - tok.at);
        return inner;
      }
      case "rparen":
        return fail("UNBALANCED_PAREN", tok.at, 1);
      case "or":
        return fail("DANGLING_OR", tok.at, tok.length);
      case "term":
        return this.term(tok);
    }
  }

  private term(tok: Extract<Token, { type: "term" }>): PNode | null {
    const { op, quoted } = tok;
    const value = tok.value.trim();
    if (op === null) {
      // A word of punctuation alone ("Faktura - jun", "a & b", a stray ":") is no word to find:
      // as a term of its own it matched nothing, and with it the whole search.
      if (value === "" || (!quoted && !/[\p{L}\p{N}]/u.test(value))) return null;
      return { kind: "text", field: "any", value, phrase: quoted };
    }
    if (value === "") fail("MISSING_VALUE", tok.at, tok.length, { operator: op, example: examples[op] });
    const badValue = (code: SearchErrorCode, extra: Record<string, string> = {}): never =>
      fail(code, tok.valueAt, tok.valueLength, { operator: op, value, ...extra });
    switch (op) {
      case "from":
      case "to":
      case "cc":
      case "subject":
      case "body":
        return { kind: "text", field: op, value, phrase: quoted };
      case "is":
      case "has": {
        const allowed = operatorValues[op] ?? [];
        const v = value.toLowerCase();
        if (op === "has" && v === "attachments") return { kind: "hasAttachment" };
        if (!allowed.includes(v)) return badValue("UNKNOWN_VALUE", { expected: allowed.join(", ") });
        return op === "has" ? { kind: "hasAttachment" } : { kind: "flag", flag: v as SearchFlag };
      }
      case "before":
      case "after": {
        const time = parseDay(value, this.locale);
        if (time === null) return badValue("BAD_DATE", { example: dateExample(this.locale) });
        return { kind: "date", bound: op, time, granularity: "day" };
      }
      case "older_than":
      case "newer_than": {
        const time = parseAge(value, this.now);
        if (time === null) return badValue("BAD_RELATIVE_DATE");
        return {
          kind: "date",
          bound: op === "older_than" ? "before" : "after",
          time,
          granularity: "instant",
        };
      }
      case "larger":
      case "smaller": {
        const bytes = parseSize(value);
        if (bytes === null) return badValue("BAD_SIZE");
        return { kind: "size", bound: op, bytes };
      }
      case "in": {
        const scope: SearchScope =
          !quoted && value.toLowerCase() === "all" ? { kind: "all" } : { kind: "folder", folder: value };
        return { kind: "scope", scope, at: tok.at, length: tok.length };
      }
    }
  }
}

/**
 * Takes in: out of the tree into the query's scope. It may stand among the top-level terms
 * ("in:all račun"), also within a branch of a top-level OR ("in:all a OR b", as people
 * type it), but not alone in a branch, under NOT or deeper: there it would not say where to
 * search.
 */
export function finish(root: PNode | null): SearchQuery {
  const scopes: Extract<PNode, { kind: "scope" }>[] = [];
  // Parentheses without OR or NOT only group, so a nested AND is still the same level.
  const strip = (n: PNode): PNode | null => {
    if (n.kind === "scope") {
      scopes.push(n);
      return null;
    }
    if (n.kind !== "and") return n;
    const kept = n.nodes.map(strip).filter((c): c is PNode => c !== null);
    return kept.length === 0 ? null : kept.length === 1 ? (kept[0] ?? null) : { kind: "and", nodes: kept };
  };
  let top = root === null ? null : strip(root);
  if (top?.kind === "or") {
    top = {
      kind: "or",
      nodes: top.nodes.map((branch) => {
        const before = scopes.length;
        const kept = strip(branch);
        const alone = scopes[before];
        if (kept === null && alone !== undefined) fail("SCOPE_NOT_ALLOWED_HERE", alone.at, alone.length);
        return kept ?? branch;
      }),
    };
  }
  const second = scopes[1];
  if (second !== undefined) fail("DUPLICATE_SCOPE", second.at, second.length);
  return { root: top === null ? null : convert(top), scope: scopes[0]?.scope ?? { kind: "current" } };
}

function convert(node: PNode): SearchNode {
  switch (node.kind) {
    case "scope":
      return fail("SCOPE_NOT_ALLOWED_HERE", node.at, node.length);
    case "not":
      return { kind: "not", node: convert(node.node) };
    case "and":
    case "or": {
      const nodes = node.nodes.map(convert).flatMap((n) => (n.kind === node.kind ? n.nodes : [n]));
      return { kind: node.kind, nodes };
    }
    default:
      return node;
  }
}
