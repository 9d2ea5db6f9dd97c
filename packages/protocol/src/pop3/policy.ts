import { pop3PolicySchema, type Pop3Policy } from "../schemas/pop3";

export { pop3PolicySchema } from "../schemas/pop3";
export type { Pop3Policy, Pop3PolicyInput } from "../schemas/pop3";

export const defaultPop3Policy: Pop3Policy = pop3PolicySchema.parse({});

/** Thunderbird's value for "delete after N days" when the box is ticked. */
export const suggestedDeleteAfterDays = 7;
