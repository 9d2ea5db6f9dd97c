/** The height of a row of the virtualized lists (messages, conversations, search results). */
export const ROW_HEIGHT = 64;
