import { buildMessage } from "./mime";

/** One message of a scripted exchange, with where it is filed and whether it was read. */
export interface FiledMessage {
  raw: Uint8Array;
  folder: string;
  seen: boolean;
  date: Date;
}

/** The exchange's days: March 2026, 09:00 UTC. */
export const exchangeDay = (n: number): Date => new Date(Date.UTC(2026, 2, n, 9));

/**
 * A three-message exchange for conversation tests, in Serbian: Ana writes ("Ručak u petak",
 * read), the user replies (in Sent), Ana answers (unread); and one unrelated unread message
 * in between ("Nevezana poruka"). Message-IDs are fixed so tests can reply into the thread.
 */
export function lunchExchange(me: string): FiledMessage[] {
  const ana = { name: "Ana Anić", address: "ana@primer.rs" };
  return [
    {
      raw: buildMessage({
        from: ana,
        to: me,
        subject: "Ručak u petak",
        text: "Da li stižeš u petak?",
        date: exchangeDay(1),
        messageId: "orig@primer.rs",
      }),
      folder: "INBOX",
      seen: true,
      date: exchangeDay(1),
    },
    {
      raw: buildMessage({
        from: "neko@primer.rs",
        to: me,
        subject: "Nevezana poruka",
        text: "Ništa.",
        date: exchangeDay(2),
        messageId: "other@primer.rs",
      }),
      folder: "INBOX",
      seen: false,
      date: exchangeDay(2),
    },
    {
      raw: buildMessage({
        from: me,
        to: ana.address,
        subject: "Re: Ručak u petak",
        text: "Stižem oko podne.",
        date: exchangeDay(3),
        messageId: "reply@pismo.test",
        inReplyTo: "orig@primer.rs",
        references: ["orig@primer.rs"],
      }),
      folder: "Sent",
      seen: true,
      date: exchangeDay(3),
    },
    {
      raw: buildMessage({
        from: ana,
        to: me,
        subject: "Re: Re: Ručak u petak",
        text: "Super, vidimo se!",
        date: exchangeDay(4),
        messageId: "answer@primer.rs",
        inReplyTo: "reply@pismo.test",
        references: ["orig@primer.rs", "reply@pismo.test"],
      }),
      folder: "INBOX",
      seen: false,
      date: exchangeDay(4),
    },
  ];
}
