// Apart from search.ts (zod): the search list's first window is sized by it on the mail
// view's first load, which carries no zod.

/** How many rows a search streams with a large folder's first matches: the page's first
 * window of results, so it paints without asking for them. */
export const SEARCH_FIRST_ROWS = 50;
