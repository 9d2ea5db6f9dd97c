import { describe, expect, it } from "vitest";
import { sieveEndpointFor, smtpEndpointFor } from "./account-servers";
import { readConfig } from "./env";

// An account's password goes to its own server's services only: the configured ones for an
// account on the configured server, the standard port of its own host when that is allowed.
describe("the servers an account sends and files through", () => {
  const config = readConfig({
    PISMO_IMAP_HOST: "mail.example.com",
    PISMO_POP3_HOST: "pop.example.com",
    PISMO_SMTP_HOST: "smtp.example.com",
    PISMO_ALLOWED_HOSTS: "other.example.net,imap-only.example.org:993",
  });
  const account = (host: string) => ({ host, port: 993, security: "tls" as const });

  it("are the configured SMTP and Sieve servers for an account on the configured IMAP or POP3 server", () => {
    expect(smtpEndpointFor(config, account("Mail.Example.com"))).toEqual(config.smtp);
    expect(smtpEndpointFor(config, account("pop.example.com"))).toEqual(config.smtp);
    expect(sieveEndpointFor(config, account("mail.example.com"))).toEqual(config.sieve);
  });

  it("are the account's own host for another allowed host, never the configured ones", () => {
    expect(smtpEndpointFor(config, account("other.example.net"))).toEqual({
      host: "other.example.net",
      port: 587,
      security: "starttls",
    });
    expect(sieveEndpointFor(config, account("other.example.net"))).toMatchObject({
      host: "other.example.net",
      port: 4190,
    });
    // Allowed for IMAP on one port only: no submission there, and no password to smtp.example.com.
    expect(smtpEndpointFor(config, account("imap-only.example.org"))).toBeNull();
    expect(sieveEndpointFor(config, account("imap-only.example.org"))).toBeNull();
  });
});
