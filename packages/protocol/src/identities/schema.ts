import { z } from "zod";
import { emailAddressPattern } from "../schemas/compose";

/**
 * The addresses a user sends as, each with its display name, Reply-To and signature. The
 * settings travel as one JSON document: for IMAP in a server annotation (METADATA, RFC 5464)
 * or a settings message, for POP3 in the browser and the settings export. Whatever is read
 * back (another device, another version of Pismo, a hand-edited file) is validated here.
 */

const noLineBreaks = (s: string) => !/[\r\n]/.test(s);
const address = z.string().trim().max(320).regex(emailAddressPattern, "not an email address");

export const signatureSchema = z.object({
  /** The plain-text signature, without the "-- " separator (it is added when inserted). */
  text: z.string().max(10_000),
  /** The rich signature (sanitized like other HTML the user writes); null: made from `text`. */
  html: z.string().max(100_000).nullable(),
});
export type Signature = z.infer<typeof signatureSchema>;

export const identitySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "not an identity id"),
  /** The display name in From; "" sends the bare address. */
  name: z.string().max(200).refine(noLineBreaks, "no line breaks"),
  address,
  /** Where replies should go; "" for none (replies go to `address`). */
  replyTo: z.union([address, z.literal("")]),
  signature: signatureSchema,
});
export type Identity = z.infer<typeof identitySchema>;

export const signaturePlacementSchema = z.enum(["above", "below"]);
export type SignaturePlacement = z.infer<typeof signaturePlacementSchema>;

export const identitySettingsSchema = z
  .object({
    version: z.literal(1),
    /** The first one is the default for new mail. */
    identities: z.array(identitySchema).min(1).max(50),
    /** In replies and forwards: the signature above the quoted message, or below it. */
    signaturePlacement: signaturePlacementSchema,
  })
  .superRefine((s, ctx) => {
    const ids = new Set<string>();
    s.identities.forEach((identity, i) => {
      if (ids.has(identity.id))
        ctx.addIssue({ code: "custom", path: ["identities", i, "id"], message: "duplicate identity id" });
      ids.add(identity.id);
    });
  });
export type IdentitySettings = z.infer<typeof identitySettingsSchema>;

export type ParsedIdentitySettings = { ok: true; settings: IdentitySettings } | { ok: false; error: string };

/** Reads stored settings (JSON text or an already parsed value); a bad one says what is wrong. */
export function parseIdentitySettings(input: unknown): ParsedIdentitySettings {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch {
      return { ok: false, error: "The identities are not valid JSON." };
    }
  }
  const parsed = identitySettingsSchema.safeParse(value);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return { ok: false, error: `The identities are not valid (${where}${issue?.message ?? "unknown"}).` };
}
