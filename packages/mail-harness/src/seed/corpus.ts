/** Word material for generated mail. Serbian Latin on purpose: č ć š đ ž are the letters that break charset handling. */

export const SERBIAN_SENTENCES = [
  "Poštovani, u prilogu vam šaljem račun za prethodni mesec.",
  "Molim vas da potvrdite prijem ove poruke do kraja nedelje.",
  "Sastanak je pomeren za četvrtak u 10 časova, u sali na drugom spratu.",
  "Hvala na brzom odgovoru, sve je jasno.",
  "Đorđe je juče poslao izveštaj, ali fale podaci za Čačak i Šabac.",
  "Ćirilica i latinica su ravnopravne, ali ova poruka koristi latinicu.",
  "Žao mi je što kasnim sa odgovorom, bio sam na službenom putu.",
  "Plaćanje je moguće izvršiti preko računa ili gotovinom na šalteru.",
  "Ugovor je potpisan i skeniran, original šaljem poštom.",
  "Da li možemo da se čujemo sutra pre podne?",
  "Ključne tačke su navedene u dokumentu, pogledajte odeljak tri.",
  "Porudžbina broj 4471 je isporučena na adresu u Novom Sadu.",
  "Srdačan pozdrav iz Niša i puno uspeha u daljem radu.",
  "Zahtev za godišnji odmor je odobren od 14. do 28. jula.",
  "Obaveštavamo vas da će zbog radova biti isključena struja u ulici Kneza Miloša.",
  "Šef računovodstva traži da se fakture dostave najkasnije do petka.",
  "Uživajte u vikendu, vidimo se u ponedeljak.",
  "Tražena specifikacija se nalazi u prilogu, u PDF formatu.",
];

export const ENGLISH_SENTENCES = [
  "Please find the quarterly report attached.",
  "Could you review the draft before Friday?",
  "The meeting has been moved to Thursday at 10 am.",
  "Thanks for the quick reply, that clears things up.",
  "Your order has shipped and should arrive within three business days.",
  "We noticed a new sign-in to your account from a new device.",
  "Let me know if anything in the proposal needs changing.",
  "The build is green again after the dependency update.",
  "I have added comments to the second section of the document.",
  "This week's newsletter covers release notes, events and a short survey.",
  "Reminder: the invoice is due at the end of the month.",
  "Happy to help, just send me the details when you have them.",
  "The server maintenance window starts at midnight UTC.",
  "Attached are the photos from the team offsite.",
  "Can we push the deadline by a couple of days?",
  "Welcome aboard! Here is everything you need for your first week.",
];

export const SERBIAN_SUBJECTS = [
  "Račun za {month}",
  "Sastanak u četvrtak",
  "Izveštaj – Čačak i Šabac",
  "Potvrda porudžbine {n}",
  "Godišnji odmor",
  "Đački dom: obaveštenje",
  "Ponuda za održavanje",
  "Žalba na isporuku",
  "Pozivnica za proslavu",
  "Ugovor – potpis",
  "Ključevi od kancelarije",
  "Plaćanje članarine",
];

export const ENGLISH_SUBJECTS = [
  "Quarterly report {n}",
  "Re: draft review",
  "Meeting moved to Thursday",
  "Your order #{n} has shipped",
  "New sign-in to your account",
  "Weekly newsletter",
  "Invoice due",
  "Team offsite photos",
  "Deadline extension?",
  "Welcome aboard",
  "Build status",
  "Proposal feedback",
];

export const PEOPLE = [
  { name: "Đorđe Petrović", address: "djordje.petrovic@primer.rs" },
  { name: "Jelena Šćekić", address: "jelena@primer.rs" },
  { name: "Milica Čović", address: "milica.covic@firma.co.rs" },
  { name: "Nikola Žigić", address: "nikola@zigic.rs" },
  { name: "Ana Ćirić", address: "ana.ciric@posta.rs" },
  { name: "Marko Marković", address: "marko@example.org" },
  { name: "Alice Example", address: "alice@example.com" },
  { name: "Bob Builder", address: "bob@builder.example" },
  { name: "Carol Smith", address: "carol.smith@example.net" },
  { name: "GitHub", address: "noreply@github.example" },
  { name: "Newsletter Team", address: "news@letters.example" },
  { name: "Računovodstvo", address: "racunovodstvo@firma.co.rs" },
];

export const MONTHS_SR = [
  "januar",
  "februar",
  "mart",
  "april",
  "maj",
  "jun",
  "jul",
  "avgust",
  "septembar",
  "oktobar",
  "novembar",
  "decembar",
];

export const ATTACHMENT_NAMES = [
  { filename: "račun-{n}.pdf", contentType: "application/pdf" },
  { filename: "izveštaj_četvrti_kvartal.pdf", contentType: "application/pdf" },
  { filename: "report-{n}.pdf", contentType: "application/pdf" },
  { filename: "slika_sa_žurke.png", contentType: "image/png" },
  { filename: "photo-{n}.png", contentType: "image/png" },
  { filename: "beleške.txt", contentType: "text/plain" },
  { filename: "notes.txt", contentType: "text/plain" },
  {
    filename: "Ugovor o saradnji – konačna verzija sa izmenama Đorđa i Šćekića.pdf",
    contentType: "application/pdf",
  },
];
