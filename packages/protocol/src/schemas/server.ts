import { z } from "zod";

export const mailProtocols = ["imap", "pop3"] as const;
export const mailProtocolSchema = z.enum(mailProtocols);
export type MailProtocol = z.infer<typeof mailProtocolSchema>;

export const securityModes = ["starttls", "tls", "none"] as const;
export const securitySchema = z.enum(securityModes);
export type Security = z.infer<typeof securitySchema>;

/** A mail server as the gateway may reach it. */
export const serverEndpointSchema = z.object({
  host: z.string().trim().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  security: securitySchema,
});
export type ServerEndpoint = z.infer<typeof serverEndpointSchema>;

/** What the gateway is configured with, shown as defaults on the sign-in page. */
export const serverDefaultsSchema = z.object({
  imap: serverEndpointSchema.nullable(),
  pop3: serverEndpointSchema.nullable(),
  /** Hosts a user may name at sign-in besides the configured ones. */
  allowedHosts: z.array(z.string()),
});
export type ServerDefaults = z.infer<typeof serverDefaultsSchema>;

/** The answer of a server probe: greeting and capabilities, before any sign-in. */
export const probeResultSchema = z.object({
  protocol: mailProtocolSchema,
  endpoint: serverEndpointSchema,
  greeting: z.string(),
  capabilities: z.array(z.string()),
  latencyMs: z.number(),
});
export type ProbeResult = z.infer<typeof probeResultSchema>;
