/**
 * Rules for values that go into a message's header, shared by the page (which builds a reply's
 * threading, reads an imported message's Message-ID) and the gateway (which refuses what could
 * inject a header). No imports, so the light `mime/imported` entry stays light.
 */

/** A C0 control other than TAB, or DEL: what could end a header line or confuse a parser. The
 * gateway refuses a header value holding one (TAB is folding whitespace). */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const HEADER_CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

export function hasHeaderControl(value: string): boolean {
  return HEADER_CONTROL.test(value);
}

// One msg-id (RFC 5322 §3.6.4) as a reply's In-Reply-To and References carry it and the gateway
// takes it: "<" id ">", with no spaces, angle brackets or control characters inside.
// eslint-disable-next-line no-control-regex -- control characters are what it keeps out
const MESSAGE_ID = /<[^<>\s\x00-\x1f\x7f]+>/g;

/** Whether `value` is exactly one msg-id, brackets included. */
export function isMessageId(value: string): boolean {
  return value.match(MESSAGE_ID)?.[0] === value;
}

/** The msg-ids in a header's text ("<a@x> <b@y>", comments and junk between them), in order. */
export function messageIdsIn(text: string): string[] {
  return text.match(MESSAGE_ID) ?? [];
}
