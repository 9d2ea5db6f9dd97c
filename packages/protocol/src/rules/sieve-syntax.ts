/**
 * Sieve's syntax (RFC 5228 section 8): a tokenizer and a parser into commands and tests, and
 * the writing of strings. Pure and total: bad input gives a `SieveSyntaxError` naming the line,
 * never a crash. It reads any Sieve script; what the commands mean is ./sieve-recognize.ts's
 * concern.
 */

export class SieveSyntaxError extends Error {
  override readonly name = "SieveSyntaxError";
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export type SieveArgument =
  | { kind: "string"; value: string }
  | { kind: "strings"; values: string[] }
  | { kind: "number"; value: number }
  | { kind: "tag"; name: string };

export interface SieveTest {
  name: string;
  args: SieveArgument[];
  tests: SieveTest[];
}

export interface SieveCommand {
  name: string;
  args: SieveArgument[];
  tests: SieveTest[];
  /** Null for a command ended by ";". */
  block: SieveCommand[] | null;
  /** The hash comments right before it, without the "#", in order. */
  comments: string[];
  line: number;
}

type Token =
  | { t: "ident"; v: string; line: number }
  | { t: "tag"; v: string; line: number }
  | { t: "string"; v: string; line: number }
  | { t: "number"; v: number; line: number }
  | { t: "punct"; v: string; line: number }
  | { t: "comment"; v: string; line: number };

const QUANTIFIERS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const n = source.length;
  while (i < n) {
    const ch = source[i]!;
    if (ch === "\n") {
      line++;
      i++;
    } else if (ch === " " || ch === "\t" || ch === "\r") {
      i++;
    } else if (ch === "#") {
      const end = source.indexOf("\n", i);
      const stop = end === -1 ? n : end;
      tokens.push({ t: "comment", v: source.slice(i + 1, stop).replace(/\r$/, ""), line });
      i = stop;
    } else if (ch === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      if (end === -1) throw new SieveSyntaxError("unterminated /* comment", line);
      line += countLines(source.slice(i, end));
      i = end + 2;
    } else if (ch === '"') {
      const start = line;
      let value = "";
      i++;
      for (;;) {
        if (i >= n) throw new SieveSyntaxError("unterminated string", start);
        const c = source[i]!;
        if (c === '"') {
          i++;
          break;
        }
        if (c === "\\") {
          // RFC 5228 2.4.2: "\\" and "\"" are the only escapes; any other "\x" is "x".
          if (i + 1 >= n) throw new SieveSyntaxError("unterminated string", start);
          value += source[i + 1]!;
          if (source[i + 1] === "\n") line++;
          i += 2;
          continue;
        }
        if (c === "\n") line++;
        value += c;
        i++;
      }
      tokens.push({ t: "string", v: value, line: start });
    } else if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+([KMG])?/i.exec(source.slice(i, i + 40))!;
      const digits = m[0].replace(/[KMG]$/i, "");
      const unit = m[1] ? (QUANTIFIERS[m[1].toUpperCase()] ?? 1) : 1;
      tokens.push({ t: "number", v: Number(digits) * unit, line });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 200))!;
      const word = m[0];
      i += word.length;
      if (word.toLowerCase() === "text" && source[i] === ":") {
        // Multi-line string (RFC 5228 2.4.2): "text:", the rest of the line, then lines up to
        // a lone ".", with a leading ".." standing for ".".
        i++;
        const eol = source.indexOf("\n", i);
        if (eol === -1) throw new SieveSyntaxError("unterminated text: string", line);
        const after = source.slice(i, eol).replace(/\r$/, "");
        if (!/^[ \t]*(#.*)?$/.test(after)) throw new SieveSyntaxError("text: must end its line", line);
        const start = line;
        i = eol + 1;
        line++;
        const lines: string[] = [];
        for (;;) {
          if (i >= n) throw new SieveSyntaxError("unterminated text: string", start);
          const end = source.indexOf("\n", i);
          const raw = source.slice(i, end === -1 ? n : end).replace(/\r$/, "");
          i = end === -1 ? n : end + 1;
          line++;
          if (raw === ".") break;
          lines.push(raw.startsWith("..") ? raw.slice(1) : raw);
        }
        tokens.push({ t: "string", v: lines.map((l) => `${l}\n`).join(""), line: start });
      } else {
        tokens.push({ t: "ident", v: word, line });
      }
    } else if (ch === ":") {
      const m = /^:[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 200));
      if (!m) throw new SieveSyntaxError('":" must start a tag', line);
      tokens.push({ t: "tag", v: m[0].slice(1), line });
      i += m[0].length;
    } else if ("[](){},;".includes(ch)) {
      tokens.push({ t: "punct", v: ch, line });
      i++;
    } else {
      throw new SieveSyntaxError(`unexpected character ${JSON.stringify(ch)}`, line);
    }
  }
  return tokens;
}

function countLines(text: string): number {
  let count = 0;
  for (const c of text) if (c === "\n") count++;
  return count;
}

/** Parses a whole script into its top-level commands. */
export function parseSieve(source: string): SieveCommand[] {
  const all = tokenize(source);
  let pos = 0;
  let pendingComments: string[] = [];
  const lastLine = all.length > 0 ? all[all.length - 1]!.line : 1;

  const peek = (): Token | undefined => {
    for (let token = all[pos]; token?.t === "comment"; token = all[pos]) {
      pendingComments.push(token.v);
      pos++;
    }
    return all[pos];
  };
  const next = (): Token => {
    const token = peek();
    if (token === undefined) throw new SieveSyntaxError("unexpected end of script", lastLine);
    pos++;
    return token;
  };
  const isPunct = (token: Token | undefined, v: string): boolean => token?.t === "punct" && token.v === v;
  const expectPunct = (v: string): void => {
    const token = next();
    if (!isPunct(token, v)) throw new SieveSyntaxError(`expected "${v}"`, token.line);
  };

  function stringList(): string[] {
    expectPunct("[");
    const values: string[] = [];
    for (;;) {
      const token = next();
      if (token.t !== "string") throw new SieveSyntaxError("expected a string in the list", token.line);
      values.push(token.v);
      const sep = next();
      if (isPunct(sep, "]")) return values;
      if (!isPunct(sep, ",")) throw new SieveSyntaxError('expected "," or "]"', sep.line);
    }
  }

  function args(): { args: SieveArgument[]; tests: SieveTest[] } {
    const out: SieveArgument[] = [];
    for (;;) {
      const token = peek();
      if (token === undefined) return { args: out, tests: [] };
      if (token.t === "string") {
        pos++;
        out.push({ kind: "string", value: token.v });
      } else if (token.t === "number") {
        pos++;
        out.push({ kind: "number", value: token.v });
      } else if (token.t === "tag") {
        pos++;
        out.push({ kind: "tag", name: token.v.toLowerCase() });
      } else if (isPunct(token, "[")) {
        out.push({ kind: "strings", values: stringList() });
      } else break;
    }
    const token = peek();
    if (isPunct(token, "(")) {
      pos++;
      const tests: SieveTest[] = [test()];
      for (;;) {
        const sep = next();
        if (isPunct(sep, ")")) break;
        if (!isPunct(sep, ",")) throw new SieveSyntaxError('expected "," or ")"', sep.line);
        tests.push(test());
      }
      return { args: out, tests };
    }
    if (token?.t === "ident") return { args: out, tests: [test()] };
    return { args: out, tests: [] };
  }

  function test(): SieveTest {
    const token = next();
    if (token.t !== "ident") throw new SieveSyntaxError("expected a test", token.line);
    const rest = args();
    return { name: token.v.toLowerCase(), args: rest.args, tests: rest.tests };
  }

  function commands(nested: boolean): SieveCommand[] {
    const out: SieveCommand[] = [];
    for (;;) {
      const token = peek();
      if (token === undefined) {
        if (nested) throw new SieveSyntaxError('missing "}"', lastLine);
        return out;
      }
      if (isPunct(token, "}")) {
        if (!nested) throw new SieveSyntaxError('unexpected "}"', token.line);
        pos++;
        pendingComments = [];
        return out;
      }
      if (token.t !== "ident") throw new SieveSyntaxError("expected a command", token.line);
      const comments = pendingComments;
      pendingComments = [];
      pos++;
      const rest = args();
      const end = next();
      let block: SieveCommand[] | null = null;
      if (isPunct(end, "{")) block = commands(true);
      else if (!isPunct(end, ";")) throw new SieveSyntaxError('expected ";" or "{"', end.line);
      out.push({
        name: token.v.toLowerCase(),
        args: rest.args,
        tests: rest.tests,
        block,
        comments,
        line: token.line,
      });
    }
  }

  return commands(false);
}

/** A Sieve quoted string (RFC 5228 2.4.2): only `"` and `\` need a backslash. */
export function quoteSieve(value: string): string {
  return `"${value.replace(/[\\"]/g, "\\$&")}"`;
}

export function quoteSieveList(values: readonly string[]): string {
  return values.length === 1 ? quoteSieve(values[0]!) : `[${values.map(quoteSieve).join(", ")}]`;
}
