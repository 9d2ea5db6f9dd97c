// @vitest-environment jsdom
import { act, createElement } from "react";
import { describe, expect, it } from "vitest";
import { reactInDom } from "@/test-support/react-dom";
import { defaultIdentitySettings } from "@pismo/protocol/identities";
import type { IdentitySettings } from "@pismo/protocol/identities";
import { i18n } from "@/i18n";
import { IdentitiesContext, type IdentitiesApi } from "../identities/identities-context";
import { ReadReceiptRequest, useReceiptToSend, type AskedReceipt } from "./read-receipt";

// The receipt goes as the identity the message was written to: until the identities are read
// (an IMAP account's come from its server when first needed), it cannot be sent.

const dom = reactInDom();

const asked: AskedReceipt = { to: ["ana@firma.example"], elsewhere: false };
const message = {
  to: [{ name: "", address: "prodaja@pismo.test" }],
  cc: [],
  subject: "Ugovor",
  messageId: "<1@firma.example>",
};
const withAlias: IdentitySettings = {
  ...defaultIdentitySettings("marko@pismo.test"),
  identities: [
    ...defaultIdentitySettings("marko@pismo.test").identities,
    {
      id: "sales",
      name: "Prodaja",
      address: "prodaja@pismo.test",
      replyTo: "",
      signature: { text: "", html: null },
    },
  ],
};

function show(api: IdentitiesApi) {
  const sent: unknown[] = [];
  function View() {
    const receipt = useReceiptToSend(message);
    return createElement(ReadReceiptRequest, {
      asked,
      ready: receipt.ready,
      answer: async (send: boolean) => {
        if (send) sent.push(receipt.receiptFor(asked));
      },
    });
  }
  dom.mount(createElement(IdentitiesContext.Provider, { value: api }, createElement(View)));
  return sent;
}

const api = (settings: IdentitySettings, loaded: boolean): IdentitiesApi => ({
  settings,
  loaded,
  saved: loaded,
  need: () => {},
  refresh: () => {},
  save: () => Promise.resolve(),
});

const sendButton = () =>
  [...document.querySelectorAll("button")].find((b) => b.textContent === i18n.t("readReceipt.send"));

describe("Send receipt", () => {
  it("waits while the identities are not read: it would go from the account's own address", () => {
    show(api(defaultIdentitySettings("marko@pismo.test"), false));
    expect(sendButton()?.disabled).toBe(true);
  });

  it("once read, goes from the identity the message was written to", async () => {
    const sent = show(api(withAlias, true));
    expect(sendButton()?.disabled).toBe(false);
    await act(async () => sendButton()?.click());
    expect(sent).toEqual([
      expect.objectContaining({ from: expect.objectContaining({ address: "prodaja@pismo.test" }) }),
    ]);
  });
});
