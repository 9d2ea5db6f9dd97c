/** The largest message Import messages takes (an .eml, or one of an mbox's): each is held whole
 * in the page while it is stored; an mbox itself is read a piece at a time, whatever its size. */
export const MAX_IMPORTED_MESSAGE_BYTES = 256 * 1024 * 1024;

/** The most bytes of imported messages stored or asked about at once (besides a count): large
 * messages go a few at a time. */
export const IMPORT_GROUP_BYTES = 32 * 1024 * 1024;
