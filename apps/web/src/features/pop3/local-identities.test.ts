// fake-indexeddb before Dexie loads: Dexie takes the IndexedDB it finds at import.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { defaultIdentitySettings, type IdentitySettings } from "@pismo/protocol/identities";
import { freshStore } from "./pop3-test-store";

// A POP3 account's identities live in this browser, and travel with the settings file.

const settings: IdentitySettings = {
  ...defaultIdentitySettings("sasa@pismo.test"),
  signaturePlacement: "above",
  identities: [
    {
      id: "primary",
      name: "Saša Đorđević",
      address: "sasa@pismo.test",
      replyTo: "",
      signature: { text: "Saša", html: "<b>Saša</b>" },
    },
  ],
};

describe("POP3 identities", () => {
  it("are kept in the account's database, and refused when they do not validate", async () => {
    const store = freshStore();
    expect(await store.identities()).toBeNull();
    await store.setIdentities(settings);
    expect(await store.identities()).toEqual(settings);
    const bad = { ...settings, identities: [{ ...settings.identities[0]!, address: "nope" }] };
    await expect(store.setIdentities(bad)).rejects.toThrow();
    expect(await store.identities()).toEqual(settings);
  });

  it("go out in the exported file and come back on another computer", async () => {
    const a = freshStore();
    await a.setIdentities(settings);
    const file = await a.exportSettings();
    expect(file.identities).toEqual(settings);

    const b = freshStore();
    const result = await b.importSettings(JSON.stringify(file));
    expect(result.ok).toBe(true);
    expect(await b.identities()).toEqual(settings);

    // An older file without identities leaves the ones here alone.
    const { identities: _dropped, ...older } = file;
    await b.importSettings(JSON.stringify(older));
    expect(await b.identities()).toEqual(settings);
  });
});
