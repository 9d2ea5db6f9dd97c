import { describe, expect, it } from "vitest";
import {
  draftSchema,
  emptyDraft,
  forwardSubject,
  parseAddressList,
  quotePlain,
  recipientEntry,
  replyRecipients,
  replySubject,
  sharedSubject,
  threadHeaders,
} from "./index";

describe("subjects", () => {
  it("prefix once, whatever the thread already carries", () => {
    expect(replySubject("Ugovor")).toBe("Re: Ugovor");
    expect(replySubject("Re: RE: Fwd: Ugovor")).toBe("Re: Ugovor");
    expect(replySubject("Odg: AW: Sastanak")).toBe("Re: Sastanak");
    expect(forwardSubject("Re: Račun")).toBe("Fwd: Račun");
    expect(replySubject("Re[2]: x")).toBe("Re: x");
    expect(replySubject("Reklamacija")).toBe("Re: Reklamacija");
  });
});

describe("threadHeaders", () => {
  it("appends the parent's Message-ID to its References", () => {
    expect(
      threadHeaders({
        messageId: "<c@x>",
        references: ["<a@x>", "<b@x>"],
        from: null,
        replyTo: [],
        to: [],
        cc: [],
      }),
    ).toEqual({ inReplyTo: "<c@x>", references: ["<a@x>", "<b@x>", "<c@x>"] });
    expect(
      threadHeaders({ messageId: null, references: [], from: null, replyTo: [], to: [], cc: [] }),
    ).toEqual({ inReplyTo: null, references: [] });
  });
  const parent = { from: null, replyTo: [], to: [], cc: [] };

  it("starts from the parent's In-Reply-To when it has no References (RFC 5322 §3.6.4)", () => {
    expect(threadHeaders({ ...parent, messageId: "<c@x>", references: [], inReplyTo: "<b@x>" })).toEqual({
      inReplyTo: "<c@x>",
      references: ["<b@x>", "<c@x>"],
    });
    // Its References win when it has them; an In-Reply-To naming several messages starts nothing.
    expect(
      threadHeaders({ ...parent, messageId: "<c@x>", references: ["<a@x>"], inReplyTo: "<b@x>" }).references,
    ).toEqual(["<a@x>", "<c@x>"]);
    expect(
      threadHeaders({ ...parent, messageId: "<c@x>", references: [], inReplyTo: "<a@x> <b@x>" }).references,
    ).toEqual(["<c@x>"]);
    expect(threadHeaders({ ...parent, messageId: null, references: [], inReplyTo: " <b@x> " })).toEqual({
      inReplyTo: null,
      references: ["<b@x>"],
    });
  });

  it("leaves out parent ids that are not msg-ids, which would make the reply impossible to send", () => {
    expect(
      threadHeaders({ ...parent, messageId: "<not an id@x>", references: ["<a@x>", "b@x", "<c d@x>"] }),
    ).toEqual({ inReplyTo: null, references: ["<a@x>"] });
    expect(threadHeaders({ ...parent, messageId: "c@x", references: [], inReplyTo: "<b c@x>" })).toEqual({
      inReplyTo: null,
      references: [],
    });
    expect(threadHeaders({ ...parent, messageId: " <c@x> ", references: [] })).toEqual({
      inReplyTo: "<c@x>",
      references: ["<c@x>"],
    });
  });

  it("leaves out parent ids with control characters in them, which the gateway refuses", () => {
    expect(
      threadHeaders({
        ...parent,
        messageId: "<c\u0001@x>",
        references: ["<a@x>", "<b\u007f@x>", "<d\u001b@x>"],
      }),
    ).toEqual({ inReplyTo: null, references: ["<a@x>"] });
    expect(threadHeaders({ ...parent, messageId: null, references: [], inReplyTo: "<b\u0000@x>" })).toEqual({
      inReplyTo: null,
      references: [],
    });
  });

  it("trims a long chain but keeps the root and the latest", () => {
    const refs = Array.from({ length: 30 }, (_, i) => `<m${i}@x>`);
    const h = threadHeaders({
      messageId: "<last@x>",
      references: refs,
      from: null,
      replyTo: [],
      to: [],
      cc: [],
    });
    expect(h.references).toHaveLength(20);
    expect(h.references[0]).toBe("<m0@x>");
    expect(h.references.at(-1)).toBe("<last@x>");
  });
});

describe("replyRecipients", () => {
  const me = "me@pismo.test";
  const src = {
    messageId: "<1@x>",
    references: [],
    from: { name: "Ana", address: "ana@x.rs" },
    replyTo: [],
    to: [
      { name: "", address: "ME@pismo.test" },
      { name: "Bob", address: "bob@x.rs" },
    ],
    cc: [
      { name: "Cica", address: "cica@x.rs" },
      { name: "Ana again", address: "ana@x.rs" },
    ],
  };
  it("replies to the sender, or to Reply-To", () => {
    expect(replyRecipients(src, me, false)).toEqual({ to: [{ name: "Ana", address: "ana@x.rs" }], cc: [] });
    expect(
      replyRecipients({ ...src, replyTo: [{ name: "List", address: "list@x.rs" }] }, me, false).to,
    ).toEqual([{ name: "List", address: "list@x.rs" }]);
  });
  it("reply all copies everyone else once, never me", () => {
    expect(replyRecipients(src, me, true)).toEqual({
      to: [{ name: "Ana", address: "ana@x.rs" }],
      cc: [
        { name: "Bob", address: "bob@x.rs" },
        { name: "Cica", address: "cica@x.rs" },
      ],
    });
  });
  it("reply all copies none of the account's other addresses (its identities), and counts mail from them as mine", () => {
    const both = {
      ...src,
      cc: [...src.cc, { name: "Me at work", address: "posao@pismo.test" }],
    };
    expect(replyRecipients(both, [me, "Posao@pismo.test"], true).cc).toEqual([
      { name: "Bob", address: "bob@x.rs" },
      { name: "Cica", address: "cica@x.rs" },
    ]);
    const fromAlias = { ...src, from: { name: "Me", address: "posao@pismo.test" }, cc: [] };
    expect(replyRecipients(fromAlias, [me, "posao@pismo.test"], false).to).toEqual(src.to);
  });
  it("a reply to my own sent message goes to its recipients", () => {
    const mine = {
      ...src,
      from: { name: "Me", address: me },
      to: [{ name: "Bob", address: "bob@x.rs" }],
      cc: [],
    };
    expect(replyRecipients(mine, me, false).to).toEqual([{ name: "Bob", address: "bob@x.rs" }]);
  });
});

describe("parseAddressList", () => {
  it("reads names, bare addresses and separators, and reports the rest", () => {
    expect(parseAddressList('Ana Ćirić <ana@x.rs>, bob@x.rs; "Đorđe" <dj@x.rs>, nope, a@b\nc@d.rs')).toEqual({
      valid: [
        { name: "Ana Ćirić", address: "ana@x.rs" },
        { name: "", address: "bob@x.rs" },
        { name: "Đorđe", address: "dj@x.rs" },
        { name: "", address: "a@b" },
        { name: "", address: "c@d.rs" },
      ],
      invalid: ["nope"],
    });
  });

  it("reads back a recipient written by recipientEntry as that one address, whatever its name says", () => {
    const hostile = [
      { name: "Accounts <ceo@victim-corp.example>, Team", address: "eve@evil.example" },
      { name: 'Doe, John; "Boss" <boss@x.rs>', address: "john@x.rs" },
      { name: "Line\nBcc: v@x.rs", address: "a@x.rs" },
      { name: "", address: "bare@x.rs" },
    ];
    for (const a of hostile)
      expect(parseAddressList(recipientEntry(a)).valid.map((r) => r.address)).toEqual([a.address]);
    expect(recipientEntry(hostile[1]!)).toBe("Doe John Boss boss@x.rs <john@x.rs>");
    expect(parseAddressList(hostile.map(recipientEntry).join(", ")).valid).toHaveLength(4);
  });
});

describe("draftSchema", () => {
  it("refuses header injection through any field", () => {
    const base = emptyDraft();
    expect(draftSchema.safeParse({ ...base, subject: "Hi\r\nBcc: victim@x.rs" }).success).toBe(false);
    expect(
      draftSchema.safeParse({ ...base, to: [{ name: "x\nBcc: v@x.rs", address: "a@x.rs" }] }).success,
    ).toBe(false);
    expect(
      draftSchema.safeParse({ ...base, to: [{ name: "", address: "a@x.rs\r\nBcc: v@x.rs" }] }).success,
    ).toBe(false);
    expect(
      draftSchema.safeParse({ ...base, to: [{ name: "Ana", address: "ana@x.rs" }], subject: "Zdravo" })
        .success,
    ).toBe(true);
  });
});

describe("quotePlain", () => {
  it("quotes every line once more", () => {
    expect(quotePlain("a\n> b\n", "Ana wrote:")).toBe("\n\nAna wrote:\n> a\n>> b\n");
  });
});

describe("sharedSubject", () => {
  it("is the messages' subject when they are one thread, its prefixes aside", () => {
    expect(sharedSubject(["Račun"])).toBe("Račun");
    expect(sharedSubject(["Sastanak", "Re: Sastanak", "RE: re: sastanak"])).toBe("Sastanak");
  });
  it("is none when they are about different things, or there are none", () => {
    expect(sharedSubject(["Račun", "Ponuda"])).toBe("");
    expect(sharedSubject([])).toBe("");
  });
});
