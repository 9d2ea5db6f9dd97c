import { z } from "zod";
import { ruleSchema, ruleSetSchema } from "./schema";
import { foreignReasons } from "./sieve";

/**
 * Which script the page was shown: a save carries it back, and the gateway refuses (CHANGED)
 * when the active script is no longer that one (another device saved, a folder was renamed),
 * rather than overwrite what the user never saw. ManageSieve has no conditional PUTSCRIPT
 * (RFC 5804), so the gateway compares before it writes.
 */
const scriptVersionSchema = z.string().min(1).max(200);

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
    version: scriptVersionSchema,
  }),
  z.object({
    kind: z.literal("foreign"),
    scriptName: z.string(),
    script: z.string(),
    /** Why it is not Pismo's (readSieve): not written by it, changed since, or not valid Sieve
     * (at `line`). A code: the page says it in the user's language. */
    reason: z.enum(foreignReasons),
    line: z.number().int().optional(),
    extensions: z.array(z.string()),
    version: scriptVersionSchema,
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
  /** The `version` of what the page was shown (rules.get, or the last save's answer). Absent
   * from a page loaded before versions existed: saved unchecked, as it was then. */
  version: scriptVersionSchema.optional(),
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

/** A save of the rules: the server's words, and the version of the script now active, which
 * the page's next save carries (it need not read the rules again first). */
export const savedRulesSchema = scriptCheckSchema.extend({ version: scriptVersionSchema });
export type SavedRules = z.infer<typeof savedRulesSchema>;

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
