/**
 * The attachment reminder (Thunderbird's, Gmail's, Roundcube's): a message whose writer says a
 * file is attached, sent with none, is asked about first. Only the writer's own words count:
 * not a quote, not a forwarded message, not the signature (a legal footer that speaks of
 * attachments would otherwise ask every time), not a link.
 */

// Word starts, in English and in Serbian (Latin with or without diacritics, and Cyrillic):
// attach, attached, attachment(s); enclosed; prilog, u prilogu, prilozi, priložen(o), prilažem;
// prikačen, prikačio; прилог, приложен, прилажем, прикачен. "prilaz" (an approach) is not one.
const MENTION =
  /(?<![\p{L}\p{N}])(?:attach\p{L}*|enclosed|prilo[gzž]\p{L}*|prila[zž]em|prika[cč]\p{L}*|прило[гзж]\p{L}*|прилажем|прикач\p{L}*)/iu;

/** A forwarded message's header line, in any language: "---------- Forwarded message ----------". */
const FORWARD_HEADER = /^\s*-{5,}.*-{5,}\s*$/;

/** The writer's own lines of a plain text: up to the signature ("-- ") or a forwarded message,
 * without quoted lines ("> …"). */
export function writersOwnText(text: string): string {
  const own: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === "-- " || line === "--" || FORWARD_HEADER.test(line)) break;
    if (/^\s*>/.test(line)) continue;
    own.push(line);
  }
  return own.join("\n");
}

/** Whether the writer's own words say a file is attached (links aside). */
export function mentionsAttachment(ownText: string): boolean {
  return MENTION.test(writersOwnText(ownText).replace(/\b(?:https?|ftp):\/\/\S+/gi, " "));
}
