/**
 * The attachment reminder (Thunderbird's, Gmail's, Roundcube's): a message whose writer says a
 * file is attached, sent with none, is asked about first. Only the writer's own words count:
 * not a quote, not a forwarded message, not the signature (a legal footer that speaks of
 * attachments would otherwise ask every time), not a link.
 */

// Word starts, in English and in Serbian (Latin with or without diacritics, and Cyrillic):
// attach, attached, attachment(s); enclosed; prilog, u prilogu, prilozi, priložen(o), prilažem;
// prikačen, prikačio, zakačen, zakačio; прилог, приложен, прилажем, прикачен, закачен. "prilaz"
// (an approach) is not one.
const MENTION =
  /(?<![\p{L}\p{N}])(?:attach\p{L}*|enclosed|prilo[gzž]\p{L}*|prila[zž]em|prika[cč]\p{L}*|zaka[cč](?:en|io|ila|ih)\p{L}*|прило[гзж]\p{L}*|прилажем|прикач\p{L}*|закач(?:ен|ио|ила|их)\p{L}*)/iu;

/** Phrases that say "attached" of something else: no strings attached; "u prilog tome" (in
 * support of it). */
const NOT_A_FILE =
  /no strings attached|\bu prilog (?:tome|toga|ovome|ovoga|tezi|tvrdnji)\b|у прилог (?:томе|тога)/giu;

/** A forwarded message's header line, in any language: "---------- Forwarded message ----------"
 * (not an armoured PGP block's "-----BEGIN PGP SIGNED MESSAGE-----"). */
const FORWARD_HEADER = /^\s*-{5,}(?!BEGIN |END ).*-{5,}\s*$/;

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
  const words = writersOwnText(ownText)
    .replace(/\b(?:https?|ftp):\/\/\S+/gi, " ")
    .replace(/\S+@\S+/g, " ")
    .replace(NOT_A_FILE, " ");
  return MENTION.test(words);
}
