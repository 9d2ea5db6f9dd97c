import { describe, expect, it } from "vitest";
import {
  defaultIdentitySettings,
  htmlSignatureBlock,
  parseIdentitySettings,
  pickReplyIdentity,
  plainSignatureBlock,
  replyToOf,
  restoreSignatureSeparator,
  swapPlainSignature,
  senderOf,
  signHtmlBody,
  signPlainBody,
  type Identity,
} from "./index";
import { parseSettingsFile } from "../filters";

const identity = (id: string, address: string, name = ""): Identity => ({
  id,
  name,
  address,
  replyTo: "",
  signature: { text: "", html: null },
});

const home = identity("primary", "sasa@pismo.test", "Saša Đorđević");
const work = identity("work", "sasa.djordjevic@firma.test", "Saša (posao)");
const list = identity("list", "Lista@Pismo.test");

describe("pickReplyIdentity", () => {
  it("answers from the address the message was sent to", () => {
    const msg = { to: [{ name: "", address: "SASA.DJORDJEVIC@firma.test" }], cc: [] };
    expect(pickReplyIdentity([home, work], msg)).toBe(work);
  });

  it("looks at To before Cc, and at Cc when To has none of the user's addresses", () => {
    expect(
      pickReplyIdentity([home, work, list], {
        to: [{ name: "", address: "someone@else.test" }],
        cc: [{ name: "", address: "lista@pismo.test" }],
      }),
    ).toBe(list);
    expect(
      pickReplyIdentity([home, work], {
        to: [{ name: "", address: "sasa@pismo.test" }],
        cc: [{ name: "", address: "sasa.djordjevic@firma.test" }],
      }),
    ).toBe(home);
  });

  it("uses the delivery address for Bcc'd mail, else the default identity", () => {
    const bcc = {
      to: [{ name: "", address: "x@y.test" }],
      cc: [],
      deliveredTo: ["sasa.djordjevic@firma.test"],
    };
    expect(pickReplyIdentity([home, work], bcc)).toBe(work);
    expect(pickReplyIdentity([home, work], { to: [{ name: "", address: "x@y.test" }], cc: [] })).toBe(home);
    expect(pickReplyIdentity([], { to: [], cc: [] })).toBeNull();
  });
});

describe("signature blocks", () => {
  it("puts the RFC 3676 separator (dash dash space) before a plain signature, once", () => {
    expect(plainSignatureBlock({ text: "Saša\nPismo d.o.o.\n\n", html: null })).toBe(
      "-- \nSaša\nPismo d.o.o.",
    );
    expect(plainSignatureBlock({ text: "-- \nSaša", html: null })).toBe("-- \nSaša");
    expect(plainSignatureBlock({ text: "  \n", html: null })).toBe("");
  });

  it("sanitizes a rich signature and escapes a plain one made into HTML", () => {
    const seen: string[] = [];
    const sanitize = (html: string) => {
      seen.push(html);
      return html.replace(/<script[\s\S]*?<\/script>/g, "");
    };
    expect(htmlSignatureBlock({ text: "x", html: "<b>Saša</b><script>alert(1)</script>" }, sanitize)).toBe(
      '<div data-signature="">-- <br><b>Saša</b></div>',
    );
    expect(seen).toHaveLength(1);
    expect(htmlSignatureBlock({ text: "<Saša>\nline 2", html: null }, sanitize)).toBe(
      '<div data-signature="">-- <br>&lt;Saša&gt;<br>line 2</div>',
    );
    expect(htmlSignatureBlock({ text: "", html: "  " }, sanitize)).toBe("");
  });
});

describe("swapPlainSignature", () => {
  const ana = "-- \nAna";
  const tim = "-- \nTim podrške";
  it("puts the new sender's block where the old one stands, the last time", () => {
    expect(swapPlainSignature(`Zdravo.\n\n${ana}\n`, ana, tim)).toBe(`Zdravo.\n\n${tim}\n`);
    expect(swapPlainSignature(`${ana}\nx\n${ana}`, ana, "")).toBe(`${ana}\nx\n`);
  });
  it("puts none back where the writer deleted it; adds one where there was none, where a message starts with it", () => {
    expect(swapPlainSignature("Bez potpisa.", ana, tim)).toBe("Bez potpisa.");
    expect(swapPlainSignature("Tekst\n\n", "", tim)).toBe(`Tekst\n\n${tim}\n`);
    // A reply: below the quote, or above it and its attribution, below what was written.
    const reply = "Odgovor\n\nOn Monday Ana wrote:\n> citat\n> > stariji\n";
    expect(swapPlainSignature(reply, "", tim)).toBe(`${reply.trimEnd()}\n\n${tim}\n`);
    expect(swapPlainSignature(reply, "", tim, "below")).toBe(`${reply.trimEnd()}\n\n${tim}\n`);
    expect(swapPlainSignature(reply, "", tim, "above")).toBe(
      `Odgovor\n\n${tim}\n\nOn Monday Ana wrote:\n> citat\n> > stariji\n`,
    );
    // Nothing written yet, and a quote with no attribution line above it.
    expect(swapPlainSignature("\n\nOn Monday Ana wrote:\n> hello\n", "", tim, "above")).toBe(
      `\n\n${tim}\n\nOn Monday Ana wrote:\n> hello\n`,
    );
    expect(swapPlainSignature("Da.\n\n> hello\n", "", tim, "above")).toBe(`Da.\n\n${tim}\n\n> hello\n`);
    expect(swapPlainSignature("> hello\n", "", tim, "above")).toBe(`\n\n${tim}\n\n> hello\n`);
    // The writer's own ">" line above the reply's quote is theirs: the signature goes below it.
    expect(
      swapPlainSignature("Hi,\n> your point\nanswer\n\nAna wrote:\n> your point\n", "", tim, "above"),
    ).toBe(`Hi,\n> your point\nanswer\n\n${tim}\n\nAna wrote:\n> your point\n`);
    // No quote at the end (a forward): at the end.
    expect(swapPlainSignature("Fwd\n\n---- Forwarded ----\n> inside\nend", "", tim, "above")).toBe(
      `Fwd\n\n---- Forwarded ----\n> inside\nend\n\n${tim}\n`,
    );
  });
});

describe("signed starting bodies", () => {
  const quote = "\n\nOn Monday Ana wrote:\n> hello\n";
  it("new mail: the signature after the empty lines the user writes on", () => {
    expect(signPlainBody("", "-- \nS", "above")).toBe("\n\n-- \nS\n");
    expect(signHtmlBody("", "<div>S</div>", "below")).toBe("<p><br></p><div>S</div>");
  });

  it("a reply: above or below the quote, as chosen", () => {
    expect(signPlainBody(quote, "-- \nS", "above")).toBe("\n\n-- \nS\n\n\nOn Monday Ana wrote:\n> hello\n");
    expect(signPlainBody(quote, "-- \nS", "below")).toBe("\n\nOn Monday Ana wrote:\n> hello\n\n-- \nS\n");
    const html = "<p><br></p><p>On Monday</p><blockquote>hi</blockquote>";
    expect(signHtmlBody(html, "<div>S</div>", "above")).toBe(
      "<p><br></p><div>S</div><p>On Monday</p><blockquote>hi</blockquote>",
    );
    expect(signHtmlBody(html, "<div>S</div>", "below")).toBe(
      "<p><br></p><p>On Monday</p><blockquote>hi</blockquote><div>S</div>",
    );
  });

  it("gives the separator its space back in a rich message's plain text", () => {
    expect(restoreSignatureSeparator("Hi\n\n--\nSaša")).toBe("Hi\n\n-- \nSaša");
    expect(restoreSignatureSeparator("Hi\n--\u00a0\nSaša")).toBe("Hi\n-- \nSaša");
    expect(restoreSignatureSeparator("> --\n---\nno")).toBe("> --\n---\nno");
  });

  it("no signature leaves the body alone", () => {
    expect(signPlainBody(quote, "", "above")).toBe(quote);
    expect(signHtmlBody("<p>x</p>", "", "below")).toBe("<p>x</p>");
  });
});

describe("identity settings", () => {
  it("round-trips valid settings and refuses bad ones with the reason", () => {
    const s = { ...defaultIdentitySettings("sasa@pismo.test"), identities: [home, work] };
    expect(parseIdentitySettings(JSON.stringify(s))).toEqual({ ok: true, settings: s });
    expect(parseIdentitySettings("{not json")).toEqual({
      ok: false,
      error: "The identities are not valid JSON.",
    });
    const bad = parseIdentitySettings({ ...s, identities: [{ ...home, address: "not an address" }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain("identities.0.address");
    const dupes = parseIdentitySettings({ ...s, identities: [home, home] });
    expect(dupes.ok).toBe(false);
    const injected = parseIdentitySettings({ ...s, identities: [{ ...home, name: "A\r\nBcc: x@y.test" }] });
    expect(injected.ok).toBe(false);
  });

  it("gives From and Reply-To as they go on the wire", () => {
    expect(senderOf({ name: " Saša Đorđević ", address: "sasa@pismo.test" })).toEqual({
      name: "Saša Đorđević",
      address: "sasa@pismo.test",
    });
    expect(replyToOf({ replyTo: "" })).toEqual([]);
    expect(replyToOf({ replyTo: "team@pismo.test" })).toEqual([{ name: "", address: "team@pismo.test" }]);
  });

  it("travels in the POP3 settings file, and an older file without it still reads", () => {
    const base = { version: 1, policy: {}, folders: [], filters: [] };
    const identities = { ...defaultIdentitySettings("a@pismo.test"), identities: [home] };
    const withIds = parseSettingsFile({ ...base, identities });
    expect(withIds.ok && withIds.settings.identities).toEqual(identities);
    const older = parseSettingsFile(base);
    expect(older.ok && older.settings.identities).toBeUndefined();
    const bad = parseSettingsFile({ ...base, identities: { ...identities, version: 2 } });
    expect(bad.ok).toBe(false);
  });
});
