import { describe, expect, it } from "vitest";
import { emptyDraft, type Draft } from "@pismo/protocol/compose";
import { DEFAULT_GATEWAY_LIMITS } from "../limits";
import type { Logger } from "../log";
import { SendQueue } from "../smtp/send-queue";
import type { KeptSends } from "../smtp/kept-sends";
import { ComposeSession, parseSendAnswer, type ComposeMailbox, type SendAnswer } from "./compose-session";
import { UploadStore } from "./upload-store";

// What a send answers once the SMTP server accepted the message, when the mailbox fails at
// the steps after it (filing the copy, removing the draft, \Answered): "sent", always. An error
// there would tell the user the send failed, and they would send it again.

const draft: Draft = {
  ...emptyDraft(),
  to: [{ name: "Bob", address: "bob@primer.rs" }],
  subject: "Ugovor",
  text: "U prilogu.",
};

/** A mailbox whose folder lookups fail once `failAfter` of them answered, and whose other calls
 * fail as `fails` says; it records what it was asked to do. */
function mailbox(opts: { failAfter?: number; fails?: ReadonlyArray<"append" | "expunge" | "flag"> } = {}) {
  const done: string[] = [];
  let lookups = 0;
  const fail = (what: "append" | "expunge" | "flag") => {
    if (opts.fails?.includes(what)) throw new Error(`${what}: connection lost`);
  };
  const imap: ComposeMailbox = {
    specialFolder: (use) => {
      lookups++;
      if (opts.failAfter !== undefined && lookups > opts.failAfter)
        return Promise.reject(new Error("LIST: connection lost"));
      return Promise.resolve(use === "sent" ? "Sent" : use === "drafts" ? "Drafts" : "Templates");
    },
    createFolder: (_parent, name) => Promise.resolve(name),
    append: async (folder) => {
      fail("append");
      done.push(`append ${folder}`);
      return 7;
    },
    expunge: async (folder, uids) => {
      fail("expunge");
      done.push(`expunge ${folder} ${uids.join(",")}`);
    },
    alreadyIn: () => Promise.resolve([]),
    flagOne: async (folder, uid, flag) => {
      fail("flag");
      done.push(`flag ${folder} ${uid} ${flag}`);
      return true;
    },
    download: () => Promise.reject(new Error("no parts here")),
  };
  return { imap, done };
}

function session(imap: ComposeMailbox, logged: string[] = []) {
  const submitted: string[][] = [];
  const log: Logger = {
    error: () => undefined,
    warn: (event, fields) => void logged.push(`${event} ${String(fields?.step)}`),
    info: () => undefined,
    debug: () => undefined,
  };
  const compose = new ComposeSession({
    account: {
      protocol: "imap",
      email: "ana@primer.rs",
      server: { host: "mail.primer.rs", port: 993, security: "tls" },
    },
    sessionKey: "s-1",
    imap,
    uploads: new UploadStore(),
    submit: (envelope) => {
      submitted.push(envelope.to);
      return Promise.resolve({ rejected: [] });
    },
    sizeLimit: () => Promise.resolve(null),
    held: new SendQueue<Draft, SendAnswer>(DEFAULT_GATEWAY_LIMITS),
    log,
  });
  return { compose, submitted };
}

const opts = { draftUid: 12, answering: { folder: "INBOX", uid: 3 } };

describe("after the SMTP server accepted the message", () => {
  it("a folder lookup that fails while removing the draft still answers sent, and is logged", async () => {
    // The Sent folder is found; the Drafts lookup (a LIST on a connection just lost) fails.
    const { imap, done } = mailbox({ failAfter: 1 });
    const logged: string[] = [];
    const { compose, submitted } = session(imap, logged);
    const answer = await compose.send(draft, opts);
    expect(submitted).toEqual([["bob@primer.rs"]]);
    expect(answer).toMatchObject({ raw: null, rejected: [] });
    expect(answer.sentCopyFailed).toBeUndefined();
    expect(done).toEqual(["append Sent", "flag INBOX 3 \\Answered"]);
    expect(logged).toEqual(["send.after_step_failed remove_draft"]);
  });

  it("no folder found at all: sent, the copy not kept, the draft kept", async () => {
    const { imap, done } = mailbox({ failAfter: 0 });
    const { compose } = session(imap);
    const answer = await compose.send(draft, opts);
    expect(answer).toMatchObject({ raw: null, rejected: [], sentCopyFailed: "draft-kept" });
    expect(done).toEqual(["flag INBOX 3 \\Answered"]);
  });

  it("APPEND, EXPUNGE and the flag all failing: still sent", async () => {
    const { imap } = mailbox({ fails: ["append", "expunge", "flag"] });
    const { compose } = session(imap);
    await expect(compose.send(draft, opts)).resolves.toMatchObject({ sentCopyFailed: "draft-kept" });
  });

  it("a send held for Undo goes out as sent, not failed (the page would give the form back)", async () => {
    const { imap } = mailbox({ failAfter: 1 });
    const { compose, submitted } = session(imap);
    await compose.sendLater(draft, opts, 0, "held-1");
    // Waits for the send; a failed one throws its error.
    const outcome = await compose.sendOutcome("held-1");
    expect(submitted).toHaveLength(1);
    expect(outcome.state).toBe("sent");
  });
});

/** A mailbox that keeps its folders' messages by UID (each APPEND a new one, as UIDPLUS says),
 * for what a series of saves leaves in Drafts. `hold`: APPENDs to Drafts wait for it. */
function folders(hold?: { next: Promise<void> | null }) {
  const held = new Map<string, Map<number, string>>();
  let uidNext = 1;
  const imap: ComposeMailbox = {
    specialFolder: (use) =>
      Promise.resolve(use === "sent" ? "Sent" : use === "drafts" ? "Drafts" : "Templates"),
    createFolder: (_parent, name) => Promise.resolve(name),
    append: async (folder, raw) => {
      const uid = uidNext++;
      const gate = folder === "Drafts" ? hold?.next : null;
      if (gate) {
        if (hold) hold.next = null;
        await gate;
      }
      if (!held.has(folder)) held.set(folder, new Map());
      held.get(folder)!.set(uid, raw.toString("utf8"));
      return uid;
    },
    expunge: async (folder, uids) => {
      for (const uid of uids) held.get(folder)?.delete(uid);
    },
    alreadyIn: () => Promise.resolve([]),
    flagOne: () => Promise.resolve(true),
    download: () => Promise.reject(new Error("no parts here")),
  };
  const uids = (folder: string) => [...(held.get(folder)?.keys() ?? [])];
  const raw = (folder: string) => [...(held.get(folder)?.values() ?? [])];
  return { imap, uids, raw };
}

describe("a compose window's copies in Drafts (composeId)", () => {
  const inWindow = (composeId: string, text: string): Draft => ({ ...draft, composeId, text });

  it("a save whose answer was lost is replaced by the page's next save, which named the copy before", async () => {
    const { imap, uids } = folders();
    const { compose } = session(imap);
    const first = await compose.saveDraft(inWindow("w-1", "v1"), null);
    // Saved as 2, but the connection dropped with the answer: the page still names 1...
    const lost = await compose.saveDraft(inWindow("w-1", "v2"), first!.uid);
    // ...and saves again, replacing 1.
    const again = await compose.saveDraft(inWindow("w-1", "v2"), first!.uid);
    expect(uids("Drafts")).toEqual([again!.uid]);
    expect(again!.uid).not.toBe(lost!.uid);
  });

  it("the same when the lost save was the window's first (the page names no draft)", async () => {
    const { imap, uids } = folders();
    const { compose } = session(imap);
    await compose.saveDraft(inWindow("w-1", "v1"), null);
    const again = await compose.saveDraft(inWindow("w-1", "v1"), null);
    expect(uids("Drafts")).toEqual([again!.uid]);
  });

  it("two windows saving in turn never remove each other's copy, lost answers or not", async () => {
    const { imap, uids } = folders();
    const { compose } = session(imap);
    const a1 = await compose.saveDraft(inWindow("w-a", "a1"), null);
    const b1 = await compose.saveDraft(inWindow("w-b", "b1"), null);
    const a2 = await compose.saveDraft(inWindow("w-a", "a2"), a1!.uid);
    const b2 = await compose.saveDraft(inWindow("w-b", "b2"), b1!.uid);
    expect(uids("Drafts")).toEqual([a2!.uid, b2!.uid]);
    // Window a's next answer is lost; b saves meanwhile; a saves again from its copy before.
    await compose.saveDraft(inWindow("w-a", "a3"), a2!.uid);
    const b3 = await compose.saveDraft(inWindow("w-b", "b3"), b2!.uid);
    const a3 = await compose.saveDraft(inWindow("w-a", "a3"), a2!.uid);
    expect(uids("Drafts").sort()).toEqual([a3!.uid, b3!.uid].sort());
  });

  it("a retry that arrives while the lost save is still on its way leaves only the retry's copy", async () => {
    let open!: () => void;
    const hold = { next: null as Promise<void> | null };
    const { imap, uids } = folders(hold);
    const { compose } = session(imap);
    const first = await compose.saveDraft(inWindow("w-1", "v1"), null);
    hold.next = new Promise<void>((resolve) => (open = resolve));
    const lost = compose.saveDraft(inWindow("w-1", "v2"), first!.uid);
    const retry = compose.saveDraft(inWindow("w-1", "v3"), first!.uid);
    open();
    await lost;
    const kept = await retry;
    expect(uids("Drafts")).toEqual([kept!.uid]);
  });

  it("sending after a lost save answer removes the lost copy too", async () => {
    const { imap, uids } = folders();
    const { compose } = session(imap);
    const first = await compose.saveDraft(inWindow("w-1", "v1"), null);
    await compose.saveDraft(inWindow("w-1", "v2"), first!.uid);
    const answer = await compose.send(inWindow("w-1", "v2"), { draftUid: first!.uid, answering: null });
    expect(answer.sentCopyFailed).toBeUndefined();
    expect(uids("Drafts")).toEqual([]);
    expect(uids("Sent")).toHaveLength(1);
  });

  it("a send held for Undo removes the lost copy too once it goes out", async () => {
    const { imap, uids } = folders();
    const { compose } = session(imap);
    const first = await compose.saveDraft(inWindow("w-1", "v1"), null);
    await compose.saveDraft(inWindow("w-1", "v2"), first!.uid);
    await compose.sendLater(inWindow("w-1", "v2"), { draftUid: first!.uid, answering: null }, 0, "held-2");
    expect((await compose.sendOutcome("held-2")).state).toBe("sent");
    expect(uids("Drafts")).toEqual([]);
  });

  it("discarding after a lost save answer removes the lost copy too", async () => {
    const { imap, uids } = folders();
    const { compose } = session(imap);
    const first = await compose.saveDraft(inWindow("w-1", "v1"), null);
    // Saved as 2, the answer lost: the page still names 1 when the user presses Discard.
    await compose.saveDraft(inWindow("w-1", "v2"), first!.uid);
    await compose.discardDraft(first!.uid, "w-1");
    expect(uids("Drafts")).toEqual([]);
  });

  it("the same when the lost save was the window's first (the page names no draft to discard)", async () => {
    const { imap, uids } = folders();
    const { compose } = session(imap);
    await compose.saveDraft(inWindow("w-1", "v1"), null);
    await compose.discardDraft(null, "w-1");
    expect(uids("Drafts")).toEqual([]);
  });

  it("a discard that arrives while the lost save is still on its way removes that save's copy", async () => {
    let open!: () => void;
    const hold = { next: null as Promise<void> | null };
    const { imap, uids } = folders(hold);
    const { compose } = session(imap);
    const first = await compose.saveDraft(inWindow("w-1", "v1"), null);
    hold.next = new Promise<void>((resolve) => (open = resolve));
    const lost = compose.saveDraft(inWindow("w-1", "v2"), first!.uid);
    const discarded = compose.discardDraft(first!.uid, "w-1");
    open();
    await lost;
    await discarded;
    expect(uids("Drafts")).toEqual([]);
  });

  it("a window's discard leaves another window's draft alone", async () => {
    const { imap, uids } = folders();
    const { compose } = session(imap);
    const other = await compose.saveDraft(inWindow("w-b", "b1"), null);
    const mine = await compose.saveDraft(inWindow("w-a", "a1"), null);
    await compose.saveDraft(inWindow("w-a", "a2"), mine!.uid);
    await compose.discardDraft(mine!.uid, "w-a");
    expect(uids("Drafts")).toEqual([other!.uid]);
  });

  it("a window's send leaves another window's draft alone", async () => {
    const { imap, uids } = folders();
    const { compose } = session(imap);
    const other = await compose.saveDraft(inWindow("w-b", "b1"), null);
    const mine = await compose.saveDraft(inWindow("w-a", "a1"), null);
    await compose.send(inWindow("w-a", "a1"), { draftUid: mine!.uid, answering: null });
    expect(uids("Drafts")).toEqual([other!.uid]);
  });

  it("a page that names no window: only the draft it names is replaced, as before", async () => {
    const { imap, uids } = folders();
    const { compose } = session(imap);
    const first = await compose.saveDraft(draft, null);
    const second = await compose.saveDraft(draft, first!.uid);
    expect(uids("Drafts")).toEqual([second!.uid]);
  });

  it("the window's id is not written into the message, saved or sent", async () => {
    const { imap, raw } = folders();
    const { compose } = session(imap);
    const saved = await compose.saveDraft(inWindow("w-secret-id", "v1"), null);
    const drafts = raw("Drafts");
    await compose.send(inWindow("w-secret-id", "v1"), { draftUid: saved!.uid, answering: null });
    const sent = raw("Sent");
    expect([drafts.length, sent.length]).toEqual([1, 1]);
    for (const message of [...drafts, ...sent]) expect(message).not.toContain("w-secret-id");
  });
});

/** A POP3 account's compose (its Sent copy is in the answer), with a store of kept answers. */
function pop3Compose(store: { fails?: boolean } = {}) {
  const kept = new Map<string, { result: SendAnswer; bytes: number }>();
  const keeper: KeptSends<SendAnswer> = {
    keep: (id, result, bytes) => {
      kept.set(id, { result, bytes });
      return Promise.resolve();
    },
    find: (id) =>
      store.fails ? Promise.reject(new Error("store down")) : Promise.resolve(kept.get(id)?.result ?? null),
    forget: (id) => Promise.resolve(void kept.delete(id)),
  };
  const queue = new SendQueue<Draft, SendAnswer>(DEFAULT_GATEWAY_LIMITS);
  const submitted: string[][] = [];
  const compose = new ComposeSession({
    account: {
      protocol: "pop3",
      email: "ana@primer.rs",
      server: { host: "mail.primer.rs", port: 995, security: "tls" },
    },
    sessionKey: "s-1",
    imap: null,
    uploads: new UploadStore(),
    submit: (envelope) => {
      submitted.push(envelope.to);
      return Promise.resolve({ rejected: [] });
    },
    sizeLimit: () => Promise.resolve(null),
    held: queue,
    kept: keeper,
  });
  return { compose, queue, kept, submitted };
}

const pop3Opts = { draftUid: null, answering: null };

describe("sends kept when the gateway stopped before the browser took their answer", () => {
  it("keeps the Sent copy of a send not acknowledged, counted as in memory", async () => {
    const { compose, queue, kept } = pop3Compose();
    await compose.sendLater(draft, pop3Opts, 0, "sent-before-stop");
    const { result } = await compose.sendOutcome("sent-before-stop");
    await compose.sendLater(draft, pop3Opts, 0, "acked-before-stop");
    await compose.sendOutcome("acked-before-stop");
    await compose.ackSent("acked-before-stop");
    await queue.keepUnacknowledged("s-1");
    expect([...kept.keys()]).toEqual(["sent-before-stop"]);
    expect(kept.get("sent-before-stop")).toEqual({ result, bytes: result?.raw?.length });
    expect(Buffer.from(result?.raw ?? "", "base64").toString()).toContain("Subject: Ugovor");
  });

  it("answers a send it does not know from what a stopped gateway kept, until acknowledged", async () => {
    const before = pop3Compose();
    await before.compose.sendLater(draft, pop3Opts, 0, "made-before-restart");
    const sent = await before.compose.sendOutcome("made-before-restart");
    await before.queue.keepUnacknowledged();
    // The gateway that resumes the session: a new queue, the same store.
    const after = pop3Compose();
    for (const [id, entry] of before.kept) after.kept.set(id, entry);
    expect(await after.compose.sendOutcome("made-before-restart")).toEqual(sent);
    // Undo, late: it went.
    expect(await after.compose.cancelSend("made-before-restart")).toEqual({ state: "sent", draft: null });
    // The id is used: a second send under it is refused, not made.
    await expect(after.compose.sendLater(draft, pop3Opts, 0, "made-before-restart")).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
    expect(after.submitted).toEqual([]);
    await after.compose.ackSent("made-before-restart");
    expect(after.kept.size).toBe(0);
    expect(await after.compose.sendOutcome("made-before-restart")).toEqual({
      state: "unknown",
      result: null,
    });
    expect(await after.compose.cancelSend("made-before-restart")).toEqual({ state: "unknown", draft: null });
  });

  it("a store that cannot be read answers 'unknown', not a failure (which would say the send failed)", async () => {
    const { compose } = pop3Compose({ fails: true });
    expect(await compose.sendOutcome("asked-while-down")).toEqual({ state: "unknown", result: null });
    await compose.sendLater(draft, pop3Opts, 0, "sent-while-down");
    expect((await compose.sendOutcome("sent-while-down")).state).toBe("sent");
  });

  it("reads back only the shape of a send's answer", () => {
    const answer = { messageId: "<a@b>", raw: "UmF3", rejected: ["x@y"], sentCopyFailed: "no-copy" };
    expect(parseSendAnswer(answer)).toEqual(answer);
    const { sentCopyFailed: _, ...filed } = answer;
    expect(parseSendAnswer(filed)).toEqual(filed);
    expect(parseSendAnswer({ ...answer, raw: 5 })).toBeNull();
    expect(parseSendAnswer({ ...answer, rejected: [1] })).toBeNull();
    expect(parseSendAnswer({ ...answer, sentCopyFailed: "maybe" })).toBeNull();
    expect(parseSendAnswer(null)).toBeNull();
  });
});
