// A parser for the Authentication-Results header field (RFC 8601). It follows the grammar
// of §2.2 and accepts what real servers write besides: Microsoft 365 leaves out the
// authserv-id and the space after ";", Yahoo writes "pass(p=NONE)", Fastmail adds
// vendor keys ("x-bits=2048"), Microsoft adds "action=none" and "compauth=pass reason=100",
// OpenDKIM quotes header.b, and many servers end the field with a stray ";".

/** One `ptype.property=value` of a result, e.g. header.d=example.com (ptype and property lower-case). */
export interface AuthProperty {
  ptype: string;
  property: string;
  value: string;
}

/** One `method=result` statement with everything that follows it up to the next ";". */
export interface AuthResult {
  /** Lower-case method name: dkim, spf, dmarc, arc, iprev, auth, compauth, x-… */
  method: string;
  /** The method version after "/", when one is given (rare). */
  methodVersion: string | null;
  /** Lower-case result keyword: pass, fail, softfail, neutral, none, temperror, permerror, policy… */
  result: string;
  /** The reason= value, unquoted. */
  reason: string | null;
  /** Comments in parentheses, without the parentheses ("sender IP is 1.2.3.4", "p=REJECT dis=NONE"). */
  comments: string[];
  properties: AuthProperty[];
  /** key=value pairs that are neither reason nor ptype.property (Microsoft's action=none, Fastmail's x-bits=2048). */
  extensions: Array<{ key: string; value: string }>;
}

export interface AuthResultsHeader {
  /** The lower-case authserv-id (who added the field), or null when the field has none (Microsoft 365 writes none). */
  authservId: string | null;
  version: number | null;
  /** True for the explicit "none" (RFC 8601 §2.2 no-result): the server checked nothing. */
  none: boolean;
  results: AuthResult[];
  /** Parts that could not be read and were skipped, each with what was wrong. */
  problems: string[];
}

type Token =
  | { kind: "word"; text: string }
  | { kind: "quoted"; text: string }
  | { kind: "comment"; text: string }
  | { kind: "semicolon" }
  | { kind: "equals" };

// Characters that end a word: the field's separators, comment and quote openers, white space.
const WORD_END = /[\s;=()"]/;

function tokenize(input: string, problems: string[]): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < input.length) {
    const char = input[pos] ?? "";
    if (/\s/.test(char)) {
      pos++;
    } else if (char === ";") {
      tokens.push({ kind: "semicolon" });
      pos++;
    } else if (char === "=") {
      tokens.push({ kind: "equals" });
      pos++;
    } else if (char === "(") {
      // Comments nest (RFC 5322 §3.2.2) and may hold quoted pairs.
      let depth = 0;
      let text = "";
      for (; pos < input.length; pos++) {
        const c = input[pos] ?? "";
        if (c === "\\" && pos + 1 < input.length) {
          text += input[++pos] ?? "";
          continue;
        }
        if (c === "(") {
          if (depth > 0) text += c;
          depth++;
        } else if (c === ")") {
          depth--;
          if (depth === 0) {
            pos++;
            break;
          }
          text += c;
        } else {
          text += c;
        }
      }
      if (depth > 0) problems.push("a comment is not closed");
      tokens.push({ kind: "comment", text: text.replace(/\s+/g, " ").trim() });
    } else if (char === ")") {
      problems.push("a ')' without '('");
      pos++;
    } else if (char === '"') {
      let text = "";
      let closed = false;
      for (pos++; pos < input.length; pos++) {
        const c = input[pos] ?? "";
        if (c === "\\" && pos + 1 < input.length) {
          text += input[++pos] ?? "";
        } else if (c === '"') {
          closed = true;
          pos++;
          break;
        } else {
          text += c;
        }
      }
      if (!closed) problems.push("a quoted string is not closed");
      tokens.push({ kind: "quoted", text });
    } else {
      let end = pos;
      while (end < input.length && !WORD_END.test(input[end] ?? "")) end++;
      tokens.push({ kind: "word", text: input.slice(pos, end) });
      pos = end;
    }
  }
  return tokens;
}

/** Split the token list at the top-level semicolons. */
function segments(tokens: Token[]): Token[][] {
  const out: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === "semicolon") out.push([]);
    else out[out.length - 1]?.push(token);
  }
  return out;
}

function isMethodStart(segment: Token[]): boolean {
  const words = segment.filter((token) => token.kind !== "comment");
  return words[0]?.kind === "word" && words[1]?.kind === "equals";
}

function valueText(token: Token | undefined): string | null {
  if (token?.kind === "word" || token?.kind === "quoted") return token.text;
  return null;
}

function parseResinfo(segment: Token[], problems: string[]): AuthResult | null {
  const comments: string[] = [];
  const rest: Token[] = [];
  for (const token of segment) {
    if (token.kind === "comment") comments.push(token.text);
    else rest.push(token);
  }
  const methodToken = rest[0];
  const result = valueText(rest[2]);
  if (methodToken?.kind !== "word" || rest[1]?.kind !== "equals" || result === null) {
    problems.push(`not a method=result statement: "${describe(segment)}"`);
    return null;
  }
  const [method = "", methodVersion] = methodToken.text.toLowerCase().split("/", 2);
  const parsed: AuthResult = {
    method: method.trim(),
    methodVersion: methodVersion?.trim() || null,
    result: result.toLowerCase(),
    reason: null,
    comments,
    properties: [],
    extensions: [],
  };
  for (let i = 3; i < rest.length;) {
    const key = rest[i];
    if (key?.kind !== "word") {
      problems.push(`${parsed.method}: unexpected "${describe([key ?? { kind: "semicolon" }])}"`);
      i++;
      continue;
    }
    if (rest[i + 1]?.kind !== "equals") {
      // A bare word after the result: some servers write "dkim=pass 2048-bit"; keep it as a comment.
      comments.push(key.text);
      i++;
      continue;
    }
    const value = valueText(rest[i + 2]) ?? "";
    i += rest[i + 2]?.kind === "word" || rest[i + 2]?.kind === "quoted" ? 3 : 2;
    const name = key.text.toLowerCase();
    const dot = name.indexOf(".");
    if (name === "reason") parsed.reason = value;
    else if (dot > 0 && dot < name.length - 1) {
      parsed.properties.push({ ptype: name.slice(0, dot), property: name.slice(dot + 1), value });
    } else parsed.extensions.push({ key: name, value });
  }
  return parsed;
}

function describe(tokens: Token[]): string {
  return tokens
    .map((token) => {
      switch (token.kind) {
        case "word":
          return token.text;
        case "quoted":
          return `"${token.text}"`;
        case "comment":
          return `(${token.text})`;
        case "semicolon":
          return ";";
        case "equals":
          return "=";
      }
    })
    .join(" ")
    .slice(0, 120);
}

/**
 * Parse the value of one Authentication-Results field (after "Authentication-Results:",
 * unfolded or not). Never throws: what cannot be read is skipped and named in `problems`.
 */
export function parseAuthenticationResults(value: string): AuthResultsHeader {
  const problems: string[] = [];
  const parts = segments(tokenize(value, problems));
  const header: AuthResultsHeader = { authservId: null, version: null, none: false, results: [], problems };
  const first = parts[0] ?? [];
  let resinfos = parts.slice(1);
  if (isMethodStart(first)) {
    // No authserv-id: the field starts with a result (Microsoft 365).
    resinfos = parts;
  } else {
    const words = first.filter((token) => token.kind !== "comment");
    const id = valueText(words[0]);
    if (id === null || id === "") problems.push("the authserv-id is missing");
    else header.authservId = id.toLowerCase();
    const version = valueText(words[1]);
    if (version !== null && /^\d+$/.test(version)) header.version = Number(version);
    else if (words.length > 1)
      problems.push(`unexpected text after the authserv-id: "${describe(words.slice(1))}"`);
  }
  for (const segment of resinfos) {
    if (segment.length === 0) continue;
    const words = segment.filter((token) => token.kind !== "comment");
    if (words.length === 1 && valueText(words[0])?.toLowerCase() === "none") {
      header.none = true;
      continue;
    }
    const result = parseResinfo(segment, problems);
    if (result) header.results.push(result);
  }
  return header;
}

/** The value of `ptype.property` in a result (first occurrence), or null. */
export function propertyOf(result: AuthResult, ptype: string, property: string): string | null {
  return (
    result.properties.find((entry) => entry.ptype === ptype && entry.property === property)?.value ?? null
  );
}
