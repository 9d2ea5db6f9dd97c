import { describe, expect, it } from "vitest";
import { formatVcards, parseVcards } from "./vcard";

const crlf = (lines: string[]) => lines.join("\r\n") + "\r\n";

describe("parseVcards", () => {
  it("reads vCard 4.0 and 3.0: FN, several EMAIL, NOTE, CATEGORIES, folded lines, escapes", () => {
    const file = crlf([
      "BEGIN:VCARD",
      "VERSION:4.0",
      "FN:Marija Jovano",
      " vić",
      "EMAIL;TYPE=work:marija@primer.rs",
      "EMAIL:marija@kuca.rs",
      "NOTE:Sastanak\\, petkom\\; u 10\\nDrugi red",
      "CATEGORIES:Tim\\, prvi,Porodica",
      "END:VCARD",
      "BEGIN:VCARD",
      "VERSION:3.0",
      "N:Petrović;Đorđe;;;",
      "EMAIL;type=INTERNET;type=pref:djordje@primer.rs",
      "NOTE:a\\;b",
      "END:VCARD",
    ]);
    expect(parseVcards(file)).toEqual({
      ok: true,
      contacts: [
        {
          name: "Marija Jovanović",
          emails: ["marija@primer.rs", "marija@kuca.rs"],
          note: "Sastanak, petkom; u 10\nDrugi red",
          groups: ["Tim, prvi", "Porodica"],
        },
        { name: "Đorđe Petrović", emails: ["djordje@primer.rs"], note: "a;b", groups: [] },
      ],
    });
  });

  it("reads an old 2.1 file with quoted-printable and bare parameters", () => {
    const file = crlf([
      "BEGIN:VCARD",
      "VERSION:2.1",
      "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jovanovi=C4=87;Marija",
      "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Marija Jovanovi=C4=87",
      "EMAIL;INTERNET;PREF:marija@primer.rs",
      "NOTE;ENCODING=QUOTED-PRINTABLE:prvi red=0D=0A=",
      "drugi red",
      "END:VCARD",
    ]);
    expect(parseVcards(file)).toEqual({
      ok: true,
      contacts: [
        { name: "Marija Jovanović", emails: ["marija@primer.rs"], note: "prvi red\ndrugi red", groups: [] },
      ],
    });
  });

  it("turns a bad file down with a specific reason, taking nothing from it", () => {
    expect(parseVcards("")).toEqual({ ok: false, code: "empty" });
    expect(parseVcards("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")).toEqual({ ok: false, code: "notVcard" });
    expect(
      parseVcards(crlf(["BEGIN:VCARD", "VERSION:4.0", "FN:A", "END:VCARD", "BEGIN:VCARD", "FN:B"])),
    ).toEqual({
      ok: false,
      code: "unterminated",
    });
    const bad = parseVcards(crlf(["BEGIN:VCARD", "VERSION:4.0", "FN:A", "this is not a line", "END:VCARD"]));
    expect(bad).toMatchObject({ ok: false, code: "badLine", line: 4 });
  });
});

describe("formatVcards", () => {
  it("writes vCard 4.0 that reads back the same", () => {
    const contacts = [
      {
        id: "c-1",
        name: "Jovanović, Marija; dr",
        emails: ["marija@primer.rs", "m@kuca.rs"],
        note: "Duga beleška ".repeat(10).trim() + "\nsa dva reda",
        groups: ["Tim, prvi", "Porodica"],
      },
      { id: "c-2", name: "", emails: ["bez.imena@primer.rs"], note: "", groups: [] },
    ];
    const text = formatVcards(contacts);
    expect(text).toMatch(/^BEGIN:VCARD\r\nVERSION:4.0\r\n/);
    expect(text.split("\r\n").every((l) => new TextEncoder().encode(l).length <= 75)).toBe(true);
    expect(parseVcards(text)).toEqual({
      ok: true,
      contacts: [
        {
          name: contacts[0]?.name,
          emails: contacts[0]?.emails,
          note: contacts[0]?.note,
          groups: contacts[0]?.groups,
        },
        { name: "bez.imena@primer.rs", emails: ["bez.imena@primer.rs"], note: "", groups: [] },
      ],
    });
  });
});
