import { describe, expect, it } from "vitest";
import { normalizeMessageId, parseMessageIdList, threadEnvelopes, threadingReferences } from "./jwz";
import type { Thread, ThreadEnvelope } from "./jwz";

const day = 86_400_000;
const t0 = Date.UTC(2026, 10, 2, 9);

function env(id: string, fields: Partial<Omit<ThreadEnvelope, "id">> & { at?: number } = {}): ThreadEnvelope {
  return {
    ...(fields.arrival === undefined ? {} : { arrival: fields.arrival }),
    id,
    messageId: fields.messageId === undefined ? `<${id}@pismo.test>` : fields.messageId,
    inReplyTo: fields.inReplyTo ?? null,
    references: fields.references ?? [],
    subject: fields.subject ?? `Subject of ${id}`,
    date: fields.date ?? t0 + (fields.at ?? 0) * day,
  };
}
const ref = (id: string): string => `<${id}@pismo.test>`;

/** A thread drawn as "id" lines indented by depth, so a test shows the tree it expects. */
function draw(thread: Thread): string[] {
  return thread.messageIds.map((id, i) => "  ".repeat(thread.depths[i] ?? 0) + id);
}
const drawAll = (threads: readonly Thread[]): string[][] => threads.map(draw);

describe("message-ids", () => {
  it("normalises a Message-ID and refuses what is not one", () => {
    expect(normalizeMessageId("<a.b@example.com>")).toBe("a.b@example.com");
    expect(normalizeMessageId("  a.b@example.com ")).toBe("a.b@example.com");
    expect(normalizeMessageId("<>")).toBeNull();
    expect(normalizeMessageId("<no-at-sign>")).toBeNull();
    expect(normalizeMessageId("<a b@example.com>")).toBeNull();
    expect(normalizeMessageId("<unclosed@example.com")).toBeNull();
    expect(normalizeMessageId(null)).toBeNull();
  });

  it("takes the ids out of headers with comments and garbage", () => {
    expect(parseMessageIdList("<a@x> (comment) <b@x>\r\n\t<c@x>")).toEqual(["a@x", "b@x", "c@x"]);
    expect(parseMessageIdList("Your message of Mon, 2 Nov 2026 <a@x>")).toEqual(["a@x"]);
    expect(parseMessageIdList("a@x b@x undefined")).toEqual(["a@x", "b@x"]);
    expect(parseMessageIdList("<> <garbage> <a@x>")).toEqual(["a@x"]);
    expect(parseMessageIdList(null)).toEqual([]);
  });

  it("uses References, and In-Reply-To only when References has no valid id (RFC 5256)", () => {
    expect(threadingReferences({ references: ["<a@x>", "<b@x>"], inReplyTo: "<c@x>" })).toEqual([
      "a@x",
      "b@x",
    ]);
    expect(threadingReferences({ references: ["garbage", ""], inReplyTo: "<c@x> <d@x>" })).toEqual(["c@x"]);
    expect(threadingReferences({ references: ["<a@x> <b@x>"], inReplyTo: null })).toEqual(["a@x", "b@x"]);
  });
});

describe("threadEnvelopes", () => {
  it("threads a reply chain and orders siblings by date", () => {
    const threads = threadEnvelopes([
      env("c", { at: 3, references: [ref("a")], subject: "Re: Plan" }),
      env("a", { at: 0, subject: "Plan" }),
      env("b", { at: 1, references: [ref("a")], subject: "Re: Plan" }),
      env("d", { at: 4, references: [ref("a"), ref("b")], subject: "Re: Plan" }),
    ]);
    expect(drawAll(threads)).toEqual([["a", "  b", "    d", "  c"]]);
    expect(threads[0]?.rootKey).toBe("a@pismo.test");
  });

  it("gives the same threads whatever order the envelopes come in", () => {
    const envelopes = [
      env("a", { at: 0 }),
      env("b", { at: 1, inReplyTo: ref("a") }),
      env("c", { at: 2, references: [ref("a"), ref("b")] }),
      env("x", { at: 1 }),
      env("y", { at: 5, references: [ref("x")] }),
    ];
    const expected = drawAll(threadEnvelopes(envelopes));
    expect(drawAll(threadEnvelopes([...envelopes].reverse()))).toEqual(expected);
    expect(
      drawAll(
        threadEnvelopes([
          envelopes[2],
          envelopes[4],
          envelopes[0],
          envelopes[3],
          envelopes[1],
        ] as ThreadEnvelope[]),
      ),
    ).toEqual(expected);
  });

  it("keeps replies whose parent is missing together under the missing root", () => {
    const threads = threadEnvelopes([
      env("b", { at: 1, references: [ref("gone")], subject: "Re: Plan" }),
      env("c", { at: 2, references: [ref("gone")], subject: "Re: Plan" }),
      env("lonely", { at: 3, references: [ref("elsewhere")], subject: "Re: Something else" }),
    ]);
    expect(drawAll(threads)).toEqual([["b", "c"], ["lonely"]]);
    expect(threads[0]?.rootKey).toBe("gone@pismo.test");
  });

  it("splices a missing message in the middle of a chain", () => {
    const threads = threadEnvelopes([
      env("a", { at: 0 }),
      env("c", { at: 2, references: [ref("a"), ref("b-missing")] }),
      env("d", { at: 3, references: [ref("a"), ref("b-missing"), ref("c")] }),
    ]);
    expect(drawAll(threads)).toEqual([["a", "  c", "    d"]]);
  });

  it("does not loop when References point at each other", () => {
    const threads = threadEnvelopes([
      env("a", { at: 0, references: [ref("b")] }),
      env("b", { at: 1, references: [ref("a")] }),
    ]);
    expect(threads).toHaveLength(1);
    expect([...(threads[0]?.messageIds ?? [])].sort()).toEqual(["a", "b"]);
  });

  it("does not loop through a longer cycle", () => {
    const threads = threadEnvelopes([
      env("a", { at: 0, references: [ref("c"), ref("b")] }),
      env("b", { at: 1, references: [ref("a"), ref("c")] }),
      env("c", { at: 2, references: [ref("b"), ref("a")] }),
    ]);
    expect(threads.flatMap((t) => t.messageIds).sort()).toEqual(["a", "b", "c"]);
  });

  it("ignores a message referencing itself", () => {
    const threads = threadEnvelopes([
      env("a", { at: 0 }),
      env("b", { at: 1, references: [ref("a"), ref("b"), ref("b")] }),
      env("self", { at: 2, references: [ref("self")] }),
    ]);
    expect(drawAll(threads)).toEqual([["a", "  b"], ["self"]]);
  });

  it("keeps every message when Message-IDs repeat or are missing", () => {
    const threads = threadEnvelopes([
      env("inbox-copy", { at: 0, messageId: "<same@pismo.test>" }),
      env("sent-copy", { at: 0, messageId: "<same@pismo.test>" }),
      env("reply", { at: 1, references: ["<same@pismo.test>"] }),
      env("no-id-1", { at: 2, messageId: null, references: ["<same@pismo.test>"] }),
      env("no-id-2", { at: 3, messageId: "garbage" }),
    ]);
    expect(drawAll(threads)).toEqual([["inbox-copy", "  reply", "  no-id-1"], ["sent-copy"], ["no-id-2"]]);
    expect(new Set(threads.map((t) => t.rootKey)).size).toBe(3);
    expect(threads[1]?.rootKey).toBe("msg sent-copy");
  });

  it("gives a repeated Message-ID to the copy that arrived first, not to a backdated one", () => {
    // A hostile message copies the boss's Message-ID and backdates itself: by the Date header
    // it would own the thread, and the colleague's real reply would sit under its subject.
    const messages = [
      env("budget", { at: 5, messageId: "<budget@firma.rs>", subject: "Budžet 2027", arrival: 10 }),
      env("reply", { at: 6, references: ["<budget@firma.rs>"], subject: "Re: Budžet 2027", arrival: 11 }),
      env("forged", {
        at: -2000,
        messageId: "<budget@firma.rs>",
        subject: "Hitno: potvrdite nalog",
        arrival: 12,
      }),
    ];
    const threads = threadEnvelopes(messages);
    expect(drawAll(threads)).toEqual([["forged"], ["budget", "  reply"]]);
    expect(threads[1]?.rootKey).toBe("budget@firma.rs");
    expect(threads[0]?.rootKey).toBe("msg forged");
    // Without arrivals, the earliest by date, as before.
    expect(drawAll(threadEnvelopes(messages.map(({ arrival: _arrival, ...m }) => m)))[0]).toEqual([
      "forged",
      "  reply",
    ]);
  });

  it("skips garbage tokens in References", () => {
    const threads = threadEnvelopes([
      env("a", { at: 0 }),
      env("b", { at: 1, references: ["", "<>", "undefined", "(null)", ref("a"), "<broken"] }),
    ]);
    expect(drawAll(threads)).toEqual([["a", "  b"]]);
  });

  it("lets a message's own References replace a guess made from another's", () => {
    // x's References say c replied to b; c itself says it replied to a.
    const threads = threadEnvelopes([
      env("a", { at: 0 }),
      env("b", { at: 1, references: [ref("a")] }),
      env("x", { at: 2, references: [ref("a"), ref("b"), ref("c")] }),
      env("c", { at: 3, references: [ref("a")] }),
    ]);
    expect(drawAll(threads)).toEqual([["a", "  b", "  c", "    x"]]);
  });

  it("groups by subject only when one of the messages is a reply", () => {
    const threads = threadEnvelopes([
      env("invoice-1", { at: 0, subject: "Invoice" }),
      env("invoice-2", { at: 30, subject: "Invoice" }),
      env("hello", { at: 1, subject: "Zdravo" }),
      env("re-hello", { at: 2, subject: "Odg: Zdravo" }),
      env("re-lost-1", { at: 3, subject: "Re: Missing original" }),
      env("re-lost-2", { at: 4, subject: "AW: Missing original" }),
    ]);
    expect(drawAll(threads)).toEqual([
      ["invoice-1"],
      ["hello", "  re-hello"],
      ["re-lost-1", "re-lost-2"],
      ["invoice-2"],
    ]);
    expect(threads[2]?.rootKey).toBe("re-lost-1@pismo.test");
    expect(
      drawAll(
        threadEnvelopes([env("h", { subject: "Zdravo" }), env("r", { at: 1, subject: "Re: Zdravo" })], {
          groupBySubject: false,
        }),
      ),
    ).toEqual([["h"], ["r"]]);
  });

  it("keeps apart replies of one subject whose headers name different missing parents", () => {
    // Two people answer two different statements, neither of which is here: by subject alone
    // they would be one conversation, and deleting it would delete both.
    const ana = env("ana", {
      at: 1,
      messageId: "<r1@ana.rs>",
      inReplyTo: "<izvod-1@banka.rs>",
      references: ["<izvod-1@banka.rs>"],
      subject: "Re: Izvod",
    });
    const marko = env("marko", {
      at: 2,
      messageId: "<r2@marko.rs>",
      inReplyTo: "<izvod-2@banka.rs>",
      subject: "Re: Izvod",
    });
    expect(drawAll(threadEnvelopes([ana, marko]))).toEqual([["ana"], ["marko"]]);
    // Each with a second reply under its missing parent (two dummies): still two.
    const anaAgain = env("ana-2", { at: 3, references: ["<izvod-1@banka.rs>"], subject: "Re: Izvod" });
    const markoAgain = env("marko-2", { at: 4, inReplyTo: "<izvod-2@banka.rs>", subject: "Odg: Izvod" });
    expect(drawAll(threadEnvelopes([ana, marko, anaAgain, markoAgain]))).toEqual([
      ["ana", "ana-2"],
      ["marko", "marko-2"],
    ]);
    // A reply whose client dropped the headers may belong to either: it joins the first, and
    // does not bring the other in.
    const bare = env("bare", { at: 5, subject: "Re: Izvod" });
    expect(drawAll(threadEnvelopes([ana, marko, bare]))).toEqual([["ana", "bare"], ["marko"]]);
    // Replies naming the same missing parent are one conversation by their references.
    const same = env("same", { at: 6, references: ["<izvod-1@banka.rs>"], subject: "Re: Izvod" });
    expect(drawAll(threadEnvelopes([ana, same]))).toEqual([["ana", "same"]]);
  });

  it("puts the original under a conversation whose references point at it by another id", () => {
    // Replies reference a root we do not have; a message with the same subject (no prefix)
    // is most likely that root, resent or with a rewritten Message-ID.
    const threads = threadEnvelopes([
      env("r1", { at: 1, references: ["<orig@list>"], subject: "[dev] Re: Build fails" }),
      env("r2", { at: 2, references: ["<orig@list>", ref("r1")], subject: "Re: [dev] Build fails" }),
      env("orig-copy", { at: 0, messageId: "<rewritten@list>", subject: "[dev] Build fails" }),
    ]);
    expect(drawAll(threads)).toEqual([["orig-copy", "  r1", "    r2"]]);
  });

  it("threads a mailing list with tags and keeps its digest apart", () => {
    const threads = threadEnvelopes([
      env("root", { at: 0, subject: "[pismo-dev] Threading design" }),
      env("r1", { at: 1, subject: "Re: [pismo-dev] Threading design", references: [ref("root")] }),
      env("r2", { at: 2, subject: "[pismo-dev] Re: Threading design", references: [ref("root"), ref("r1")] }),
      // a reply from a client that dropped the headers: joined by subject
      env("r3", { at: 3, subject: "AW: [pismo-dev] Threading design" }),
      env("other", { at: 1, subject: "[pismo-dev] Release 0.2" }),
      env("digest", { at: 4, subject: "pismo-dev Digest, Vol 3, Issue 12" }),
      env("digest-2", { at: 5, subject: "pismo-dev Digest, Vol 3, Issue 13" }),
    ]);
    expect(drawAll(threads)).toEqual([
      ["root", "  r1", "    r2", "  r3"],
      ["other"],
      ["digest"],
      ["digest-2"],
    ]);
  });

  it("makes one conversation of a received, sent, received exchange across folders", () => {
    const threads = threadEnvelopes([
      env("INBOX:1", { at: 0, messageId: "<q@ana>", subject: "Ponuda" }),
      env("Sent:7", {
        at: 1,
        messageId: "<a@me>",
        inReplyTo: "<q@ana>",
        references: ["<q@ana>"],
        subject: "Odg: Ponuda",
      }),
      env("INBOX:2", {
        at: 2,
        messageId: "<q2@ana>",
        inReplyTo: "<a@me>",
        references: ["<q@ana> <a@me>"],
        subject: "Re: Odg: Ponuda",
      }),
    ]);
    expect(drawAll(threads)).toEqual([["INBOX:1", "  Sent:7", "    INBOX:2"]]);
  });

  it("threads 100,000 envelopes and a 20,000-message chain without blowing up", () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const envelopes: ThreadEnvelope[] = [];
    // 16,000 conversations of 5: replies reference a random earlier message of their own.
    for (let t = 0; t < 16_000; t++) {
      const ids: string[] = [];
      for (let k = 0; k < 5; k++) {
        const id = `t${t}-${k}`;
        const parent = k === 0 ? undefined : ids[Math.floor(random() * ids.length)];
        envelopes.push(
          env(id, {
            date: t0 + t * 1000 + k,
            subject: k === 0 ? `Topic ${t}` : `Re: Topic ${t}`,
            ...(parent === undefined ? {} : { inReplyTo: `<${parent}@pismo.test>` }),
          }),
        );
        ids.push(id);
      }
    }
    // One chain of 20,000 linked only by In-Reply-To, each reply dated before its parent (a
    // sender's clock off), so the chain is threaded from its end.
    for (let k = 20_000 - 1; k >= 0; k--) {
      envelopes.push(
        env(`chain-${k}`, {
          date: t0 - k,
          subject: "Chain",
          ...(k === 0 ? {} : { inReplyTo: `<chain-${k - 1}@pismo.test>` }),
        }),
      );
    }
    // Shuffle the rest too.
    for (let i = 80_000 - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [envelopes[i], envelopes[j]] = [envelopes[j] as ThreadEnvelope, envelopes[i] as ThreadEnvelope];
    }
    expect(envelopes).toHaveLength(100_000);

    const threads = threadEnvelopes(envelopes);
    expect(threads).toHaveLength(16_001);
    expect(threads.reduce((n, t) => n + t.messageIds.length, 0)).toBe(100_000);
    const chain = threads.find((t) => t.rootKey === "chain-0@pismo.test");
    expect(chain?.messageIds).toHaveLength(20_000);
    expect(chain?.depths[19_999]).toBe(19_999);
    expect(threads.every((t) => t.messageIds.length === 5 || t === chain)).toBe(true);
  });
});
