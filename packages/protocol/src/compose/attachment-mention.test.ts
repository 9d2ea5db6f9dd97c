import { describe, expect, it } from "vitest";
import { mentionsAttachment, writersOwnText } from "./attachment-mention";

describe("mentionsAttachment", () => {
  it("hears a file said to be attached, in English and in Serbian, Latin or Cyrillic, with or without diacritics", () => {
    for (const text of [
      "Please find the report attached.",
      "I attach the invoice.",
      "See the attachment.",
      "Enclosed is the contract.",
      "U prilogu ti šaljem ugovor.",
      "U PRILOGU je račun.",
      "Prilažem izveštaj.",
      "Prilazem izvestaj.",
      "Priloženo je rešenje.",
      "Prilozeno je resenje.",
      "Prikačio sam fajl.",
      "Fajl je prikacen.",
      "У прилогу је уговор.",
      "Прилажем извештај.",
      "Zakačio sam ugovor.",
      "Fajl je zakacen dole.",
      // An armoured PGP message's first line is not a forwarded message's header.
      "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nU prilogu je ugovor.",
      "Приложени су документи.",
    ])
      expect(mentionsAttachment(text), text).toBe(true);
  });

  it("does not hear it in other words, a quote, a forwarded message, the signature or a link", () => {
    for (const text of [
      "Vidimo se u petak.",
      "Prilaz zgradi je sa zadnje strane.",
      "He was very attentive.",
      "Hvala!\n\n> U prilogu je ugovor.\n> Pozdrav",
      "Evo.\n\n---------- Forwarded message ----------\nSubject: Ugovor\n\nU prilogu je ugovor.",
      "Pogledaj.\n\n---------- Prosleđena poruka ----------\nPrilažem izveštaj.",
      "Pozdrav,\nAna\n-- \nAttachments to this message are confidential.",
      "Link: https://example.com/attachments/42 i to je to.",
      "Pišite na attachments@firma.example za pomoć.",
      "A gift, no strings attached.",
      "U prilog tome govori i cena.",
    ])
      expect(mentionsAttachment(text), text).toBe(false);
  });
});

describe("writersOwnText", () => {
  it("keeps the writer's lines up to the signature or a forwarded message, without quoted ones", () => {
    expect(writersOwnText("Prvi red\n> citat\nDrugi red\n-- \nPotpis")).toBe("Prvi red\nDrugi red");
    expect(writersOwnText("Gore\n---------- Forwarded message ----------\nDole")).toBe("Gore");
  });
});
