import { z } from "zod";

/**
 * Who really sent a message, as the reading view receives it: the verdict of the user's own
 * mail server (its Authentication-Results, RFC 8601) or of Pismo's own DKIM check. The shape
 * of trust/sender-verdict.ts's SenderVerdict.
 */
export const senderVerdictSchema = z.object({
  status: z.enum(["verified", "not-verified", "failed"]),
  domain: z.string().max(255).exactOptional(),
  method: z.enum(["server", "pismo"]),
  failed: z.array(z.enum(["dmarc", "dkim", "spf"])).exactOptional(),
  authservId: z.string().max(255).exactOptional(),
  viaList: z.boolean().exactOptional(),
});

/** What the list headers say (RFC 2919 List-Id, RFC 2369 List-Post): a list's Reply-To is ordinary. */
export const listInfoSchema = z.object({
  id: z.string().nullable(),
  postAddress: z.string().nullable(),
});

/**
 * The sender checks of an opened message. `verdict` is the server's, or null when it wrote
 * none; `selfCheck` says Pismo can check the signature itself (a DKIM-Signature is there and
 * the message is small enough): the view asks for that after it has shown the message.
 */
export const senderTrustSchema = z.object({
  verdict: senderVerdictSchema.nullable(),
  selfCheck: z.boolean(),
  list: listInfoSchema.nullable(),
  /** The message has a Reply-To field (IMAP's ENVELOPE fills reply-to from From when it has none). */
  hasReplyTo: z.boolean(),
});
export type SenderTrust = z.infer<typeof senderTrustSchema>;
