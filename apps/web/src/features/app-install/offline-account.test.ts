import { accountSchema } from "@pismo/protocol/schemas";
import { describe, expect, it } from "vitest";
import { storedPop3Account } from "./offline-account";

const good = {
  protocol: "pop3",
  email: "ana@primer.rs",
  server: { host: "mail.primer.rs", port: 995, security: "tls" },
};

// What localStorage may hold: written by this or another version of Pismo, or by hand.
const stored: unknown[] = [
  good,
  { ...good, extra: "dropped" },
  { ...good, server: { ...good.server, host: "  mail.primer.rs  ", extra: 1 } },
  { ...good, protocol: "imap" },
  { ...good, protocol: "smtp" },
  { ...good, email: 42 },
  { ...good, server: null },
  { ...good, server: { ...good.server, host: "   " } },
  { ...good, server: { ...good.server, host: "a".repeat(254) } },
  { ...good, server: { ...good.server, port: 0 } },
  { ...good, server: { ...good.server, port: 65536 } },
  { ...good, server: { ...good.server, port: 99.5 } },
  { ...good, server: { ...good.server, port: "995" } },
  { ...good, server: { ...good.server, security: "ssl" } },
  { ...good, server: { ...good.server, security: "none" } },
  { protocol: "pop3", email: "ana@primer.rs" },
  null,
  "pop3",
  [],
];

describe("the POP3 account remembered for reading offline", () => {
  it.each(stored.map((value) => [JSON.stringify(value), value]))(
    "reads %s as the account schema does",
    (_, value) => {
      const parsed = accountSchema.safeParse(value);
      const expected = parsed.success && parsed.data.protocol === "pop3" ? parsed.data : null;
      expect(storedPop3Account(value)).toEqual(expected);
    },
  );

  it("keeps a good account", () => {
    expect(storedPop3Account(good)).toEqual(good);
  });
});
