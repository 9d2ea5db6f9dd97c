import { z } from "zod";
import type { ConversationWindow } from "./conversation";
import type { Folder, ListWindow } from "./mailbox";
import { mailProtocolSchema, serverEndpointSchema } from "./server";

export const signInInputSchema = z.object({
  protocol: mailProtocolSchema,
  email: z
    .string()
    .trim()
    .min(3)
    .max(320)
    .regex(/^[^\s@]+@[^\s@]+$/, "must be an email address"),
  password: z.string().min(1).max(1024),
  /** Only where the gateway allows the host (PISMO_ALLOWED_HOSTS); otherwise its defaults. */
  server: serverEndpointSchema.optional(),
  /** IMAP: how many rows the browser's first screen shows; the sign-in answer then carries them
   * (the Inbox's newest, in arrival order) and the folder tree, so that the first screen paints
   * from the answer. */
  firstRows: z.number().int().min(1).max(200).optional(),
  /** IMAP: how this browser lists the Inbox. With "conversations" the answer carries the first
   * `firstRows` conversations instead of single messages (the view remembered in the browser). */
  firstView: z.enum(["messages", "conversations"]).optional(),
});
export type SignInInput = z.infer<typeof signInInputSchema>;

export const accountSchema = z.object({
  protocol: mailProtocolSchema,
  email: z.string(),
  server: serverEndpointSchema,
});
export type Account = z.infer<typeof accountSchema>;

/** What an IMAP sign-in's answer carries for the first screen (asked for with `firstRows`). */
export interface FirstScreen {
  folders: Folder[];
  /** The Inbox's first window: offset 0, `firstRows` rows, arrival order (the message view). */
  window?: ListWindow;
  /** The Inbox's first `firstRows` conversations (asked for with `firstView: "conversations"`). */
  conversations?: ConversationWindow;
}

/** The sign-in's answer: the account, and for IMAP what the first screen shows when asked for. */
export interface SignInAnswer {
  account: Account;
  firstScreen?: FirstScreen;
}
