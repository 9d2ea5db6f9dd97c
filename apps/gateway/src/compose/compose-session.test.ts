import { describe, expect, it } from "vitest";
import { emptyDraft, type Draft } from "@pismo/protocol/compose";
import { DEFAULT_GATEWAY_LIMITS } from "../limits";
import type { Logger } from "../log";
import { SendQueue } from "../smtp/send-queue";
import { ComposeSession, type ComposeMailbox, type SendAnswer } from "./compose-session";
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
