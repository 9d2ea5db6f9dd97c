import type { MessageDetail } from "@pismo/protocol/schemas";

/** For tests: an opened IMAP message from Ana, an HTML body showing a picture by cid:, with a
 * PDF and an attached message. */
export function messageDetail(patch: Partial<MessageDetail> = {}): MessageDetail {
  return {
    folder: "INBOX",
    uid: 7,
    messageId: "<m@x>",
    subject: "Izveštaj",
    from: { name: "Ana", address: "ana@primer.rs" },
    replyTo: [],
    to: [{ name: "", address: "me@pismo.test" }],
    cc: [],
    bcc: [],
    date: "2026-06-02T07:00:00.000Z",
    inReplyTo: null,
    references: [],
    size: 1234,
    seen: false,
    flagged: true,
    body: {
      kind: "html",
      content: '<p>Vidi <img src="cid:logo@x"></p>',
      charsetNote: null,
      truncated: false,
    },
    attachments: [
      {
        part: "2",
        filename: "logo.png",
        mimeType: "image/png",
        size: 10,
        contentId: "logo@x",
        inline: true,
        isMessage: false,
      },
      {
        part: "3",
        filename: "",
        mimeType: "application/pdf",
        size: 20,
        contentId: null,
        inline: false,
        isMessage: false,
      },
      {
        part: "4",
        filename: "fwd.eml",
        mimeType: "message/rfc822",
        size: 30,
        contentId: null,
        inline: false,
        isMessage: true,
      },
    ],
    ...patch,
  };
}
