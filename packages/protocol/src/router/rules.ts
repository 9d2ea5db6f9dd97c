import { MailError } from "../errors";
import {
  applyProgressSchema,
  applyRuleInputSchema,
  saveRulesInputSchema,
  saveScriptInputSchema,
  savedRulesSchema,
  scriptCheckSchema,
  scriptTextInputSchema,
  serverRulesSchema,
} from "../rules/wire";
import { publicProcedure, router } from "./trpc";

/**
 * Server-side filters of an IMAP account (Sieve over ManageSieve). A POP3 account's rules run
 * in the browser and never come here.
 */
const rulesProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new MailError("NOT_SIGNED_IN", "Sign in first");
  const rules = ctx.session.rules;
  if (!rules) throw new MailError("BAD_INPUT", "This account has no server-side filters");
  return next({ ctx: { ...ctx, rules } });
});

export const rulesRouter = router({
  get: rulesProcedure.output(serverRulesSchema).query(({ ctx }) => ctx.rules.read()),
  save: rulesProcedure
    .input(saveRulesInputSchema)
    .output(savedRulesSchema)
    .mutation(({ ctx, input }) =>
      ctx.rules.save(input.set, {
        replaceForeign: input.replaceForeign,
        ...(input.version !== undefined ? { version: input.version } : {}),
      }),
    ),
  check: rulesProcedure
    .input(scriptTextInputSchema)
    .output(scriptCheckSchema)
    .mutation(({ ctx, input }) => ctx.rules.check(input.script)),
  saveScript: rulesProcedure
    .input(saveScriptInputSchema)
    .output(scriptCheckSchema)
    .mutation(({ ctx, input }) => ctx.rules.saveScript(input.name, input.script)),
  /** Runs one rule over the mail already in a folder: a SEARCH, then the actions, with progress. */
  applyToFolder: rulesProcedure.input(applyRuleInputSchema).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const abort = signal ?? new AbortController().signal;
    for await (const progress of ctx.rules.applyToFolder(input.folder, input.rule, abort))
      yield applyProgressSchema.parse(progress);
  }),
});
