import { describe, expect, it } from "vitest";
import { findLookalikeHost } from "./domains";
import { readHeaderFields } from "./header-fields";
import { senderWarnings } from "./sender-warnings";
import type { NamedAddress } from "./sender-warnings";

const contacts: NamedAddress[] = [
  { name: "Jovan Petrović", address: "jovan.petrovic@firma.rs" },
  { name: "Jovan Petrović", address: "jovan.petrovic@gmail.com" },
  { name: "Marija Jovanović", address: "marija@colleague.example" },
  { name: "Ana", address: "ana@example.net" },
  { name: "Hans Müller", address: "hans.mueller@beispiel.de" },
];

function warn(block: string, known: NamedAddress[] = contacts) {
  return senderWarnings(readHeaderFields(block), { contacts: known }).map((warning) => warning.kind);
}

describe("senderWarnings: disguises", () => {
  it("a display name showing another organization's address", () => {
    expect(warn(`From: "PayPal <service@paypal.com>" <support@paypa1-secure.example>\n`)).toEqual([
      "name-shows-other-address",
    ]);
    // Encoded-word name, Serbian: "Banka Intesa (podrska@bancaintesa.rs)".
    expect(
      warn(
        `From: =?UTF-8?Q?Banka_Intesa_=28podrska=40bancaintesa=2Ers=29?= <no-reply@intesa-podrska.example>\n`,
      ),
    ).toEqual(["name-shows-other-address"]);
    const [warning] = senderWarnings(readHeaderFields(`From: "service@paypal.com" <x@evil.example>\n`), {
      contacts: [],
    });
    expect(warning).toEqual({
      kind: "name-shows-other-address",
      shownAddress: "service@paypal.com",
      actualAddress: "x@evil.example",
    });
  });

  it("a contact's name with an address the reader does not know for them (word order, accents ignored)", () => {
    expect(warn(`From: Jovan Petrovic <jovan.petrovic.firma@outlook.example>\n`)).toEqual([
      "contact-name-new-address",
    ]);
    expect(warn(`From: "Petrović, Jovan" <ceo-office@firma-rs.example>\n`)).toEqual([
      "contact-name-new-address",
    ]);
    expect(warn(`From: =?UTF-8?Q?Hans_M=C3=BCller?= <hans@mueller-gmbh.example>\n`)).toEqual([
      "contact-name-new-address",
    ]);
  });

  it("Reply-To to another organization", () => {
    expect(
      warn(`From: Direktor <direktor@firma.rs>\nReply-To: direktor.firma@gmail.com\nSubject: Hitna uplata\n`),
    ).toEqual(["reply-to-other-domain"]);
  });

  it("a sender domain mixing scripts, shown in punycode", () => {
    // "pаypal.com" with a Cyrillic а.
    const [warning] = senderWarnings(readHeaderFields(`From: PayPal <service@p\u0430ypal.com>\n`), {
      contacts: [],
    });
    expect(warning).toMatchObject({
      kind: "lookalike-domain",
      reason: "mixed-scripts",
      ascii: "xn--pypal-4ve.com",
      scripts: ["Latin", "Cyrillic"],
    });
    // Written in punycode already, Greek ο in "gοogle".
    expect(warn(`From: Google <no-reply@xn--gogle-rce.com>\n`)).toEqual(["lookalike-domain"]);
    // All-Cyrillic "аррӏе" under .com imitates "apple".
    expect(warn(`From: Apple <id@xn--80ak6aa92e.com>\n`)).toEqual(["lookalike-domain"]);
  });
});

describe("senderWarnings: ordinary mail stays quiet", () => {
  it("a known contact, from either known address", () => {
    expect(
      warn(`From: Jovan Petrović <jovan.petrovic@gmail.com>\nReply-To: <jovan.petrovic@firma.rs>\n`),
    ).toEqual([]);
  });

  it("a reply from a colleague, a name that only shares a first name, a one-word name", () => {
    expect(warn(`From: Marija Jovanović <marija@colleague.example>\nIn-Reply-To: <a@b>\n`)).toEqual([]);
    expect(warn(`From: Jovan Jovanović <jovan@drugi.example>\n`)).toEqual([]);
    expect(warn(`From: Ana <ana.new@elsewhere.example>\n`)).toEqual([]);
  });

  it("a mailing list: 'x via list' with the poster's address, Reply-To to the list or the poster", () => {
    expect(
      warn(
        `From: "'alice@example.com' via Friends" <friends@googlegroups.com>\nReply-To: alice@example.com\nList-Id: <friends.googlegroups.com>\nList-Post: <https://groups.google.com/group/friends/post>, <mailto:friends@googlegroups.com>\n`,
      ),
    ).toEqual([]);
    expect(
      warn(
        `From: Jovan Petrovic via dev <dev@lists.example.net>\nReply-To: Jovan <jovan@somewhere.example>\nList-Id: Developers <dev.lists.example.net>\n`,
      ),
    ).toEqual([]);
  });

  it("an old-style list (no List-Id) whose Reply-To is the list the message was sent to", () => {
    expect(
      warn(
        `From: Rob Hartill <hartill@lanl.gov>\nTo: new-httpd@hyperreal.com\nSender: owner-new-httpd@apache.org\nPrecedence: bulk\nReply-To: new-httpd@hyperreal.com\n`,
      ),
    ).toEqual([]);
  });

  it("a notice sent on someone's behalf from a no-reply address (a shared document, an invitation)", () => {
    expect(
      warn(
        `From: "Ana (via Google Docs)" <drive-shares-dm-noreply@google.com>\nReply-To: Ana <ana.kovac@firma.rs>\n`,
      ),
    ).toEqual([]);
  });

  it("a Reply-To elsewhere from a known contact, or from a domain the verdict verified", () => {
    const block = `From: Mary Smith <mary@example.net>\nReply-To: "Mary Smith: Personal Account" <smith@home.example>\n`;
    expect(warn(block, [])).toEqual(["reply-to-other-domain"]);
    expect(warn(block, [{ name: "Mary Smith", address: "mary@example.net" }])).toEqual([]);
    expect(senderWarnings(readHeaderFields(block), { contacts: [], verifiedDomain: "example.net" })).toEqual(
      [],
    );
  });

  it("a newsletter whose Reply-To is its own organization's support address", () => {
    expect(
      warn(
        `From: Shop <news@mail.shop.example>\nReply-To: podrska@shop.example\nList-Unsubscribe: <https://shop.example/u>\n`,
      ),
    ).toEqual([]);
  });

  it("a name that is the sender's own address, or another address of the same organization", () => {
    expect(warn(`From: "info@firma.rs" <info@firma.rs>\n`)).toEqual([]);
    expect(warn(`From: "prodaja@firma.rs" <prodaja@mail.firma.rs>\n`)).toEqual([]);
  });

  it("single-script IDN domains in their own scripts are fine", () => {
    expect(warn(`From: Пошта <info@xn--80a1acny.xn--90a3ac>\n`)).toEqual([]); // почта.срб
    expect(warn(`From: Bücher <info@xn--bcher-kva.de>\n`)).toEqual([]);
    expect(warn(`From: 山田 <yamada@xn--wgv71a119e.jp>\n`)).toEqual([]); // 日本語.jp
    expect(warn(`From: no-reply@xn--ngbc5azd.xn--ngbrx\n`)).toEqual([]); // شبكة.عرب
  });
});

describe("findLookalikeHost", () => {
  it("allows the script combinations of Japanese, Chinese and Korean names (UTS #39 highly restrictive)", () => {
    expect(findLookalikeHost("ソニーshop.jp")).toBeNull();
    expect(findLookalikeHost("삼성전자abc.kr")).toBeNull();
  });
  it("finds Latin mixed with Cyrillic or Greek in any label", () => {
    expect(findLookalikeHost("login.micr\u043esoft.com")?.label).toBe("micr\u043esoft");
    expect(findLookalikeHost("\u03b1mazon.de")?.reason).toBe("mixed-scripts");
    expect(findLookalikeHost("plain.example.com")).toBeNull();
  });
});
