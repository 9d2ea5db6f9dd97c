import { z } from "zod";
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
});
export type SignInInput = z.infer<typeof signInInputSchema>;

export const accountSchema = z.object({
  protocol: mailProtocolSchema,
  email: z.string(),
  server: serverEndpointSchema,
});
export type Account = z.infer<typeof accountSchema>;
