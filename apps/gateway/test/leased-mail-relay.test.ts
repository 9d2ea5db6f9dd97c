import { describe, expect, it } from "vitest";
import type { MailEvent } from "@pismo/protocol/schemas";
import { LeasedMail } from "../src/cluster/leased-mail";
import { EventHub } from "../src/imap/event-hub";
import type { ImapSession } from "../src/imap/imap-session";
import { createLogger } from "../src/log";

// LeasedMail's part of a session shared by gateways, with a stand-in for the IMAP connection:
// what is relayed to the other gateways, what is not, and when a page's listening opens IDLE.

function fakeImap() {
  const hub = new EventHub<MailEvent>();
  const fake = {
    hub,
    started: 0,
    closed: 0,
    watched: [] as string[],
    start: async () => {
      fake.started += 1;
    },
    close: async () => {
      fake.closed += 1;
    },
    watch: async (folder: string) => {
      fake.watched.push(folder);
      fake.context.watched = folder;
    },
    // The connection's own watch, as a rename of a folder above the watched one moves it.
    context: { watched: "INBOX" },
    renameFolder: async (path: string, newName: string) => {
      const w = fake.context.watched;
      if (w === path || w.startsWith(`${path}/`)) fake.context.watched = newName + w.slice(path.length);
      return newName;
    },
    events: (signal: AbortSignal) => hub.subscribe(signal, { type: "connection", state: "live" }),
    whenSignInRefused: () => undefined,
    heard: () => undefined,
  };
  return fake;
}

function setup(opts: { heldElsewhere: boolean }) {
  const imaps: Array<ReturnType<typeof fakeImap>> = [];
  const relayed: MailEvent[] = [];
  let leases = 0;
  const state = { heldElsewhere: opts.heldElsewhere };
  const mail = new LeasedMail({
    create: () => {
      const imap = fakeImap();
      imaps.push(imap);
      return imap as unknown as ImapSession;
    },
    takeLease: async () => {
      leases += 1;
      state.heldElsewhere = false;
    },
    announce: () => undefined,
    log: createLogger("silent"),
  });
  mail.link({ heldElsewhere: async () => state.heldElsewhere, relay: (e) => relayed.push(e) });
  const abort = new AbortController();
  const heard: MailEvent[] = [];
  void (async () => {
    for await (const e of mail.events(abort.signal)) heard.push(e);
  })();
  return { mail, imaps, relayed, heard, abort, state, leases: () => leases };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("LeasedMail on a gateway that shares the session", () => {
  it("does not take the connection for a page that only listens, and passes on what the holder relays", async () => {
    const t = setup({ heldElsewhere: true });
    await tick();
    expect(t.imaps).toHaveLength(0);
    expect(t.leases()).toBe(0);
    t.mail.relayed({ type: "exists", folder: "INBOX", total: 2 });
    await tick();
    expect(t.heard).toEqual([{ type: "exists", folder: "INBOX", total: 2 }]);
    t.abort.abort();
  });

  it("relays its own connection's events once, says live here only when it took the connection over", async () => {
    const t = setup({ heldElsewhere: true });
    await tick();
    await t.mail.watch("INBOX");
    expect(t.leases()).toBe(1);
    const imap = t.imaps[0]!;
    // Watched before the lease was taken: the old holder relays until this one hears IDLE.
    expect(imap.watched).toEqual(["INBOX", "INBOX"]);
    await tick();
    expect(t.heard).toEqual([{ type: "connection", state: "live" }]);
    expect(t.relayed).toEqual([]);

    imap.hub.publish({ type: "exists", folder: "INBOX", total: 3 });
    // The old holder's last words, heard while this gateway holds a connection of its own.
    t.mail.relayed({ type: "exists", folder: "INBOX", total: 3 });
    await tick();
    expect(t.heard.slice(1)).toEqual([{ type: "exists", folder: "INBOX", total: 3 }]);
    expect(t.relayed).toEqual([{ type: "exists", folder: "INBOX", total: 3 }]);

    // Let go of (another gateway took it): its pages hear the new holder through the relay.
    await t.mail.letGo();
    expect(imap.closed).toBe(1);
    t.mail.relayed({ type: "expunge", folder: "INBOX", uid: 3 });
    await tick();
    expect(t.heard.at(-1)).toEqual({ type: "expunge", folder: "INBOX", uid: 3 });
    t.abort.abort();
  });

  /** A LeasedMail whose lease is taken by `takeLease` (told the mail, and where the lease is). */
  function opening(takeLease: (mail: LeasedMail, lease: { elsewhere: boolean }) => Promise<void>) {
    const imaps: Array<ReturnType<typeof fakeImap>> = [];
    const lease = { elsewhere: false };
    const mail: LeasedMail = new LeasedMail({
      create: () => {
        const imap = fakeImap();
        imaps.push(imap);
        return imap as unknown as ImapSession;
      },
      takeLease: () => takeLease(mail, lease),
      announce: () => undefined,
      log: createLogger("silent"),
    });
    mail.link({ heldElsewhere: async () => lease.elsewhere, relay: () => undefined });
    return { mail, imaps };
  }

  it("lets go of a connection it was opening when another gateway took the lease meanwhile, after answering the call", async () => {
    const grace = LeasedMail.handOverGraceMs;
    LeasedMail.handOverGraceMs = 10;
    // The lease is written here, then another gateway takes it and says so, before this
    // gateway's word to the previous holder has gone out.
    const { mail, imaps } = opening(async (mail, lease) => {
      lease.elsewhere = true;
      await mail.letGo({ handedOver: true });
    });
    try {
      await mail.watch("INBOX");
      expect(imaps[0]?.watched).toEqual(["INBOX", "INBOX"]);
      await tick();
      expect(imaps[0]?.closed).toBe(1);
      expect(mail.held).toBe(false);
    } finally {
      LeasedMail.handOverGraceMs = grace;
    }
  });

  it("keeps a connection it was opening when it was told to let go before it took the lease", async () => {
    // Told to let go (the other gateway's older word), then the lease is written here.
    const { mail, imaps } = opening(async (mail, lease) => {
      lease.elsewhere = true;
      await mail.letGo({ handedOver: true });
      lease.elsewhere = false;
    });
    await mail.watch("INBOX");
    await tick();
    expect(imaps[0]?.closed).toBe(0);
    expect(mail.held).toBe(true);
    await mail.close();
  });

  it("a connection opened again watches the folder where a rename above it moved it, not its old path", async () => {
    const t = setup({ heldElsewhere: false });
    await t.mail.watch("Posao/2026");
    await t.mail.renameFolder("Posao", "Rad");
    await t.mail.letGo();
    // The holder is gone again: this gateway opens a new connection for its listening pages.
    await t.mail.keepListened();
    expect(t.imaps).toHaveLength(2);
    expect(t.imaps[1]!.watched).toEqual(["Rad/2026"]);

    // The connection on the Inbox for a moment (its folder would not open): another folder's
    // rename does not make the Inbox the folder asked for.
    t.imaps[1]!.context.watched = "INBOX";
    await t.mail.renameFolder("Drugo", "Treće");
    await t.mail.letGo();
    await t.mail.keepListened();
    expect(t.imaps[2]!.watched).toEqual(["Rad/2026"]);
    t.abort.abort();
  });

  it("opens the connection when the holder is gone and pages listen here", async () => {
    const t = setup({ heldElsewhere: true });
    await tick();
    await t.mail.keepListened();
    expect(t.imaps).toHaveLength(0);
    t.state.heldElsewhere = false;
    await t.mail.keepListened();
    expect(t.imaps).toHaveLength(1);
    expect(t.mail.held).toBe(true);
    await tick();
    expect(t.heard).toEqual([{ type: "connection", state: "live" }]);
    t.abort.abort();
  });

  it("a server that refuses the connection asked for listening pages: told once, asked again after a back-off, the session ended on the second password refusal", async () => {
    let refusedEnd = 0;
    let attempts = 0;
    const mail = new LeasedMail({
      create: () => {
        const imap = fakeImap();
        imap.start = async () => {
          attempts += 1;
          throw Object.assign(new Error("[AUTHENTICATIONFAILED] Authentication failed."), {
            authenticationFailed: true,
          });
        };
        return imap as unknown as ImapSession;
      },
      takeLease: async () => undefined,
      announce: () => undefined,
      signInRefused: () => {
        refusedEnd += 1;
      },
      log: createLogger("silent"),
    });
    mail.link({ heldElsewhere: async () => false, relay: () => undefined });
    const abort = new AbortController();
    const heard: MailEvent[] = [];
    void (async () => {
      for await (const e of mail.events(abort.signal)) heard.push(e);
    })();
    await tick();
    const opened = attempts; // the page's listening asked once
    await mail.keepListened();
    await mail.keepListened();
    await mail.keepListened();
    // Not every check: the first failure waits its back-off (at least 125 ms) before the next.
    expect(attempts).toBeLessThanOrEqual(opened + 1);
    expect(heard.filter((e) => e.type === "connection")).toEqual([
      { type: "connection", state: "reconnecting" },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await mail.keepListened();
    expect(refusedEnd).toBe(1);
    // A page that starts listening now is told the connection is lost.
    const late: MailEvent[] = [];
    void (async () => {
      for await (const e of mail.events(abort.signal)) late.push(e);
    })();
    await tick();
    expect(late[0]).toEqual({ type: "connection", state: "reconnecting" });
    abort.abort();
  });
});
