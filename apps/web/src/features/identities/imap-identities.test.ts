import { afterEach, describe, expect, it } from "vitest";
import { QueryClient, QueryObserver, focusManager } from "@tanstack/react-query";
import { MailError } from "@pismo/protocol/errors";
import {
  NO_IDENTITIES_VERSION,
  defaultIdentitySettings,
  type IdentitySettings,
} from "@pismo/protocol/identities";
import { IDENTITIES_QUERY, saveStoredIdentities, type StoredIdentities } from "./imap-identities";

// The page's side of review C2, with a QueryClient set up as trpc/connection.tsx sets the app's
// and a gateway kept in memory; the gateway's own check is in apps/gateway (identity-store).

const KEY = ["identities", "get"];

/** The app's client: other queries are not read again on focus. */
function appClient(): QueryClient {
  const qc = new QueryClient({
    defaultOptions: { queries: { staleTime: 60_000, retry: 1, refetchOnWindowFocus: false } },
  });
  qc.mount();
  return qc;
}

function memoryGateway(settings: IdentitySettings | null) {
  let n = 0;
  const state = {
    stored: {
      settings,
      storage: "metadata",
      version: settings ? "v0" : NO_IDENTITIES_VERSION,
    } as StoredIdentities,
    reads: 0,
    saves: 0,
  };
  return {
    state,
    get: () => {
      state.reads += 1;
      return Promise.resolve(structuredClone(state.stored));
    },
    // As the gateway does: refused unless the page's version is what is stored now.
    save: (input: { settings: IdentitySettings; version: string }) => {
      if (input.version !== state.stored.version) return Promise.reject(new MailError("CHANGED"));
      state.saves += 1;
      state.stored = { settings: input.settings, storage: "metadata", version: `v${++n}` };
      return Promise.resolve({ storage: state.stored.storage, version: state.stored.version });
    },
  };
}

/** The identities query as the provider has it, showing while the test runs. */
async function shown(qc: QueryClient, gateway: ReturnType<typeof memoryGateway>) {
  const observer = new QueryObserver(qc, { queryKey: KEY, queryFn: gateway.get, ...IDENTITIES_QUERY });
  const stop = observer.subscribe(() => undefined);
  await qc.refetchQueries({ queryKey: KEY });
  return { observer, stop };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const mine = defaultIdentitySettings("me@x.rs");
const withWork: IdentitySettings = {
  ...mine,
  identities: [
    ...mine.identities,
    { id: "work", name: "", address: "me@firma.rs", replyTo: "", signature: { text: "", html: null } },
  ],
};
const signed: IdentitySettings = {
  ...mine,
  identities: [{ ...mine.identities[0]!, signature: { text: "Laptop", html: null } }],
};

afterEach(() => {
  focusManager.setFocused(undefined);
});

describe("IMAP identities in the page", () => {
  it("are read again when the tab is back in view, though the app's client reads nothing else then", async () => {
    const qc = appClient();
    const gateway = memoryGateway(mine);
    const { stop } = await shown(qc, gateway);
    let others = 0;
    const other = new QueryObserver(qc, {
      queryKey: ["other"],
      queryFn: () => Promise.resolve(++others),
      staleTime: 0,
    });
    const stopOther = other.subscribe(() => undefined);
    await settle();
    expect([gateway.state.reads, others]).toEqual([1, 1]);

    // Another device adds an identity; this tab is hidden, then shown again.
    gateway.state.stored = { settings: withWork, storage: "metadata", version: "v9" };
    focusManager.setFocused(false);
    focusManager.setFocused(true);
    await settle();
    expect([gateway.state.reads, others]).toEqual([2, 1]);
    expect(qc.getQueryData<StoredIdentities>(KEY)?.settings).toEqual(withWork);
    stop();
    stopOther();
    qc.unmount();
  });

  it("a save from stale identities is refused, and the page then shows the stored ones (review C2)", async () => {
    const qc = appClient();
    const gateway = memoryGateway(mine);
    const { stop } = await shown(qc, gateway);
    const seen = qc.getQueryData<StoredIdentities>(KEY);
    // The phone adds an identity after this page read them.
    await gateway.save({ settings: withWork, version: "v0" });

    await expect(saveStoredIdentities(qc, KEY, gateway.save, signed, seen)).rejects.toMatchObject({
      code: "CHANGED",
    });
    // Nothing was written over the phone's; the page shows what is stored now, ready for the
    // change to be made again, which is then saved with the phone's identity kept.
    expect(gateway.state.stored.settings).toEqual(withWork);
    const now = qc.getQueryData<StoredIdentities>(KEY);
    expect(now?.settings).toEqual(withWork);
    const again = { ...withWork, identities: [signed.identities[0]!, withWork.identities[1]!] };
    await saveStoredIdentities(qc, KEY, gateway.save, again, now);
    expect(gateway.state.stored.settings).toEqual(again);
    stop();
    qc.unmount();
  });

  it("a saved change becomes what the page shows, with the version to save the next one from", async () => {
    const qc = appClient();
    const gateway = memoryGateway(null);
    const { stop } = await shown(qc, gateway);
    await saveStoredIdentities(qc, KEY, gateway.save, mine, qc.getQueryData<StoredIdentities>(KEY));
    await saveStoredIdentities(qc, KEY, gateway.save, signed, qc.getQueryData<StoredIdentities>(KEY));
    expect(gateway.state.saves).toBe(2);
    expect(qc.getQueryData<StoredIdentities>(KEY)).toEqual(gateway.state.stored);
    expect(gateway.state.reads).toBe(1);
    stop();
    qc.unmount();
  });

  it("a page that read nothing saves as over none: refused once another device saved some", async () => {
    const qc = appClient();
    const gateway = memoryGateway(withWork);
    await expect(saveStoredIdentities(qc, KEY, gateway.save, mine, undefined)).rejects.toMatchObject({
      code: "CHANGED",
    });
    expect(gateway.state.stored.settings).toEqual(withWork);
    qc.unmount();
  });
});
