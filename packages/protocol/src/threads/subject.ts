/**
 * The base subject of RFC 5256 section 2.1, the subject that threading and SORT SUBJECT compare:
 * without reply and forward prefixes, mailing-list tags, "(fwd)" trailers and the "[fwd: ...]"
 * wrapper. RFC 5256 knows only the English "Re:", "Fw:" and "Fwd:"; mail clients translate
 * the prefix, so the prefixes that localised clients (Outlook, Thunderbird, Gmail, Apple Mail)
 * actually write are recognised too. A reply from Outlook in Serbian ("Odg:") must land in the
 * same conversation as one from Thunderbird in English ("Re:").
 */

/**
 * Reply and forward prefixes, lower case. Each is matched as a whole word at the start of the
 * subject, followed by an optional counter and a colon, so "Re" inside "Regarding:" or "Review:"
 * is not a prefix.
 */
const prefixWords = [
  // RFC 5256 and English clients
  "re",
  "fw",
  "fwd",
  // Serbian, Croatian, Bosnian, Montenegrin, Slovenian (Latin and Cyrillic)
  "odg",
  "odgovor",
  "prosl",
  "prosleđeno",
  "proslijeđeno",
  "posl",
  "одг",
  "одговор",
  "просл",
  "прослеђено",
  "прослијеђено",
  // Russian, Ukrainian, Bulgarian
  "отв",
  "ответ",
  "пересл",
  "відп",
  "отг",
  // German
  "aw",
  "wg",
  // Dutch
  "antw",
  "doorst",
  // Swedish, Norwegian, Danish, Finnish
  "sv",
  "svar",
  "vs",
  "vl",
  // Spanish, Portuguese
  "rv",
  "res",
  "enc",
  // French
  "tr",
  "réf",
  // Polish, Czech, Slovak
  "odp",
  "pd",
  "př",
  // Hungarian
  "vá",
  "tov",
  // Turkish: "İ" has no case-insensitive match for "i" in JavaScript, so both spellings
  "ynt",
  "ilt",
  "i̇lt",
  "İlt",
  // Greek
  "απ",
  "σχετ",
  "πρθ",
  // Chinese (simplified and traditional), Japanese, Korean
  "回复",
  "回覆",
  "答复",
  "答覆",
  "转发",
  "轉發",
  "转寄",
  "轉寄",
  "返信",
  "転送",
  "회신",
  "답장",
  "전달",
] as const;

/**
 * One-letter prefixes (Italian "R:" for risposta, "I:" for inoltrato) are ordinary letters too,
 * so they count only when a space follows the colon: "I: Sastanak" but not "I:O" or "R:2".
 */
const shortPrefixWords = ["r", "i"] as const;

const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");

/** A mailing-list tag or other bracketed blob, e.g. "[pismo-dev]" (RFC 5256 subj-blob). */
const blob = String.raw`\[[^\[\]]*\]`;
/** "Re[2]:", "Re^2:", "Re(2):", and RFC 5256's "Re [blob]:". */
const counter = String.raw`(?:${blob}|\^\d+|\(\d+\))`;
/** ASCII or full-width colon (Chinese and Japanese clients write "回复："). */
const colon = "[:\uFF1A]";

/**
 * RFC 5256 subj-leader at a position: blobs, then a prefix with its counter and colon.
 * Sticky, so stripping a long run of prefixes costs time linear in the subject's length.
 */
const leaderPattern = new RegExp(
  String.raw`(?:${blob}\s*)*` +
    "(?:" +
    String.raw`(?:${prefixWords.map(escape).join("|")})\.?\s*${counter}?\s*${colon}\s*` +
    "|" +
    String.raw`(?:${shortPrefixWords.join("|")})${colon}\s+` +
    ")",
  "iuy",
);
const blobPattern = new RegExp(String.raw`${blob}\s*`, "uy");

export interface SubjectInfo {
  /** The base subject, case kept, whitespace collapsed: what a conversation row shows. */
  readonly base: string;
  /** The base subject folded for comparison (Unicode NFC, lower case). */
  readonly key: string;
  /**
   * RFC 5256: the subject had a reply or forward prefix, a "(fwd)" trailer or the
   * "[fwd: ...]" wrapper. JWZ groups a thread with another one by subject only then.
   */
  readonly isReplyOrForward: boolean;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/u.test(c);

/** Parses a decoded subject (RFC 2047 words already decoded, as the envelope gives it). */
export function parseSubject(subject: string): SubjectInfo {
  // RFC 5256 step 1: whitespace runs (folding, tabs, no-break spaces) become one space.
  const s = subject.normalize("NFC").replace(/\s+/gu, " ");
  let start = 0;
  let end = s.length;
  let isReplyOrForward = false;
  const trimStart = (): void => {
    while (start < end && isSpace(s[start])) start++;
  };
  const trimEnd = (): void => {
    while (end > start && isSpace(s[end - 1])) end--;
  };
  trimStart();
  trimEnd();

  for (;;) {
    const before = [start, end];
    // Step 2: "(fwd)" trailers, repeatedly.
    while (end - start >= 5 && s.slice(end - 5, end).toLowerCase() === "(fwd)") {
      end -= 5;
      isReplyOrForward = true;
      trimEnd();
    }
    // Step 3: leaders ("Re:", "[list] Odg:"), repeatedly; a lone leading blob goes only when
    // something is left after it, so a subject that is only "[tag]" keeps it.
    for (;;) {
      leaderPattern.lastIndex = start;
      const leader = leaderPattern.exec(s);
      // The match may run on over the spaces before a stripped trailer, never further.
      if (leader && (leaderPattern.lastIndex <= end || s.slice(end, leaderPattern.lastIndex).trim() === "")) {
        start = Math.min(leaderPattern.lastIndex, end);
        isReplyOrForward = true;
        continue;
      }
      blobPattern.lastIndex = start;
      const tag = blobPattern.exec(s);
      if (tag && blobPattern.lastIndex < end) {
        start = blobPattern.lastIndex;
        continue;
      }
      break;
    }
    // Step 5: the "[fwd: subject]" wrapper some clients put around a forwarded subject.
    if (end - start >= 6 && s.slice(start, start + 5).toLowerCase() === "[fwd:" && s[end - 1] === "]") {
      start += 5;
      end -= 1;
      isReplyOrForward = true;
      trimStart();
      trimEnd();
    }
    if (before[0] === start && before[1] === end) break;
  }

  const base = s.slice(start, end);
  return { base, key: base.toLowerCase(), isReplyOrForward };
}

/** RFC 5256 base subject, case kept (for display). */
export function baseSubject(subject: string): string {
  return parseSubject(subject).base;
}

/** The base subject as threading compares it: two subjects match when their keys are equal. */
export function subjectKey(subject: string): string {
  return parseSubject(subject).key;
}

/** Whether the subject marks a reply or a forward ("Re:", "AW:", "Odg:", "(fwd)", ...). */
export function isReplyOrForward(subject: string): boolean {
  return parseSubject(subject).isReplyOrForward;
}
