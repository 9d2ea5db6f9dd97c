import { z } from "zod";
import { MAX_TEMPLATES } from "./rules";

/** A template's text: a reply written once and used again, not a message to archive. */
export const MAX_TEMPLATE_TEXT = 100_000;

const noLineBreaks = (s: string) => !/[\r\n]/.test(s);

/**
 * What a template holds: its name (the subject it fills in when the message has none) and its
 * text, with the rich version where it was written rich. No recipients, no attachments and no
 * thread: it is inserted into a message being written (a new one, a reply, a forward), where
 * those belong to that message.
 */
export const templateBodySchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the template a subject: it is saved under it")
    .max(200, "A template's subject is at most 200 characters")
    .refine(noLineBreaks, "no line breaks"),
  text: z.string().max(MAX_TEMPLATE_TEXT, "The template is too long to keep (at most 100,000 characters)"),
  /** Null when the template was written as plain text. */
  html: z
    .string()
    .max(4 * MAX_TEMPLATE_TEXT, "The template is too long to keep")
    .nullable(),
});
export type TemplateBody = z.infer<typeof templateBodySchema>;

/** A template kept in a browser (POP3), with the id that names it in an exported settings file. */
export const storedTemplateSchema = templateBodySchema.extend({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  /** When it was saved (epoch ms): the newest is listed first. */
  savedAt: z.number().int().nonnegative(),
});
export type StoredTemplate = z.infer<typeof storedTemplateSchema>;

/** The templates an exported settings file carries (POP3). */
export const storedTemplatesSchema = z.array(storedTemplateSchema).max(MAX_TEMPLATES);
