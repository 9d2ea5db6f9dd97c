/** Where the header keeps a place for the mailbox's search box: the header belongs to the app
 * shell, the search to the mailbox that is open (IMAP or POP3). Its own file, so the shell does
 * not load the search code before sign-in. */
export const SEARCH_SLOT_ID = "mail-search-slot";
