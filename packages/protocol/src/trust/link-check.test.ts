import { describe, expect, it } from "vitest";
import { checkLink, highlightUrl, shownDestination } from "./link-check";

describe("checkLink: text that promises another destination", () => {
  it.each([
    ["https://www.paypal.com/signin", "https://paypal.com.account-verify.example/signin"],
    ["www.paypal.com", "http://203.0.113.5/paypal/"],
    ["paypal.com", "https://paypa1.example/"],
    ["<https://www.raiffeisenbank.rs/>", "https://raiffeisen-rs.example/login"],
    ["https://www.nbs.rs/sr_RS/indeks/", "https://nbs-rs.example.com/"],
    ["allegro.pl", "https://allegro-pl.example/oferta"],
    ["www.sparkasse.de/login", "https://sparkasse-de.example/"],
    ["https://online.bancaintesa.rs", "https://bancaintesa.rs.evil.example/"],
    ["https://www.gov.uk/", "https://gov-uk.example/"],
    ["https://alice.github.io/", "https://mallory.github.io/"],
    ["https://ПОШТА.срб", "https://posta.example/"],
    ["https://apple.com", "https://xn--80ak6aa92e.com/"],
  ])("%s -> %s differs", (text, href) => {
    const result = checkLink(text, href);
    expect(result.differs).toBe(true);
    expect(result.alwaysAsk).toBe(true);
    expect(result.reasons).toContain("text-shows-other-domain");
  });

  it("an e-mail address as text on a web link, and a URL as text on a mailto:", () => {
    expect(checkLink("podrska@banka.rs", "https://banka-podrska.example/form").reasons).toEqual([
      "text-shows-other-kind",
    ]);
    expect(checkLink("https://shop.example/", "mailto:orders@shop.example").reasons).toEqual([
      "text-shows-other-kind",
    ]);
    expect(checkLink("info@prodavnica.rs", "mailto:collect@harvest-data.com").reasons).toEqual([
      "text-shows-other-domain",
    ]);
  });
});

describe("checkLink: links that match their text, or whose text is plain words", () => {
  it.each([
    ["https://www.paypal.com/", "https://paypal.com/us/home"],
    ["github.com/pismo/pismo", "https://github.com/pismo/pismo"],
    ["WWW.EXAMPLE.COM", "http://www.example.com/"],
    ["https://почта.срб/", "https://xn--80a1acny.xn--90a3ac/"],
    ["bücher.de", "https://www.xn--bcher-kva.de/angebote"],
    ["info@prodavnica.rs", "mailto:info@prodavnica.rs?subject=Pitanje"],
    ["https://docs.example.org/guide.", "https://docs.example.org/guide"],
  ])("%s -> %s", (text, href) => {
    const result = checkLink(text, href);
    expect(result.differs).toBe(false);
    expect(result.alwaysAsk).toBe(false);
  });

  it.each([
    "Click here",
    "Kliknite ovde",
    "Кликните овде",
    "Hier klicken",
    "Cliquez ici",
    "Haga clic aquí",
    "ここをクリック",
    "Pročitaj više",
    "Abmelden",
    "setup.py",
    "README.md",
    "Node.js",
    "v2.3.1",
    "e.g.",
    "",
  ])("plain text %j never differs", (text) => {
    const result = checkLink(text, "https://click.tracking.example/ls/click?upn=abc");
    expect(result.differs).toBe(false);
    expect(result.shownHost).toBeNull();
  });

  it("relative, anchor and cid: hrefs have no host and never differ", () => {
    expect(checkLink("https://example.com", "#top")).toMatchObject({ differs: false, targetHost: null });
    expect(checkLink("logo", "cid:logo@mail")).toMatchObject({ differs: false, alwaysAsk: false });
  });
});

describe("checkLink: targets that are always shown", () => {
  it.each([
    ["http://192.168.1.1/admin", "192.168.1.1"],
    ["http://3232235777/", "192.168.1.1"],
    ["http://0xC0A80101/", "192.168.1.1"],
    ["http://0300.0250.1.1/", "192.168.1.1"],
    ["http://[2001:db8::1]/login", "[2001:db8::1]"],
  ])("an IP address: %s", (href, host) => {
    const result = checkLink("Prijavite se", href);
    expect(result).toMatchObject({
      differs: false,
      alwaysAsk: true,
      targetHost: host,
      reasons: ["ip-address"],
    });
  });

  it("a mixed-script host, in Unicode or punycode", () => {
    const result = checkLink("Sign in", "https://www.p\u0430ypal.com/");
    expect(result.reasons).toEqual(["lookalike-host"]);
    expect(result.targetHost).toBe("www.xn--pypal-4ve.com");
    expect(result.lookalike?.reason).toBe("mixed-scripts");
    expect(checkLink("Sign in", "https://xn--80ak6aa92e.com/").lookalike?.reason).toBe("latin-lookalike");
  });

  it("a user name hiding the host", () => {
    expect(checkLink("Log in", "https://www.bank.example@evil.example/").reasons).toEqual([
      "credentials-in-url",
    ]);
  });

  it("a plain single-script IDN is not always shown", () => {
    expect(checkLink("Prodavnica", "https://xn--80a1acny.xn--90a3ac/").alwaysAsk).toBe(false);
  });
});

describe("shownDestination", () => {
  it("reads URLs, domains and addresses out of their wrapping", () => {
    expect(shownDestination("«www.example.com»")).toEqual({ kind: "web", host: "www.example.com" });
    expect(shownDestination("(mailto:ana@example.net)")).toEqual({ kind: "mail", host: "example.net" });
    expect(shownDestination("example.com:8443/x")).toEqual({ kind: "web", host: "example.com" });
    expect(shownDestination("www.setup.py")).toEqual({ kind: "web", host: "www.setup.py" });
    expect(shownDestination("Visit example.com today")).toBeNull();
  });
});

describe("highlightUrl", () => {
  it("splits out the registrable domain", () => {
    expect(highlightUrl("https://login.paypal.com.verify.example/a?b=1")).toEqual({
      before: "https://login.paypal.com.",
      domain: "verify.example",
      after: "/a?b=1",
    });
    expect(highlightUrl("https://xn--80a1acny.xn--90a3ac/")).toEqual({
      before: "https://",
      domain: "почта.срб",
      after: "/",
    });
    expect(highlightUrl("https://www.xn--pypal-4ve.com/")?.domain).toBe("xn--pypal-4ve.com");
    expect(highlightUrl("https://user:pw@203.0.113.5:8080/x")).toEqual({
      before: "https://user:***@",
      domain: "203.0.113.5",
      after: ":8080/x",
    });
    expect(highlightUrl("mailto:a@b.example")).toBeNull();
  });
});
