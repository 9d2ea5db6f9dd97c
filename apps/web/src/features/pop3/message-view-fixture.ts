import type { MessageView } from "@pismo/protocol/mime";

/** For tests: a parsed message from Ana to me, Cc Bob, with a plain-text body. */
export function parsedMessage(patch: Partial<MessageView> = {}): MessageView {
  return {
    messageId: "<m@x>",
    subject: "Račun",
    from: { name: "Ana", address: "ana@primer.rs" },
    sender: null,
    replyTo: [],
    to: [{ name: "", address: "me@pismo.test" }],
    cc: [{ name: "Bob", address: "bob@primer.rs" }],
    bcc: [],
    date: "2026-06-02T07:00:00.000Z",
    inReplyTo: null,
    references: [],
    text: "x",
    html: null,
    attachments: [],
    notes: [],
    ...patch,
  };
}
