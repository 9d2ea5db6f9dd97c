import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { securityModes, type ServerEndpoint } from "@pismo/protocol/schemas";
import { normalHost, parseAllowedHost, type AllowedEndpoint } from "./allowed-hosts";
import { parseIpOrCidr } from "./server/client-address";
import type { GatewayLimits } from "./limits";

/**
 * The gateway's whole configuration, read from the environment in this one place. A bad value
 * stops the start with a message that names the variable.
 */
const port = (fallback: number, min = 1) =>
  z.coerce
    .number({ error: "must be a port number" })
    .int("must be a whole number")
    .min(min)
    .max(65535)
    .default(fallback);

const hostList = z
  .string()
  .default("")
  .transform((value, ctx) => {
    const entries: AllowedEndpoint[] = [];
    for (const item of value.split(",").filter((h) => h.trim())) {
      try {
        entries.push(parseAllowedHost(item));
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }
    return entries;
  });

const boolean = (fallback: boolean) =>
  z
    .enum(["1", "0", "true", "false", "yes", "no"], { error: "must be true or false" })
    .default(fallback ? "true" : "false")
    .transform((v) => v === "1" || v === "true" || v === "yes");

const envSchema = z.object({
  // 0 asks the system for a free port (tests); the URL is printed at start.
  PISMO_PORT: port(3000, 0),
  PISMO_BIND: z.string().min(1).default("127.0.0.1"),
  PISMO_IMAP_HOST: z.string().trim().min(1).optional(),
  PISMO_IMAP_PORT: port(143),
  PISMO_IMAP_SECURITY: z.enum(securityModes, { error: "must be starttls, tls or none" }).default("starttls"),
  PISMO_POP3_HOST: z.string().trim().min(1).optional(),
  PISMO_POP3_PORT: port(110),
  PISMO_POP3_SECURITY: z.enum(securityModes, { error: "must be starttls, tls or none" }).default("starttls"),
  PISMO_SMTP_HOST: z.string().trim().min(1).optional(),
  // Submission (RFC 6409); 465 with "tls" (RFC 8314).
  PISMO_SMTP_PORT: port(587),
  PISMO_SMTP_SECURITY: z.enum(securityModes, { error: "must be starttls, tls or none" }).default("starttls"),
  // ManageSieve (RFC 5804) for server-side filters; "off" when the server has none.
  PISMO_SIEVE_HOST: z.string().trim().min(1).optional(),
  PISMO_SIEVE_PORT: port(4190),
  PISMO_SIEVE_SECURITY: z.enum(securityModes, { error: "must be starttls, tls or none" }).optional(),
  PISMO_ALLOWED_HOSTS: hostList,
  PISMO_PUBLIC_ORIGIN: z
    .string()
    .default("")
    .transform((value, ctx) => {
      const origins = value
        .split(",")
        .map((o) => o.trim().replace(/\/$/, ""))
        .filter(Boolean);
      for (const origin of origins) {
        let url: URL | null = null;
        try {
          url = new URL(origin);
        } catch {
          url = null;
        }
        if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.origin !== origin) {
          ctx.addIssue({
            code: "custom",
            message: `"${origin}" is not an origin like https://mail.example.com`,
          });
          return z.NEVER;
        }
      }
      return origins;
    }),
  PISMO_COOKIE_HOST_PREFIX: boolean(false),
  PISMO_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  PISMO_TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((value, ctx) => {
      const entries = value
        .split(",")
        .map((e) => e.trim())
        .filter(Boolean);
      for (const entry of entries)
        if (!parseIpOrCidr(entry)) {
          ctx.addIssue({ code: "custom", message: `"${entry}" is not an IP address or CIDR` });
          return z.NEVER;
        }
      return entries;
    }),
  PISMO_SESSION_IDLE_MINUTES: z.coerce
    .number({ error: "must be a number of minutes" })
    .positive()
    .default(30),
  // Node timers hold at most 2^31-1 ms (about 596 hours).
  PISMO_SESSION_MAX_HOURS: z.coerce
    .number({ error: "must be a number of hours" })
    .positive("must be more than 0")
    .max(596, "must be at most 596 hours")
    .default(12),
  // The authserv-id(s) of the mail server's own Authentication-Results (RFC 8601).
  PISMO_AUTHSERV_ID: z
    .string()
    .default("")
    .transform((value, ctx) => {
      const ids = value
        .split(",")
        .map((id) => id.trim().toLowerCase())
        .filter(Boolean);
      for (const id of ids)
        if (!/^[\x21-\x7e]+$/.test(id) || /[;()"\\]/.test(id)) {
          ctx.addIssue({ code: "custom", message: `"${id}" is not an authserv-id like mx.example.com` });
          return z.NEVER;
        }
      return ids;
    }),
  // DNS servers for Pismo's own DKIM/DMARC lookups, host[:port] (IPv6 in [brackets]).
  PISMO_DNS_SERVERS: z
    .string()
    .default("")
    .transform((value, ctx) => {
      const servers = value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean);
      for (const server of servers)
        if (!/^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])(?::\d{1,5})?$|^[0-9a-f:]+$/i.test(server)) {
          ctx.addIssue({
            code: "custom",
            message: `"${server}" is not an IP address with an optional :port`,
          });
          return z.NEVER;
        }
      return servers;
    }),
  // Where sessions are kept: "file" (the embedded store in PISMO_DATA_DIR, the default),
  // "redis" (chosen by PISMO_REDIS_URL), "memory" (this process only: a restart signs out).
  PISMO_SESSION_STORE: z
    .enum(["file", "redis", "memory"], { error: "must be file, redis or memory" })
    .optional(),
  PISMO_DATA_DIR: z.string().trim().min(1).optional(),
  PISMO_REDIS_URL: z
    .string()
    .trim()
    .regex(/^(redis|rediss|valkey|valkeys):\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  PISMO_SECRET: z
    .string()
    .min(32, "must be at least 32 characters (for example: openssl rand -base64 32)")
    .optional(),
  PISMO_GATEWAY_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be 1-64 letters, digits or _ . : -")
    .optional(),
  PISMO_TLS_VERIFY: boolean(true),
  PISMO_STATIC_DIR: z.string().optional(),
  PISMO_LOG_LEVEL: z.enum(["silent", "error", "warn", "info", "debug"]).default("info"),
});

/** Where sessions are kept (sessions/stores/open-store.ts). */
export type SessionStoreConfig =
  | { kind: "memory" }
  /** Embedded: one file per session under `dataDir`; `secret` null means the secret file in
   * the data dir (created on first start). */
  | { kind: "file"; dataDir: string; secret: Buffer | null }
  | { kind: "redis"; url: string; secret: Buffer };

export interface GatewayConfig {
  port: number;
  bind: string;
  imap: ServerEndpoint | null;
  pop3: ServerEndpoint | null;
  /** Submission server for sending; null when sending is not configured. */
  smtp: ServerEndpoint | null;
  /**
   * ManageSieve server for IMAP accounts' filters: PISMO_SIEVE_HOST (default the IMAP host),
   * port 4190, STARTTLS unless IMAP is unencrypted; null when IMAP is off or PISMO_SIEVE_HOST=off.
   */
  sieve: ServerEndpoint | null;
  /** Lower-case host names a user may name at sign-in, the configured ones included (shown
   * by the sign-in page; the ports allowed are in `allowedEndpoints`). */
  allowedHosts: string[];
  /** The host:port pairs the gateway may connect to (allowed-hosts.ts explains the rules). */
  allowedEndpoints: AllowedEndpoint[];
  /** Origins that may open the WebSocket and sign in: PISMO_PUBLIC_ORIGIN (the address users
   * open) and PISMO_ALLOWED_ORIGINS (a dev server). Their hosts are the names the gateway
   * answers to, besides localhost and IP literals (origin.ts). */
  allowedOrigins: string[];
  /** PISMO_PUBLIC_ORIGIN alone: an https one makes the session cookie `Secure` (cookie.ts). */
  publicOrigins: string[];
  /** `__Host-` prefixed session cookie, always `Secure` (RFC 6265bis section 4.1.3.2). */
  cookieHostPrefix: boolean;
  /** Reverse proxies (IPs, CIDRs) whose X-Forwarded-For names the client. */
  trustedProxies: string[];
  sessionIdleMs: number;
  /** Absolute lifetime of a session from sign-in, whether a browser is attached or not. */
  sessionMaxMs: number;
  tlsVerify: boolean;
  /** Authserv-ids whose Authentication-Results are the mail server's own; empty: none is
   * believed (trust/sender-check.ts). */
  authservIds: string[];
  /** DNS servers for the DKIM/DMARC lookups; empty: the system's. */
  dnsServers: string[];
  staticDir: string | null;
  logLevel: z.infer<typeof envSchema>["PISMO_LOG_LEVEL"];
  /** Where sessions are kept; absent: in memory (embedding, tests). */
  sessionStore?: SessionStoreConfig;
  /** This gateway's name in session leases (several gateways share one store). */
  gatewayId?: string;
  /** Resource limits (limits.ts); not read from the environment, set when embedding or testing. */
  limits?: Partial<GatewayLimits>;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? "environment");
      // Never echo a secret (or a URL that may hold a password) into a log.
      const shown = secretVariables.has(variable) ? "(hidden)" : JSON.stringify(env[variable] ?? "");
      return `${variable}=${shown}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const e = parsed.data;
  const sessionStore = readSessionStore(e, env);
  const imap = e.PISMO_IMAP_HOST
    ? { host: e.PISMO_IMAP_HOST, port: e.PISMO_IMAP_PORT, security: e.PISMO_IMAP_SECURITY }
    : null;
  const pop3 = e.PISMO_POP3_HOST
    ? { host: e.PISMO_POP3_HOST, port: e.PISMO_POP3_PORT, security: e.PISMO_POP3_SECURITY }
    : null;
  const smtp = e.PISMO_SMTP_HOST
    ? { host: e.PISMO_SMTP_HOST, port: e.PISMO_SMTP_PORT, security: e.PISMO_SMTP_SECURITY }
    : null;
  const sieveHost = e.PISMO_SIEVE_HOST ?? imap?.host;
  const sieve =
    imap && sieveHost && sieveHost.toLowerCase() !== "off"
      ? {
          host: sieveHost,
          port: e.PISMO_SIEVE_PORT,
          security:
            e.PISMO_SIEVE_SECURITY ?? (imap.security === "none" ? ("none" as const) : ("starttls" as const)),
        }
      : null;
  const configured: AllowedEndpoint[] = [
    ...(imap ? [{ host: normalHost(imap.host), port: imap.port, protocol: "imap" as const }] : []),
    ...(pop3 ? [{ host: normalHost(pop3.host), port: pop3.port, protocol: "pop3" as const }] : []),
    ...(smtp ? [{ host: normalHost(smtp.host), port: smtp.port, protocol: "smtp" as const }] : []),
    ...(sieve ? [{ host: normalHost(sieve.host), port: sieve.port, protocol: "sieve" as const }] : []),
  ];
  const allowedEndpoints = [...configured, ...e.PISMO_ALLOWED_HOSTS];
  return {
    port: e.PISMO_PORT,
    bind: e.PISMO_BIND,
    imap,
    pop3,
    smtp,
    sieve,
    allowedHosts: [...new Set(allowedEndpoints.map((entry) => entry.host))],
    allowedEndpoints,
    allowedOrigins: [...new Set([...e.PISMO_PUBLIC_ORIGIN, ...e.PISMO_ALLOWED_ORIGINS])],
    publicOrigins: e.PISMO_PUBLIC_ORIGIN,
    cookieHostPrefix: e.PISMO_COOKIE_HOST_PREFIX,
    trustedProxies: e.PISMO_TRUSTED_PROXIES,
    sessionIdleMs: e.PISMO_SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: Math.round(e.PISMO_SESSION_MAX_HOURS * 3_600_000),
    tlsVerify: e.PISMO_TLS_VERIFY,
    authservIds: e.PISMO_AUTHSERV_ID,
    dnsServers: e.PISMO_DNS_SERVERS,
    staticDir: e.PISMO_STATIC_DIR ?? null,
    logLevel: e.PISMO_LOG_LEVEL,
    sessionStore,
    ...(e.PISMO_GATEWAY_ID ? { gatewayId: e.PISMO_GATEWAY_ID } : {}),
  };
}

const secretVariables = new Set(["PISMO_SECRET", "PISMO_REDIS_URL"]);

/** The default data dir: systemd's StateDirectory, else the XDG state dir. */
export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const state = env.STATE_DIRECTORY?.split(":")[0];
  if (state) return state;
  const xdg = env.XDG_STATE_HOME || path.join(env.HOME || os.homedir(), ".local", "state");
  return path.join(xdg, "pismo");
}

function readSessionStore(e: z.infer<typeof envSchema>, env: NodeJS.ProcessEnv): SessionStoreConfig {
  const kind = e.PISMO_SESSION_STORE ?? (e.PISMO_REDIS_URL ? "redis" : "file");
  const secret = e.PISMO_SECRET ? Buffer.from(e.PISMO_SECRET, "utf8") : null;
  if (kind === "memory") return { kind };
  if (kind === "redis") {
    if (!e.PISMO_REDIS_URL)
      throw new ConfigError(
        "Invalid configuration:\n  PISMO_SESSION_STORE=redis needs PISMO_REDIS_URL (redis://host:6379)",
      );
    if (!secret)
      throw new ConfigError(
        "Invalid configuration:\n  PISMO_SECRET is required with a shared session store (PISMO_REDIS_URL): " +
          "the same value on every gateway, at least 32 characters (for example: openssl rand -base64 32)",
      );
    return { kind, url: e.PISMO_REDIS_URL, secret };
  }
  return { kind, dataDir: path.resolve(e.PISMO_DATA_DIR ?? defaultDataDir(env)), secret };
}
