/**
 * The most messages one action takes: a whole folder selected ("Select all N in …") up to this
 * size, the newest when the folder is larger. The gateway sends them to the server as ranges
 * (3:900), so the IMAP command stays short. Its own module, without zod, so that the list's
 * code can read it without the schemas.
 */
export const MAX_SELECTION = 100_000;
