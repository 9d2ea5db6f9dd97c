import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { i18n } from "@/i18n";
import { SenderStatus, checksSenderUnasked, selfCheckPlan } from "./sender-trust";

// The real catalogs, shown in the translator's current language (the hook's store
// subscription has no server snapshot to render from).
vi.mock("@/i18n/react", async () => {
  const { i18n: translator } = await import("@/i18n");
  return { useTranslation: () => ({ t: translator.getFixedT(translator.language), i18n: translator }) };
});

// Which senders Pismo checks by itself when a message is opened (its DNS lookups tell the
// sender's domain when), and which wait for "Check sender".

function memoryStorage(entries: Record<string, string>): Storage {
  const data = new Map(Object.entries(entries));
  return {
    get length() {
      return data.size;
    },
    key: (i) => [...data.keys()][i] ?? null,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
    clear: () => data.clear(),
  };
}

describe("checksSenderUnasked", () => {
  beforeEach(() => {
    vi.stubGlobal(
      "localStorage",
      memoryStorage({
        // "Always show remote content from this sender" (lib/remote-content.ts).
        "pismo.remote-allowed": JSON.stringify(["vesti@novosti.example"]),
        // The people written to from this browser (compose's recent-addresses.ts).
        "pismo.recipients": JSON.stringify([{ name: "Marija", address: "Marija@Firma.example" }]),
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("a sender whose remote content is always shown, or one the user wrote to: checked at once", () => {
    expect(checksSenderUnasked("vesti@novosti.example")).toBe(true);
    expect(checksSenderUnasked("marija@firma.example")).toBe(true);
    expect(checksSenderUnasked(" MARIJA@firma.example")).toBe(true);
  });

  it("anyone else, another address of a known domain included: only when asked", () => {
    expect(checksSenderUnasked("tracker@evil.example")).toBe(false);
    expect(checksSenderUnasked("someone-else@firma.example")).toBe(false);
    expect(checksSenderUnasked(undefined)).toBe(false);
    expect(checksSenderUnasked("")).toBe(false);
  });

  it("someone written to since: checked at once from then on (the list is read again when it changed)", () => {
    expect(checksSenderUnasked("petar@firma.example")).toBe(false);
    localStorage.setItem(
      "pismo.recipients",
      JSON.stringify([
        { name: "Petar", address: "petar@firma.example" },
        { name: "Marija", address: "marija@firma.example" },
      ]),
    );
    expect(checksSenderUnasked("petar@firma.example")).toBe(true);
    localStorage.removeItem("pismo.recipients");
    expect(checksSenderUnasked("petar@firma.example")).toBe(false);
  });

  it("nothing stored (or unreadable): nobody is checked unasked", () => {
    vi.stubGlobal("localStorage", memoryStorage({ "pismo.recipients": "{broken" }));
    expect(checksSenderUnasked("marija@firma.example")).toBe(false);
  });
});

describe("selfCheckPlan", () => {
  const signed = { selfCheck: true, unasked: false, asked: false, standby: false };

  it("a stranger's signed message: nothing is asked of the gateway, 'Check sender' is offered", () => {
    expect(selfCheckPlan(signed)).toEqual({ run: false, offer: true });
  });

  it("asked for, or from a trusted sender: the check runs, with no button", () => {
    expect(selfCheckPlan({ ...signed, asked: true })).toEqual({ run: true, offer: false });
    expect(selfCheckPlan({ ...signed, unasked: true })).toEqual({ run: true, offer: false });
  });

  it("nothing to check, or a neighbour out of sight: neither", () => {
    expect(selfCheckPlan({ ...signed, selfCheck: false, unasked: true })).toEqual({
      run: false,
      offer: false,
    });
    expect(selfCheckPlan({ ...signed, standby: true })).toEqual({ run: false, offer: false });
    expect(selfCheckPlan({ ...signed, unasked: true, standby: true })).toEqual({ run: false, offer: false });
  });
});

describe("SenderStatus", () => {
  const render = (check?: () => void) =>
    renderToStaticMarkup(
      createElement(SenderStatus, {
        trust: { verdict: null, pending: false, warnings: [], ...(check ? { check } : {}) },
      }),
    );

  afterEach(async () => {
    await i18n.changeLanguage("en");
  });

  it("offers 'Check sender' (Serbian: 'Proveri pošiljaoca') while the check waits to be asked", async () => {
    await i18n.changeLanguage("en");
    expect(render(() => undefined)).toMatch(/<button type="button"[^>]*>Check sender<\/button>/);
    await i18n.changeLanguage("sr");
    expect(render(() => undefined)).toMatch(/<button type="button"[^>]*>Proveri pošiljaoca<\/button>/);
  });

  it("shows nothing where there is nothing to check", async () => {
    await i18n.changeLanguage("en");
    expect(render()).toBe("");
  });
});
