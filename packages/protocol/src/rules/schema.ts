import { z } from "zod";

/**
 * One rule model for both protocols. A POP3 account runs its rules here, in the browser, on
 * each pulled message (./apply.ts); an IMAP account's rules compile to a Sieve script (RFC 5228,
 * ./sieve-compile.ts) that the server runs at delivery, for every device, with no browser open.
 *
 * Text is kept single-line where Sieve and the editor need one line (names, values, folders,
 * addresses); the vacation text and a reject message may have several lines.
 */

const oneLine = (max: number) =>
  z
    .string()
    .max(max)
    // U+2028 and U+2029 end a line too (for a regular expression's "."; Pismo's own comments
    // in the script are read with one).
    .refine((s) => !/[\r\n\0\u2028\u2029]/.test(s), "must be one line");

/** Text of several lines (a reply, a refusal): no NUL and no carriage return but before a line
 * feed, which a Sieve string cannot hold (the server would refuse the whole script). */
const lines = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !/\0|\r(?!\n)/.test(s), "must not hold a NUL or a lone carriage return");

/** The text fields a condition can test. "to" means To and Cc together. */
export const ruleTextFieldSchema = z.enum(["from", "to", "subject", "header"]);
export type RuleTextField = z.infer<typeof ruleTextFieldSchema>;

/** RFC 5228 match types: `:contains`, `:is`, `:matches` (with `*` and `?` wildcards). */
export const ruleMatchTypeSchema = z.enum(["contains", "is", "matches"]);
export type RuleMatchType = z.infer<typeof ruleMatchTypeSchema>;

/** A header field name (RFC 5322 section 3.6.8: printable ASCII without the colon). */
export const headerNameSchema = z
  .string()
  .min(1, "must not be empty")
  .max(100)
  .regex(/^[!-9;-~]+$/, "is not a header name");

export const textConditionSchema = z
  .object({
    kind: z.literal("text"),
    field: ruleTextFieldSchema,
    /** Only for field "header". */
    header: headerNameSchema.optional(),
    match: ruleMatchTypeSchema,
    /** "does not contain / is not / does not match". */
    not: z.boolean(),
    value: oneLine(500).refine((s) => s.trim().length > 0, "must not be empty"),
  })
  .refine((c) => (c.field === "header") === (c.header !== undefined), {
    message: "a header condition names its header, and only it",
    path: ["header"],
  });

export const sizeConditionSchema = z.object({
  kind: z.literal("size"),
  /** True: larger than `bytes`; false: smaller than `bytes` (RFC 5228 5.9 `:over` / `:under`). */
  over: z.boolean(),
  bytes: z
    .number()
    .int()
    .min(1)
    .max(2 ** 40),
});

export const attachmentConditionSchema = z.object({
  kind: z.literal("attachment"),
  /** True: "has no attachment". */
  not: z.boolean(),
});

export const ruleConditionSchema = z.union([
  textConditionSchema,
  sizeConditionSchema,
  attachmentConditionSchema,
]);
export type RuleCondition = z.infer<typeof ruleConditionSchema>;
export type TextCondition = z.infer<typeof textConditionSchema>;

const folderSchema = oneLine(1000).refine((s) => s.length > 0, "must not be empty");
/** An address to forward to: one plain addr-spec, nothing Sieve or SMTP could read as more. */
export const forwardAddressSchema = z
  .string()
  .max(320)
  .regex(/^[^\s"\\<>(),;:@]+@[^\s"\\<>(),;:@]+$/, "is not an e-mail address");

export const ruleActionSchema = z.discriminatedUnion("type", [
  /** IMAP: a folder path; POP3: a local folder id. */
  z.object({ type: z.literal("move"), folder: folderSchema }),
  z.object({ type: z.literal("copy"), folder: folderSchema }),
  z.object({ type: z.literal("markRead") }),
  z.object({ type: z.literal("flag") }),
  /** Sends a copy on and keeps the message (RFC 3894 `redirect :copy`). */
  z.object({ type: z.literal("forward"), address: forwardAddressSchema }),
  z.object({ type: z.literal("discard") }),
  /** RFC 5429 `reject`: refuses the message with this text. */
  z.object({
    type: z.literal("reject"),
    message: lines(2000).refine((s) => s.length > 0, "must not be empty"),
  }),
  /** No later rule runs for this message. */
  z.object({ type: z.literal("stop") }),
]);
export type RuleAction = z.infer<typeof ruleActionSchema>;
export type RuleActionType = RuleAction["type"];

/**
 * The order actions run in, whatever order they were chosen in: flags first, so a message
 * moved by the same rule arrives read or flagged (RFC 5232: fileinto takes the flags set so
 * far), then where it goes, then the final verdicts, and `stop` last.
 */
export const actionOrder: readonly RuleActionType[] = [
  "markRead",
  "flag",
  "move",
  "copy",
  "forward",
  "discard",
  "reject",
  "stop",
];

export const ruleSchema = z
  .object({
    /** Letters, digits, "-" and "_": it is written into the script's rule comment. */
    id: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9_-]+$/, "is not a rule id"),
    name: oneLine(200),
    enabled: z.boolean(),
    /** "all": every condition must hold (Sieve `allof`); "any": one is enough (`anyof`). */
    match: z.enum(["all", "any"]),
    conditions: z.array(ruleConditionSchema).min(1, "a rule needs a condition").max(50),
    actions: z.array(ruleActionSchema).min(1, "a rule needs an action").max(20),
  })
  .superRefine((rule, ctx) => {
    const types = rule.actions.map((a) => a.type);
    const once = new Set(["markRead", "flag", "discard", "reject", "stop", "move"]);
    // Each issue names its problem in `params` (RuleActionsProblem), for the form to say it.
    for (const type of once)
      if (types.filter((t) => t === type).length > 1)
        ctx.addIssue({
          code: "custom",
          path: ["actions"],
          message: `"${type}" appears twice`,
          params: { problem: "twice", action: type },
        });
    // RFC 5429 section 2.1: reject cannot be combined with keeping or filing the message.
    if (types.includes("reject") && types.some((t) => t !== "reject" && t !== "stop"))
      ctx.addIssue({
        code: "custom",
        path: ["actions"],
        message: "a rule that rejects the message can do nothing else with it",
        params: { problem: "rejectAlone" },
      });
    if (types.includes("discard") && types.some((t) => t === "move" || t === "copy" || t === "forward"))
      ctx.addIssue({
        code: "custom",
        path: ["actions"],
        message: "a rule that deletes the message cannot also file or forward it",
        params: { problem: "discardAlone" },
      });
  })
  .transform((rule) => ({
    ...rule,
    actions: [...rule.actions].sort((a, b) => actionOrder.indexOf(a.type) - actionOrder.indexOf(b.type)),
  }));
export type Rule = z.output<typeof ruleSchema>;
/** What a rule's `actions` issue says is wrong with them together (its `params.problem`). */
export type RuleActionsProblem = "twice" | "rejectAlone" | "discardAlone";
export type RuleInput = z.input<typeof ruleSchema>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD");

/** Out of office (RFC 5230 `vacation`), guarded by the first and last day (RFC 5260 `currentdate`). */
export const vacationSchema = z
  .object({
    enabled: z.boolean(),
    subject: oneLine(200),
    message: lines(10_000),
    /** Inclusive, in the server's time zone. */
    firstDay: isoDate.nullable(),
    lastDay: isoDate.nullable(),
    /** The user's other addresses it answers for (RFC 5230 `:addresses`). */
    addresses: z.array(forwardAddressSchema).max(20),
    /** At most one reply per sender in this many days (RFC 5230 `:days`). */
    days: z.number().int().min(1).max(365),
  })
  .refine((v) => !v.enabled || v.message.trim().length > 0, {
    message: "an out-of-office reply needs a message",
    path: ["message"],
  })
  .refine((v) => v.firstDay === null || v.lastDay === null || v.firstDay <= v.lastDay, {
    message: "the last day is before the first",
    path: ["lastDay"],
  });
export type Vacation = z.infer<typeof vacationSchema>;

export const defaultVacation: Vacation = {
  enabled: false,
  subject: "",
  message: "",
  firstDay: null,
  lastDay: null,
  addresses: [],
  days: 7,
};

export const ruleSetSchema = z.object({
  rules: z.array(ruleSchema).max(500),
  vacation: vacationSchema,
});
export type RuleSet = z.output<typeof ruleSetSchema>;
export type RuleSetInput = z.input<typeof ruleSetSchema>;
