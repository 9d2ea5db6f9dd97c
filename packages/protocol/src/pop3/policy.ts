import { z } from "zod";

/**
 * An account's POP3 policy: Thunderbird's set of options (see issue 4). The defaults follow
 * the seed (point 1): mail is moved into this browser and removed from the server.
 */
export const pop3PolicySchema = z.object({
  /**
   * Leave a copy on the server (seed point 3). Other devices will then show these messages as
   * new, because POP3 keeps no read state on the server.
   * @default false
   */
  leaveOnServer: z.boolean().default(false),
  /**
   * With leaveOnServer: remove a message from the server once this device has had it for this
   * many days. null = never. Thunderbird proposes 7 when the option is turned on.
   * @default null
   */
  deleteAfterDays: z.number().int().min(1).max(36_500).nullable().default(null),
  /**
   * With leaveOnServer: remove a message from the server when it is deleted here.
   * @default false
   */
  deleteWhenDeletedLocally: z.boolean().default(false),
  /**
   * Messages larger than this (LIST size, in octets) are fetched with TOP (headers only); the
   * rest stays on the server and comes on request (seed point 5). null = always fetch whole.
   * @default null
   */
  headersOnlyAboveBytes: z.number().int().min(1).nullable().default(null),
});

export type Pop3Policy = z.output<typeof pop3PolicySchema>;
export type Pop3PolicyInput = z.input<typeof pop3PolicySchema>;

export const defaultPop3Policy: Pop3Policy = pop3PolicySchema.parse({});

/** Thunderbird's value for "delete after N days" when the box is ticked. */
export const suggestedDeleteAfterDays = 7;
