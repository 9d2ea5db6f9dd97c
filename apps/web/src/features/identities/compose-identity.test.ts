import { describe, expect, it } from "vitest";
import { defaultIdentitySettings, type IdentitySettings } from "@pismo/protocol/identities";
import { emptyDraft } from "@pismo/protocol/compose";
import { fieldsFromDraft, type ComposeFields, type ComposeSource } from "../compose/initial-draft";
import { draftSender, draftText, reopenedIdentity, signedStart } from "./compose-identity";

const settings: IdentitySettings = {
  version: 1,
  signaturePlacement: "below",
  identities: [
    {
      id: "primary",
      name: "Saša Đorđević",
      address: "sasa@pismo.test",
      replyTo: "",
      signature: { text: "Saša", html: null },
    },
    {
      id: "work",
      name: "Saša (posao)",
      address: "sasa@firma.test",
      replyTo: "office@firma.test",
      signature: { text: "Posao", html: "<b>Posao</b>" },
    },
  ],
};

const blank: ComposeFields = fieldsFromDraft(emptyDraft(), true);

const source = (to: string): ComposeSource => ({
  origin: "local",
  messageId: "<m@x>",
  references: [],
  subject: "Pitanje",
  from: { name: "Ana", address: "ana@x.test" },
  replyTo: [],
  to: [{ name: "", address: to }],
  cc: [],
  date: null,
  body: { kind: "text", content: "hello" },
  attachments: [],
  files: [],
  answering: null,
});

const sanitize = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, "");

describe("compose starts from an identity", () => {
  it("new mail: the default identity, its signature after the lines the user writes on", () => {
    let me = "";
    const f = signedStart(settings, null, (m) => ((me = m), blank), sanitize);
    expect(me).toBe("sasa@pismo.test");
    expect(f.fromId).toBe("primary");
    expect(f.text).toBe("\n\n-- \nSaša\n");
    expect(f.html).toBe('<p><br></p><div data-signature="">-- <br>Saša</div>');
  });

  it("a reply: the identity the message was sent to, signed below the quote as chosen", () => {
    let me = "";
    const quoted = {
      ...blank,
      text: "\n\nAna wrote:\n> hello\n",
      html: "<p><br></p><blockquote>hello</blockquote>",
    };
    const f = signedStart(settings, source("SASA@firma.test"), (m) => ((me = m), quoted), sanitize);
    expect(me).toBe("sasa@firma.test");
    expect(f.fromId).toBe("work");
    expect(f.text).toBe("\n\nAna wrote:\n> hello\n\n-- \nPosao\n");
    expect(f.html).toBe(
      '<p><br></p><blockquote>hello</blockquote><div data-signature="">-- <br><b>Posao</b></div>',
    );
  });

  it("sends From and Reply-To of the identity chosen, and nothing for an unknown one", () => {
    expect(draftSender({ ...blank, fromId: "work" }, settings)).toEqual({
      from: { name: "Saša (posao)", address: "sasa@firma.test" },
      replyTo: [{ name: "", address: "office@firma.test" }],
    });
    expect(draftSender({ ...blank, fromId: "primary" }, settings)).toEqual({
      from: { name: "Saša Đorđević", address: "sasa@pismo.test" },
    });
    expect(draftSender({ ...blank, fromId: "gone" }, settings)).toEqual({});
    expect(draftSender(blank, defaultIdentitySettings("a@b.test"))).toEqual({});
  });

  it("restores the separator's space in a rich message's plain text only", () => {
    expect(draftText({ ...blank, rich: true, text: "Hi\n\n--\nSaša" })).toBe("Hi\n\n-- \nSaša");
    expect(draftText({ ...blank, rich: false, text: "Hi\n--\nx" })).toBe("Hi\n--\nx");
  });

  it("a draft reopened from the server keeps the identity it was written as", () => {
    expect(reopenedIdentity({ address: "SASA@firma.test" }, settings)).toEqual({ fromId: "work" });
    expect(reopenedIdentity({ address: "old@gone.test" }, settings)).toEqual({});
    expect(reopenedIdentity(null, settings)).toEqual({});
  });
});
