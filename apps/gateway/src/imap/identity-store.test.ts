import { describe, expect, it } from "vitest";
import { isMailError } from "@pismo/protocol/errors";
import {
  NO_IDENTITIES_VERSION,
  defaultIdentitySettings,
  identitySettingsSchema,
  type IdentitySettings,
} from "@pismo/protocol/identities";
import { ImapIdentityStore, type IdentitiesDocument } from "./identity-store";

// The version check against a document kept in memory as ImapSettingsEntry keeps it (validated
// JSON text); the same against a real Dovecot, METADATA and settings message, is in
// test/identities.test.ts.

function memoryDocument(): IdentitiesDocument & { json: string | null; saves: number } {
  const doc = {
    json: null as string | null,
    saves: 0,
    read: () =>
      Promise.resolve({
        value: doc.json === null ? null : identitySettingsSchema.parse(JSON.parse(doc.json)),
        storage: "metadata" as const,
      }),
    save: (value: IdentitySettings) => {
      doc.saves += 1;
      doc.json = JSON.stringify(identitySettingsSchema.parse(value));
      return Promise.resolve({ storage: "metadata" as const });
    },
  };
  return doc;
}

const base = defaultIdentitySettings("me@x.rs");
const withWork: IdentitySettings = {
  ...base,
  identities: [
    ...base.identities,
    { id: "work", name: "Posao", address: "me@firma.rs", replyTo: "", signature: { text: "", html: null } },
  ],
};

async function refusal(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (e) {
    return e;
  }
  throw new Error("not refused");
}

describe("ImapIdentityStore: a save is of what the page was shown", () => {
  it("refuses a device's save over identities another device saved since it read them (review C2)", async () => {
    const doc = memoryDocument();
    const store = new ImapIdentityStore(doc);
    expect(await store.read()).toEqual({
      settings: null,
      storage: "metadata",
      version: NO_IDENTITIES_VERSION,
    });
    await store.save(base, { version: NO_IDENTITIES_VERSION });

    // The laptop reads them; the phone then adds an identity.
    const laptop = await store.read();
    const phone = await store.read();
    const added = await store.save(withWork, { version: phone.version });
    expect(added.version).not.toBe(laptop.version);

    // The laptop, still showing what it read, changes the signature.
    const stale: IdentitySettings = {
      ...base,
      identities: [{ ...base.identities[0]!, signature: { text: "Laptop", html: null } }],
    };
    const error = await refusal(() => store.save(stale, { version: laptop.version }));
    expect(isMailError(error) && error.code).toBe("CHANGED");
    expect((error as Error).message).toMatch(/changed on another device/);
    // Nothing was written: the phone's identity is still there.
    expect(doc.saves).toBe(2);
    const now = await store.read();
    expect(now.settings?.identities.map((i) => i.id)).toEqual(["primary", "work"]);
    expect(now.version).toBe(added.version);

    // Made again over what is there now, it is saved, the phone's identity with it.
    const again = { ...withWork, identities: [stale.identities[0]!, withWork.identities[1]!] };
    const saved = await store.save(again, { version: now.version });
    expect((await store.read()).settings).toEqual(again);
    expect(saved.version).toBe((await store.read()).version);
  });

  it("refuses a save from a page that read none once some were saved", async () => {
    const doc = memoryDocument();
    const store = new ImapIdentityStore(doc);
    await store.save(withWork, { version: NO_IDENTITIES_VERSION });
    const error = await refusal(() => store.save(base, { version: NO_IDENTITIES_VERSION }));
    expect(isMailError(error) && error.code).toBe("CHANGED");
    expect((await store.read()).settings).toEqual(withWork);
  });

  it("answers the version of what it stored, as read back (addresses trimmed)", async () => {
    const store = new ImapIdentityStore(memoryDocument());
    const untrimmed = {
      ...withWork,
      identities: [withWork.identities[0]!, { ...withWork.identities[1]!, address: " me@firma.rs " }],
    };
    const saved = await store.save(untrimmed);
    expect(saved.version).toBe((await store.read()).version);
    // A second save with it is of what the page was shown.
    await expect(store.save(base, { version: saved.version })).resolves.toMatchObject({
      storage: "metadata",
    });
  });

  it("writes as before for a page that sends no version", async () => {
    const doc = memoryDocument();
    const store = new ImapIdentityStore(doc);
    await store.save(withWork);
    await store.save(base);
    expect((await store.read()).settings).toEqual(base);
  });

  it("compares and writes one save at a time: of two from one read, the second is refused", async () => {
    const store = new ImapIdentityStore(memoryDocument());
    const { version } = await store.read();
    const results = await Promise.allSettled([
      store.save(withWork, { version }),
      store.save(base, { version }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect((await store.read()).settings).toEqual(withWork);
  });
});
