/**
 * Text folding for filter matching, so that what a Serbian user types matches what senders
 * write: case-insensitive, diacritics-insensitive, and script-insensitive.
 *
 * - Case and diacritics: NFD, drop combining marks, lower-case. "Saša" -> "sasa",
 *   "Čačak" -> "cacak", "ŽELJKO" -> "zeljko".
 * - Đ/đ has no decomposition in Unicode; the Serbian ASCII convention writes it "dj"
 *   ("Đorđe" -> "djordje"), so it folds to "dj". Typing "djordje" or "Đorđe" matches; typing
 *   "dorde" does not.
 * - Serbian Cyrillic folds to Latin by the standard transliteration, then as above:
 *   "Саша" -> "sasa", "Ђорђе" -> "djordje", "Љубица" -> "ljubica".
 */

/** One folding for the whole app: search (search/translit.ts) and local filters match alike. */
export { foldSpacing as foldForMatch } from "../search/translit";
