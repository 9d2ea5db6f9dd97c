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

const cyrillic: Readonly<Record<string, string>> = {
  а: "a",
  б: "b",
  в: "v",
  г: "g",
  д: "d",
  ђ: "dj",
  е: "e",
  ж: "z",
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
  ћ: "c",
  у: "u",
  ф: "f",
  х: "h",
  ц: "c",
  ч: "c",
  џ: "dz",
  ш: "s",
};

export function foldForMatch(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u0400-\u04ff]/g, (ch) => cyrillic[ch] ?? ch)
    .replace(/đ/g, "dj")
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/\s+/g, " ");
}
