/**
 * Serbian is written in two scripts with a one-to-one alphabet (Vuk's Cyrillic and Gaj's
 * Latin), and users switch between them freely: a message written "Писмо" must be found by
 * "pismo" and the other way round. These are the standard transliteration tables; the Latin
 * digraphs lj, nj and dž are single letters (љ, њ, џ).
 */

const cyrillicToLatinLower: Readonly<Record<string, string>> = {
  а: "a",
  б: "b",
  в: "v",
  г: "g",
  д: "d",
  ђ: "đ",
  е: "e",
  ж: "ž",
  з: "z",
  и: "i",
  ј: "j",
  к: "k",
  л: "l",
  љ: "lj",
  м: "m",
  н: "n",
  њ: "nj",
  о: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  ћ: "ć",
  у: "u",
  ф: "f",
  х: "h",
  ц: "c",
  ч: "č",
  џ: "dž",
  ш: "š",
};

const latinToCyrillicLower: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(cyrillicToLatinLower).map(([cyr, lat]) => [lat, cyr]),
);

/**
 * Latin words where a digraph is two letters, not one: "nadživeti" is надживети, not
 * наџивети. The list is the usual short one (prefixes nad-/pod- before ž, and the loanwords
 * with n+j); transliteration of a rare word outside it can still be off by one letter.
 */
const digraphExceptions: readonly (readonly [string, string])[] = [
  ["nadž", "надж"],
  ["podž", "подж"],
  ["injek", "инјек"],
  ["konjunk", "конјунк"],
  ["konjug", "конјуг"],
];

const isUpper = (ch: string | undefined): boolean =>
  ch !== undefined && ch !== ch.toLowerCase() && ch === ch.toUpperCase();
const isLetter = (ch: string | undefined): boolean => ch !== undefined && /\p{L}/u.test(ch);

/** True when the text has at least one Cyrillic letter. */
export function hasCyrillic(text: string): boolean {
  return /[\u0400-\u04ff]/.test(text);
}

/** True when the text has at least one Latin letter (ASCII or with diacritics). */
export function hasLatin(text: string): boolean {
  return /\p{Script=Latin}/u.test(text);
}

/**
 * Serbian Cyrillic to Latin, case-preserving: "Љубица" -> "Ljubica", "ЉУБА" -> "LJUBA",
 * "Ђорђе" -> "Đorđe". Characters outside the Serbian alphabet pass through unchanged.
 */
export function toLatin(text: string): string {
  const chars = Array.from(text);
  let out = "";
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? "";
    const lower = ch.toLowerCase();
    const latin = cyrillicToLatinLower[lower];
    if (latin === undefined) {
      out += ch;
      continue;
    }
    if (!isUpper(ch)) {
      out += latin;
      continue;
    }
    // A capital digraph letter is "LJ" inside an all-caps word and "Lj" otherwise.
    const next = chars[i + 1];
    const prev = chars[i - 1];
    const allCaps = isLetter(next) ? isUpper(next) : isUpper(prev);
    out += allCaps ? latin.toUpperCase() : latin.charAt(0).toUpperCase() + latin.slice(1);
  }
  return out;
}

/**
 * Serbian Latin to Cyrillic, case-preserving: "Ljubica" -> "Љубица", "NJEGOŠ" -> "ЊЕГОШ",
 * "pismo" -> "писмо". Letters outside the Serbian alphabet (q, w, x, y) pass through.
 * "dj" is two letters here (дј), as the standard says; `searchVariants` adds the đ reading.
 */
export function toCyrillic(text: string): string {
  const chars = Array.from(text.normalize("NFC"));
  let out = "";
  let i = 0;
  outer: while (i < chars.length) {
    const ch = chars[i] ?? "";
    // Exceptions apply at the start of a word.
    if (!isLetter(chars[i - 1])) {
      for (const [lat, cyr] of digraphExceptions) {
        const slice = chars.slice(i, i + Array.from(lat).length).join("");
        if (slice.toLowerCase() === lat) {
          out += matchCase(cyr, slice);
          i += Array.from(lat).length;
          continue outer;
        }
      }
    }
    const pair = ch + (chars[i + 1] ?? "");
    const pairCyr = latinToCyrillicLower[pair.toLowerCase()];
    if (chars[i + 1] !== undefined && pairCyr !== undefined) {
      out += isUpper(ch) ? pairCyr.toUpperCase() : pairCyr;
      i += 2;
      continue;
    }
    const cyr = latinToCyrillicLower[ch.toLowerCase()];
    out += cyr === undefined ? ch : isUpper(ch) ? cyr.toUpperCase() : cyr;
    i += 1;
  }
  return out;
}

function matchCase(target: string, model: string): string {
  const t = Array.from(target);
  const m = Array.from(model);
  return t.map((ch, k) => (isUpper(m[Math.min(k, m.length - 1)]) ? ch.toUpperCase() : ch)).join("");
}

/**
 * The form local search compares: lower case, Serbian Cyrillic read as Latin, đ as "dj" (the
 * way Serbian is written without diacritics; Unicode gives đ no decomposition), other
 * diacritics removed, white space collapsed. So "Saša" -> "sasa", "Đorđe" -> "djordje",
 * "ПИСМО" -> "pismo", "Љубица" -> "ljubica".
 */
export function fold(text: string): string {
  return foldSpacing(text).trim();
}

/**
 * `fold` without trimming the ends: the local filter rules match with it, where a field's
 * leading or trailing space is part of what "contains" looks at.
 */
export function foldSpacing(text: string): string {
  return toLatin(text.toLowerCase())
    .replace(/đ/g, "dj")
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/\s+/g, " ");
}

/**
 * The spellings a server-side search should try for one word the user typed: the word, its
 * Serbian transliteration into the other script, and đ both ways: ASCII Serbian writes it "dj"
 * ("djordje" means Đorđe and Ђорђе), and servers fold š and č to s and c but not đ to dj, so
 * "Đorđe" typed also looks for "Djordje". Addresses and words without letters are searched as
 * typed. Deduplicated, the typed form first.
 */
export function searchVariants(word: string): readonly string[] {
  const variants = [word];
  if (word.includes("@") || word.includes("://") || !/\p{L}/u.test(word)) return variants;
  if (hasCyrillic(word)) variants.push(toLatin(word));
  if (hasLatin(word)) {
    variants.push(toCyrillic(word));
    if (/dj/i.test(word)) {
      const withD = word.replace(/dj/g, "đ").replace(/D[jJ]/g, "Đ");
      variants.push(toCyrillic(withD), withD);
    }
  }
  for (const form of [...variants])
    if (/[đĐ]/.test(form)) variants.push(form.replace(/đ/g, "dj").replace(/Đ/g, "Dj"));
  return [...new Set(variants)];
}
