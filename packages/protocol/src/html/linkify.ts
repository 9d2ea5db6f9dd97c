// Clickable links in plain-text mail, as data rather than HTML: the UI renders each
// segment as a text node or an <a>, so plain text is never interpreted as markup
// (Roundcube's "link references in plain text" advisories).

export type TextSegment = { kind: "text"; text: string } | { kind: "link"; href: string; text: string };

// http(s) URLs, www. hosts, and mailto: or bare e-mail addresses.
const CANDIDATE =
  /\b(?:https?:\/\/[^\s<>"'`]+|www\.[^\s<>"'`]+|mailto:[^\s<>"'`]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/gi;

const PAIRS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

/** Trailing punctuation belongs to the sentence, unless it closes a bracket the URL opened. */
function trimTrailing(candidate: string): string {
  let end = candidate.length;
  for (;;) {
    const last = candidate[end - 1];
    if (last === undefined) break;
    if (".,;:!?'\"*".includes(last)) {
      end--;
      continue;
    }
    const open = PAIRS[last];
    if (open !== undefined) {
      const body = candidate.slice(0, end);
      const opens = body.split(open).length - 1;
      const closes = body.split(last).length - 1;
      if (closes > opens) {
        end--;
        continue;
      }
    }
    break;
  }
  return candidate.slice(0, end);
}

function toHref(text: string): string | null {
  if (/^https?:\/\//i.test(text)) return text;
  if (/^www\./i.test(text)) return `https://${text}`;
  if (/^mailto:/i.test(text)) return text.length > 7 ? text : null;
  if (text.includes("@")) return `mailto:${text}`;
  return null;
}

/** Splits plain text into text and link segments; only http, https and mailto links. */
export function linkifyPlainText(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let last = 0;
  const pushText = (value: string): void => {
    if (value === "") return;
    const previous = out[out.length - 1];
    if (previous?.kind === "text") previous.text += value;
    else out.push({ kind: "text", text: value });
  };
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    const candidate = trimTrailing(match[0]);
    const href = candidate.length > 0 ? toHref(candidate) : null;
    if (href === null || /^https?:\/\/$/i.test(candidate)) continue;
    pushText(text.slice(last, start));
    out.push({ kind: "link", href, text: candidate });
    last = start + candidate.length;
  }
  pushText(text.slice(last));
  return out;
}
