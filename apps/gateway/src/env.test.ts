import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "./env";

describe("readConfig", () => {
  it("has sensible defaults and only allows configured hosts", () => {
    const c = readConfig({ PISMO_IMAP_HOST: "Mail.Example.com" });
    expect(c.port).toBe(3000);
    expect(c.imap).toEqual({ host: "Mail.Example.com", port: 143, security: "starttls" });
    expect(c.pop3).toBeNull();
    expect(c.allowedHosts).toEqual(["mail.example.com"]);
    expect(c.sessionIdleMs).toBe(30 * 60_000);
    expect(c.sessionMaxMs).toBe(12 * 3_600_000);
  });

  it("reads the absolute session lifetime and refuses one a timer cannot hold", () => {
    expect(readConfig({ PISMO_SESSION_MAX_HOURS: "0.5" }).sessionMaxMs).toBe(1_800_000);
    expect(() => readConfig({ PISMO_SESSION_MAX_HOURS: "0" })).toThrow(/PISMO_SESSION_MAX_HOURS="0"/);
    expect(() => readConfig({ PISMO_SESSION_MAX_HOURS: "1000" })).toThrow(/at most 596 hours/);
  });

  it("names the variable of a bad value", () => {
    expect(() => readConfig({ PISMO_IMAP_PORT: "70000" })).toThrow(ConfigError);
    expect(() => readConfig({ PISMO_IMAP_PORT: "70000" })).toThrow(/PISMO_IMAP_PORT="70000"/);
    expect(() => readConfig({ PISMO_POP3_SECURITY: "ssl" })).toThrow(
      /PISMO_POP3_SECURITY="ssl": must be starttls, tls or none/,
    );
  });

  it("adds extra allowed hosts", () => {
    const c = readConfig({ PISMO_IMAP_HOST: "a.example", PISMO_ALLOWED_HOSTS: "B.example, c.example" });
    expect(c.allowedHosts).toEqual(["a.example", "b.example", "c.example"]);
  });

  it("allows the configured servers on their own ports, and host:port entries", () => {
    const c = readConfig({
      PISMO_IMAP_HOST: "a.example",
      PISMO_IMAP_PORT: "1143",
      PISMO_ALLOWED_HOSTS: "b.example:2000,c.example",
    });
    expect(c.allowedHosts).toEqual(["a.example", "b.example", "c.example"]);
    expect(c.allowedEndpoints).toEqual([
      { host: "a.example", port: 1143, protocol: "imap" },
      { host: "a.example", port: 4190, protocol: "sieve" },
      { host: "b.example", port: 2000, protocol: null },
      { host: "c.example", port: null, protocol: null },
    ]);
    expect(() => readConfig({ PISMO_ALLOWED_HOSTS: "b.example:99999" })).toThrow(/PISMO_ALLOWED_HOSTS=/);
  });

  it("puts ManageSieve on the IMAP host's port 4190 unless told otherwise, or off", () => {
    expect(readConfig({ PISMO_IMAP_HOST: "a.example", PISMO_IMAP_SECURITY: "tls" }).sieve).toEqual({
      host: "a.example",
      port: 4190,
      security: "starttls",
    });
    expect(
      readConfig({ PISMO_IMAP_HOST: "a.example", PISMO_SIEVE_HOST: "s.example", PISMO_SIEVE_PORT: "2000" })
        .sieve,
    ).toEqual({ host: "s.example", port: 2000, security: "starttls" });
    const off = readConfig({ PISMO_IMAP_HOST: "a.example", PISMO_SIEVE_HOST: "off" });
    expect(off.sieve).toBeNull();
    expect(off.allowedEndpoints.some((e) => e.protocol === "sieve")).toBe(false);
    expect(readConfig({}).sieve).toBeNull();
  });

  it("reads trusted proxies as IPs and CIDRs and names a bad one", () => {
    expect(readConfig({ PISMO_TRUSTED_PROXIES: "10.0.0.0/8, ::1" }).trustedProxies).toEqual([
      "10.0.0.0/8",
      "::1",
    ]);
    expect(readConfig({}).trustedProxies).toEqual([]);
    expect(() => readConfig({ PISMO_TRUSTED_PROXIES: "proxy.local" })).toThrow(/PISMO_TRUSTED_PROXIES=/);
  });

  it("adds the public origin to the allowed origins and reads the cookie prefix switch", () => {
    const c = readConfig({
      PISMO_PUBLIC_ORIGIN: "https://mail.example.com/",
      PISMO_ALLOWED_ORIGINS: "http://localhost:3001",
    });
    expect(c.allowedOrigins).toEqual(["https://mail.example.com", "http://localhost:3001"]);
    expect(c.cookieHostPrefix).toBe(false);
    expect(readConfig({ PISMO_COOKIE_HOST_PREFIX: "true" }).cookieHostPrefix).toBe(true);
    expect(() => readConfig({ PISMO_PUBLIC_ORIGIN: "mail.example.com" })).toThrow(/PISMO_PUBLIC_ORIGIN=/);
    expect(() => readConfig({ PISMO_PUBLIC_ORIGIN: "https://mail.example.com/webmail" })).toThrow(
      /PISMO_PUBLIC_ORIGIN=/,
    );
  });

  it("chooses the session store: the embedded file store by default, Redis with a URL and a secret", () => {
    const home = readConfig({ HOME: "/home/ana" }).sessionStore;
    expect(home).toEqual({ kind: "file", dataDir: "/home/ana/.local/state/pismo", secret: null });
    expect(readConfig({ STATE_DIRECTORY: "/var/lib/pismo" }).sessionStore).toMatchObject({
      kind: "file",
      dataDir: "/var/lib/pismo",
    });
    expect(readConfig({ PISMO_SESSION_STORE: "memory" }).sessionStore).toEqual({ kind: "memory" });
    const secret = "s".repeat(40);
    expect(
      readConfig({ PISMO_REDIS_URL: "redis://127.0.0.1:6379", PISMO_SECRET: secret }).sessionStore,
    ).toMatchObject({ kind: "redis", url: "redis://127.0.0.1:6379" });
  });

  it("refuses Redis without PISMO_SECRET, naming it, and never echoes a secret", () => {
    expect(() => readConfig({ PISMO_REDIS_URL: "redis://127.0.0.1:6379" })).toThrow(
      /PISMO_SECRET is required/,
    );
    let message = "";
    try {
      readConfig({ PISMO_SECRET: "too-short-but-secret" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PISMO_SECRET=\(hidden\): must be at least 32 characters/);
    expect(message).not.toContain("too-short-but-secret");
  });
});
