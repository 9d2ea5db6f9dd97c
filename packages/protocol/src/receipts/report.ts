// The receipt itself (RFC 8098 §3): a multipart/report of report-type
// disposition-notification, whose first part a person reads and whose second a program does.
// Built here as text; the gateway puts it into MIME and hands it to the SMTP server.

// No zod here: the page loads this with the message view, and zod waits for later (first-load).

/** A Message-ID as a receipt names it, in its angle brackets (parsers give it with or without);
 * null for none, or for one that could not be a Message-ID. */
export function bracketedMessageId(id: string | null | undefined): string | null {
  const bare = /^<?([^<>\s]{1,996})>?$/.exec((id ?? "").trim());
  return bare ? `<${bare[1]}>` : null;
}

/** The product named in Reporting-UA (RFC 8098 §3.2.1). */
const REPORTING_UA = "Pismo";

const TEXTS = {
  en: {
    subject: (s: string) => `Read: ${s}`,
    text: (reader: string, s: string) =>
      `This is a receipt for the message you sent to ${reader} with the subject "${s}".\r\n\r\n` +
      "It says only that the message was shown on the recipient's screen. It does not say that " +
      "it was read or understood.\r\n",
  },
  sr: {
    subject: (s: string) => `Pročitano: ${s}`,
    text: (reader: string, s: string) =>
      `Ovo je potvrda za poruku koju ste poslali na ${reader} sa naslovom „${s}“.\r\n\r\n` +
      "Ona kaže samo da je poruka prikazana na ekranu primaoca, a ne da je pročitana ili shvaćena.\r\n",
  },
} as const;

/** The receipt's subject, its text for a person, and the notification's fields for a program. */
export interface ReceiptReport {
  subject: string;
  text: string;
  /** The body of the message/disposition-notification part: ASCII fields, CRLF-ended. */
  notification: string;
}

/** Folds a subject to one line: the original's comes decoded and may carry anything. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}

/**
 * The receipt for a message displayed to `reader` (the address it was read at): sent manually,
 * since Pismo sends none without the reader's press (RFC 8098 §3.2.6.1).
 */
export function receiptReport(input: {
  reader: string;
  subject: string;
  originalMessageId: string | null;
  language: "en" | "sr";
}): ReceiptReport {
  const texts = TEXTS[input.language];
  const subject = oneLine(input.subject);
  const fields = [
    `Reporting-UA: ${REPORTING_UA}`,
    `Final-Recipient: rfc822;${input.reader}`,
    ...(input.originalMessageId ? [`Original-Message-ID: ${input.originalMessageId}`] : []),
    "Disposition: manual-action/MDN-sent-manually; displayed",
  ];
  return {
    subject: texts.subject(subject),
    text: texts.text(input.reader, subject),
    notification: `${fields.join("\r\n")}\r\n`,
  };
}
