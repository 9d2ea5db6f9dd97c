import { z } from "zod";
import { ruleSchema, ruleSetSchema } from "./schema";

/**
 * What the server holds for an IMAP account's filters, as the rules router returns it.
 * - "pismo": the active script is Pismo's (or there is none): its rules and out-of-office.
 * - "foreign": another client's (or a hand-edited) script is active: shown and edited as text.
 * - "unavailable": the server has no ManageSieve (or it cannot be reached): no Filters here.
 */
export const serverRulesSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("pismo"),
    set: ruleSetSchema,
    /** Sieve extensions the server supports (RFC 5804 SIEVE capability). */
    extensions: z.array(z.string()),
  }),
  z.object({
    kind: z.literal("foreign"),
    scriptName: z.string(),
    script: z.string(),
    /** Why it is not Pismo's ("not written by Pismo", "changed by hand", a syntax error). */
    reason: z.string(),
    extensions: z.array(z.string()),
  }),
  z.object({ kind: z.literal("unavailable"), reason: z.string() }),
]);
export type ServerRules = z.infer<typeof serverRulesSchema>;

export const saveRulesInputSchema = z.object({
  set: ruleSetSchema,
  /**
   * True only after the user chose to replace a script Pismo did not write; that script stays
   * on the server, inactive. Without it, saving over such a script is refused.
   */
  replaceForeign: z.boolean().default(false),
});

const scriptNameSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !/[\p{Cc}]/u.test(s), "must not contain control characters");

export const scriptTextInputSchema = z.object({ script: z.string().max(1024 * 1024) });
export const saveScriptInputSchema = scriptTextInputSchema.extend({ name: scriptNameSchema });

/** The server's check of a script (RFC 5804 CHECKSCRIPT / PUTSCRIPT): its own words. */
export const scriptCheckSchema = z.object({
  ok: z.boolean(),
  /** The error (with its line) or the warnings; empty when there is nothing to say. */
  message: z.string(),
});
export type ScriptCheck = z.infer<typeof scriptCheckSchema>;

export const applyRuleInputSchema = z.object({ folder: z.string().min(1).max(1000), rule: ruleSchema });

export const applyProgressSchema = z.object({
  /** Messages looked at so far, of `total` found by the server's SEARCH. */
  checked: z.number().int(),
  total: z.number().int(),
  /** Messages the rule acted on so far. */
  matched: z.number().int(),
  done: z.boolean(),
});
export type ApplyProgress = z.infer<typeof applyProgressSchema>;
