import { z } from "zod";
import { mailErrorCodes } from "../errors";
import { senderVerdictSchema } from "./trust";

/**
 * An account's POP3 policy: Thunderbird's set of options. The defaults move mail into this
 * browser and remove it from the server.
 */
export const pop3PolicySchema = z.object({
  /**
   * Leave a copy on the server. Other devices will then show these messages as
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
   * rest stays on the server and comes on request. null = always fetch whole.
   * @default null
   */
  headersOnlyAboveBytes: z.number().int().min(1).nullable().default(null),
});

export type Pop3Policy = z.output<typeof pop3PolicySchema>;
export type Pop3PolicyInput = z.input<typeof pop3PolicySchema>;

/**
 * What crosses the WebSocket for a POP3 pull. The browser owns the mail, so
 * it tells the gateway what it already holds; the gateway streams each message and waits
 * for the browser to say it is stored before anything may be deleted on the server.
 */

const uidSchema = z.string().min(1).max(70); // RFC 1939 section 7: unique-id is 1 to 70 characters.

export const pop3KnownEntrySchema = z.object({
  uid: uidSchema,
  storedAt: z.number().int().nonnegative(),
  deletedLocally: z.boolean().default(false),
  headersOnly: z.boolean().optional(),
  /** Its LIST size when stored: another size under the same unique-id is another message. */
  size: z.number().int().nonnegative().optional(),
});
export type Pop3KnownEntry = z.input<typeof pop3KnownEntrySchema>;

export const pop3PullInputSchema = z.object({
  // UIDs this browser holds; with leave-a-copy that is the whole maildrop. A long list does
  // not fit one WebSocket message: it goes first in pieces (pop3.addKnown) and `knownId`
  // names it; `known` then carries nothing or a short rest.
  known: z.array(pop3KnownEntrySchema).max(200_000),
  knownId: z.string().min(1).max(100).optional(),
  policy: pop3PolicySchema,
  // The body channel this browser opened for the pull (a binary WebSocket, body-frame.ts):
  // messages then travel there as bytes, and this subscription carries only small events.
  bodies: z.string().min(1).max(100).optional(),
});

/** One piece of a long known list, uploaded before the pull that names `knownId`. */
export const pop3AddKnownInputSchema = z.object({
  knownId: z.string().min(1).max(100),
  entries: z.array(pop3KnownEntrySchema).min(1).max(5_000),
});
export type Pop3PullInput = z.input<typeof pop3PullInputSchema>;

/**
 * Besides the mail errors: BUSY, another pull of the same session is running; GATEWAY_BUSY, the
 * gateway ran as many pulls as it may for the whole wait (nothing downloaded or removed).
 */
export const pop3PullErrorCodeSchema = z.enum([...mailErrorCodes, "BUSY", "GATEWAY_BUSY"]);
export type Pop3PullErrorCode = z.infer<typeof pop3PullErrorCodeSchema>;

/** UIDs per `gone` event: about 0.4 MB of JSON, well within one WebSocket message. */
export const pop3GonePiece = 5_000;

export const pop3PullEventSchema = z.discriminatedUnion("type", [
  /** First event: the id that acknowledgements name. */
  /**
   * `now`: the gateway's clock (epoch ms), which plans "delete after N days": the browser dates
   * what it stores by it, so a browser clock that is off neither keeps mail on the server for
   * ever nor removes it early.
   */
  z.object({
    type: z.literal("started"),
    pullId: z.string(),
    now: z.number().int().nonnegative().optional(),
  }),
  /** Before any download: what is waiting, and how much is left on the server for later. */
  z.object({
    type: z.literal("plan"),
    count: z.number().int(),
    totalBytes: z.number().int(),
    deferredBytes: z.number().int(),
  }),
  /**
   * One message. `raw` is base64 because JSON cannot carry bytes; `mode` "headers" means only
   * the header block came (TOP), the body stays on the server.
   */
  z.object({
    type: z.literal("message"),
    uid: uidSchema,
    raw: z.string(),
    size: z.number().int(),
    mode: z.enum(["full", "headers"]),
    /** Who really sent it (the server's Authentication-Results, else Pismo's DKIM check); absent when unknown. */
    verdict: senderVerdictSchema.nullable().optional(),
  }),
  /**
   * Known UIDs the server's listing does not show (after `started`, before `plan`, in pieces):
   * no longer on the server, so the browser stops counting them as there.
   */
  z.object({ type: z.literal("gone"), uids: z.array(uidSchema).max(pop3GonePiece) }),
  z.object({
    type: z.literal("progress"),
    messagesDone: z.number().int(),
    count: z.number().int(),
    bytesDone: z.number().int(),
    totalBytes: z.number().int(),
  }),
  /** `deleted`: UIDs removed from the server (the browser can forget their tombstones). */
  z.object({
    type: z.literal("done"),
    stored: z.number().int(),
    deleted: z.array(uidSchema),
    deletionsCommitted: z.boolean(),
    cancelled: z.boolean(),
    /**
     * Messages left on the server because they could not be brought (the server could not read
     * one, it did not answer in time, a listing line was malformed); the next pull tries again.
     */
    skipped: z.number().int().nonnegative().optional(),
  }),
  z.object({ type: z.literal("error"), code: pop3PullErrorCodeSchema }),
]);
export type Pop3PullEvent = z.infer<typeof pop3PullEventSchema>;

export const pop3AckInputSchema = z.object({ pullId: z.string().min(1).max(100), uid: uidSchema });
/**
 * Every message of one committed IndexedDB transaction at once: one round trip per batch
 * (a few MB), not one per message.
 */
export const pop3AckManyInputSchema = z.object({
  pullId: z.string().min(1).max(100),
  uids: z.array(uidSchema).min(1).max(10_000),
});

export const pop3FetchFullInputSchema = z.object({ uid: uidSchema });
export const pop3FetchFullOutputSchema = z.object({
  raw: z.string(),
  size: z.number().int(),
  verdict: senderVerdictSchema.nullable().optional(),
});
export type Pop3FetchFullOutput = z.infer<typeof pop3FetchFullOutputSchema>;
