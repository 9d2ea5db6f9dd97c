import { describe, expect, it } from "vitest";
import { assertAllowedEndpoint, isAllowedEndpoint, parseAllowedHost } from "./allowed-hosts";

describe("allowed host:port pairs", () => {
  it("parses host, host:port and bracketed or bare IPv6", () => {
    expect(parseAllowedHost("Mail.Example.com.")).toEqual({
      host: "mail.example.com",
      port: null,
      protocol: null,
    });
    expect(parseAllowedHost("mail.example.com:10143")).toEqual({
      host: "mail.example.com",
      port: 10143,
      protocol: null,
    });
    expect(parseAllowedHost("[2001:db8::1]:993")).toEqual({ host: "2001:db8::1", port: 993, protocol: null });
    expect(parseAllowedHost("2001:db8::1")).toEqual({ host: "2001:db8::1", port: null, protocol: null });
    expect(() => parseAllowedHost("mail.example.com:0")).toThrow(/port/);
    expect(() => parseAllowedHost("mail.example.com:imap")).toThrow(/port/);
    expect(() => parseAllowedHost("http://x")).toThrow();
  });

  it("a bare host allows only the standard ports of the protocol used", () => {
    const allowed = [parseAllowedHost("mail.example.com")];
    expect(isAllowedEndpoint(allowed, "imap", "MAIL.example.com", 993)).toBe(true);
    expect(isAllowedEndpoint(allowed, "imap", "mail.example.com", 143)).toBe(true);
    expect(isAllowedEndpoint(allowed, "pop3", "mail.example.com", 995)).toBe(true);
    // IMAP's port is not a POP3 port, and SSH is nobody's.
    expect(isAllowedEndpoint(allowed, "pop3", "mail.example.com", 143)).toBe(false);
    expect(isAllowedEndpoint(allowed, "imap", "mail.example.com", 22)).toBe(false);
  });

  it("a configured server allows its own port for its own protocol only", () => {
    const allowed = [{ host: "127.0.0.1", port: 10143, protocol: "imap" as const }];
    expect(isAllowedEndpoint(allowed, "imap", "127.0.0.1", 10143)).toBe(true);
    expect(isAllowedEndpoint(allowed, "pop3", "127.0.0.1", 10143)).toBe(false);
    expect(isAllowedEndpoint(allowed, "imap", "127.0.0.1", 143)).toBe(false);
    expect(() => assertAllowedEndpoint(allowed, "imap", "127.0.0.1", 22)).toThrow(
      expect.objectContaining({ code: "HOST_NOT_ALLOWED" }),
    );
  });
});
