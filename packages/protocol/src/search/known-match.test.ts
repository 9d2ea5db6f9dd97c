import { describe, expect, it } from "vitest";
import { createKnownMatcher, newestKnownMatches } from "./known-match";
import type { KnownMatchOptions, KnownMessage, Verdict } from "./known-match";
import { parseSearchQuery } from "./query";

const now = Date.UTC(2026, 10, 30, 12);

/** List rows as the browser holds them: headers, flags, size; no body, no Cc. */
const rows = {
  jelena: {
    folder: "INBOX",
    from: [{ name: "Jelena Petrović", address: "jelena.petrovic@primer.rs" }],
    to: [{ name: "Demo Korisnik", address: "demo@pismo.test" }],
    subject: "Račun za NOVEMBAR",
    size: 2 * 1024 * 1024,
    seen: false,
    flagged: true,
    hasAttachment: true,
  },
  ljubica: {
    folder: "INBOX",
    from: [{ name: "Љубица Ђорђевић", address: "ljubica@primer.rs" }],
    to: [{ name: "Ана", address: "ana@firma.rs" }],
    subject: "Писмо о сарадњи",
    size: 40 * 1024,
    seen: true,
    flagged: false,
    hasAttachment: false,
  },
  banana: {
    folder: "Računi/2026",
    from: [{ name: "Banana d.o.o.", address: "info@banana.rs" }],
    to: [{ name: "", address: "ana@firma.rs" }],
    subject: "Ponuda",
    size: 900,
    seen: true,
    flagged: false,
    hasAttachment: false,
  },
  // Markup in a name and subject is text like any other.
  hostile: {
    folder: "INBOX",
    from: [{ name: '<img src=x onerror="alert(1)">Jelena', address: "x@zlo.rs" }],
    to: [],
    subject: "<b>račun</b>",
    size: 500,
    seen: false,
    flagged: false,
    hasAttachment: false,
  },
} satisfies Record<string, KnownMessage>;
type Row = keyof typeof rows;

const inbox: KnownMatchOptions = { currentFolder: "INBOX" };

function verdict(input: string, row: Row, options: KnownMatchOptions = inbox): Verdict {
  const parsed = parseSearchQuery(input, { now, locale: "sr" });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return createKnownMatcher(parsed.query, options)(rows[row]);
}

describe("known matching: header text", () => {
  it("is yes where a server spelling starts a word of the field, case aside", () => {
    expect(verdict("from:jelena", "jelena")).toBe("yes");
    expect(verdict("from:JELENA", "jelena")).toBe("yes");
    expect(verdict("from:petrov", "jelena")).toBe("yes");
    expect(verdict('from:"jelena petrović"', "jelena")).toBe("yes");
    expect(verdict("subject:novembar", "jelena")).toBe("yes");
    expect(verdict("subject:račun", "jelena")).toBe("yes");
    expect(verdict("to:ana", "ljubica")).toBe("yes");
  });

  it("is no where not even the folded value is in the field", () => {
    expect(verdict("from:jelena", "ljubica")).toBe("no");
    expect(verdict("from:marko", "jelena")).toBe("no");
    expect(verdict("subject:ponuda", "jelena")).toBe("no");
    expect(verdict("to:jelena", "jelena")).toBe("no");
  });

  it("judges the other script by the server's own transliterated spelling", () => {
    // The server is asked "ljubica" and "љубица": the Cyrillic one is in the name.
    expect(verdict("from:ljubica", "ljubica")).toBe("yes");
    expect(verdict("from:ЈЕЛЕНА", "jelena")).toBe("yes");
    expect(verdict("subject:pismo", "ljubica")).toBe("yes");
    expect(verdict("subject:сарадњи", "ljubica")).toBe("yes");
    // ASCII "dj" is also asked as đ.
    expect(verdict("from:djordjević", "ljubica")).toBe("yes");
    // ...but a missing diacritic stays missing in the other script.
    expect(verdict("from:djordjevic", "ljubica")).toBe("unknown");
  });

  it("is unknown where only a looser comparison than the server's surely is would match", () => {
    // Without the diacritic: a server may or may not ignore it.
    expect(verdict("subject:racun", "jelena")).toBe("unknown");
    expect(verdict("from:petrovic", "jelena")).toBe("yes"); // in the address, as typed
    expect(verdict('from:"jelena petrovic"', "jelena")).toBe("unknown");
    // Inside a word: Dovecot's substring search matches, a word index may not.
    expect(verdict("from:nana", "banana", { currentFolder: "Računi/2026" })).toBe("unknown");
    // Shorter than the index's shortest term.
    expect(verdict("from:je", "jelena")).toBe("unknown");
    // Not plain words: how the index splits it is its own business.
    expect(verdict("from:jelena.petrovic@primer.rs", "jelena")).toBe("unknown");
    expect(verdict("from:nobody@primer.rs", "jelena")).toBe("no");
  });

  it("treats the body and Cc as unknown, so a free word is yes or unknown, never no", () => {
    expect(verdict("jelena", "jelena")).toBe("yes");
    expect(verdict("ugovor", "jelena")).toBe("unknown");
    expect(verdict("body:jelena", "jelena")).toBe("unknown");
    expect(verdict("cc:ana", "ljubica")).toBe("unknown");
  });

  it("reads markup in headers as plain text", () => {
    expect(verdict("from:jelena", "hostile")).toBe("yes");
    expect(verdict("subject:račun", "hostile")).toBe("yes");
    expect(verdict("from:img", "hostile")).toBe("yes");
  });
});

describe("known matching: three-valued logic", () => {
  it("negates yes and no, and keeps unknown unknown", () => {
    expect(verdict("-from:jelena", "jelena")).toBe("no");
    expect(verdict("-from:jelena", "ljubica")).toBe("yes");
    expect(verdict("-ugovor", "jelena")).toBe("unknown");
  });

  it("ANDs: any no is no, all yes is yes", () => {
    expect(verdict("from:jelena is:unread", "jelena")).toBe("yes");
    expect(verdict("from:jelena is:read", "jelena")).toBe("no");
    expect(verdict("from:jelena ugovor", "jelena")).toBe("unknown");
    expect(verdict("from:marko ugovor", "jelena")).toBe("no");
  });

  it("ORs: any yes is yes, all no is no", () => {
    expect(verdict("from:marko OR ugovor", "jelena")).toBe("unknown");
    expect(verdict("from:marko OR is:flagged", "jelena")).toBe("yes");
    expect(verdict("from:marko OR from:ana", "jelena")).toBe("no");
    expect(verdict("-(from:marko OR ugovor)", "jelena")).toBe("unknown");
  });
});

describe("known matching: flags, size, attachments, dates", () => {
  it("answers flags and sizes from the row", () => {
    expect(verdict("is:flagged", "jelena")).toBe("yes");
    expect(verdict("is:read", "ljubica")).toBe("yes");
    expect(verdict("is:unread", "ljubica")).toBe("no");
    expect(verdict("larger:1M", "jelena")).toBe("yes");
    expect(verdict("smaller:1M", "jelena")).toBe("no");
    expect(verdict("larger:0", "banana", { currentFolder: "Računi/2026" })).toBe("yes");
  });

  it("answers has:attachment only as a condition of the whole query", () => {
    expect(verdict("has:attachment", "jelena")).toBe("yes");
    expect(verdict("from:jelena has:attachment", "ljubica")).toBe("no");
    expect(verdict("-has:attachment", "ljubica")).toBe("yes");
    expect(verdict("has:attachment OR is:read", "jelena")).toBe("unknown");
  });

  it("leaves dates unknown without the internal date, and near the bound", () => {
    expect(verdict("after:2026-11-01", "jelena")).toBe("unknown");
    const sent = { ...rows.jelena, internalDate: Date.UTC(2026, 10, 20, 9) };
    const judge = (q: string) => {
      const parsed = parseSearchQuery(q, { now, locale: "sr" });
      if (!parsed.ok) throw new Error(parsed.error.message);
      return createKnownMatcher(parsed.query, inbox)(sent);
    };
    expect(judge("after:2026-11-01")).toBe("yes");
    expect(judge("before:2026-11-01")).toBe("no");
    expect(judge("before:2026-12-01")).toBe("yes");
    expect(judge("after:2026-11-20")).toBe("unknown");
    expect(judge("before:2026-11-21")).toBe("unknown");
    expect(judge("newer_than:30d")).toBe("yes");
    expect(judge("older_than:10d")).toBe("unknown");
  });
});

describe("known matching: scope", () => {
  it("says no outside the current folder and yes in every folder for in:all", () => {
    expect(verdict("from:banana", "banana")).toBe("no");
    expect(verdict("in:all from:banana", "banana")).toBe("yes");
    expect(verdict("in:all from:jelena", "jelena")).toBe("yes");
  });

  it("is sure of in:FOLDER only for the folder of exactly that path", () => {
    expect(verdict('in:"Računi/2026" from:banana', "banana")).toBe("yes");
    expect(verdict("in:racuni/2026 from:banana", "banana")).toBe("unknown");
    expect(verdict("in:racuni/2026 from:jelena", "banana")).toBe("no");
  });
});

describe("newestKnownMatches", () => {
  const judge = (q: string) => {
    const parsed = parseSearchQuery(q, { now, locale: "sr" });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const match = createKnownMatcher(parsed.query, inbox);
    return (row: Row) => match(rows[row]);
  };
  const newestFirst: Row[] = ["hostile", "ljubica", "jelena"];

  it("keeps every yes when every row is judged", () => {
    expect(newestKnownMatches(newestFirst, judge("from:jelena"))).toEqual(["hostile", "jelena"]);
    expect(newestKnownMatches(newestFirst, judge("from:marko"))).toEqual([]);
  });

  it("stops at the first row that cannot be judged", () => {
    // "ljubica" might have "jelena" in its body: whatever follows it is not shown early.
    expect(newestKnownMatches(newestFirst, judge("jelena"))).toEqual(["hostile"]);
    expect(newestKnownMatches(["ljubica", "jelena"], judge("jelena"))).toEqual([]);
  });
});
