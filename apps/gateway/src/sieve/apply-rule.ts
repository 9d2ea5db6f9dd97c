import type { SearchObject } from "imapflow";
import {
  headerValues,
  ruleHolds,
  type Rule,
  type RuleCondition,
  type RuleMessage,
} from "@pismo/protocol/rules";
import type { ApplyProgress } from "@pismo/protocol/rules";
import type { ImapContext } from "../imap/context";

/** What applying needs of the IMAP session: the connection and the ordinary mail actions. */
export interface ApplyTarget {
  /** The IMAP connection to search and read through (opened on demand). */
  ctx: () => Promise<ImapContext>;
  setFlags(folder: string, uids: number[], flags: { seen?: boolean; flagged?: boolean }): Promise<unknown>;
  move(folder: string, uids: number[], to: string): Promise<void>;
  copy(folder: string, uids: number[], to: string): Promise<void>;
  remove(folder: string, uids: number[]): Promise<{ permanently: boolean }>;
}

const BATCH = 200;

/**
 * A SEARCH (RFC 9051 6.4.4) that finds at least every message the condition can hold for.
 * IMAP SEARCH compares substrings, case-insensitively; `is` and `matches` are narrowed by
 * their longest plain piece and checked exactly afterwards. Null: SEARCH cannot narrow it.
 */
function narrow(condition: RuleCondition): SearchObject | null {
  if (condition.kind === "size")
    return condition.over ? { larger: condition.bytes } : { smaller: condition.bytes };
  if (condition.kind === "attachment") return null;
  let text = condition.value.trim();
  if (condition.match === "matches") {
    const pieces = text.split(/(?<!\\)[*?]/).map((p) => p.replace(/\\(.)/g, "$1"));
    text = pieces.reduce((a, b) => (b.length > a.length ? b : a), "");
  }
  if (text === "") return null;
  let search: SearchObject;
  if (condition.field === "from") search = { from: text };
  else if (condition.field === "to") search = { or: [{ to: text }, { cc: text }] };
  else if (condition.field === "subject") search = { subject: text };
  else search = { header: { [condition.header ?? ""]: text } };
  if (condition.not) return condition.match === "contains" ? { not: search } : null;
  return search;
}

function searchFor(rule: Rule): SearchObject {
  const pieces = rule.conditions.map(narrow);
  if (rule.match === "any") {
    if (pieces.some((p) => p === null)) return { all: true };
    const list = pieces as SearchObject[];
    return list.length === 1 ? list[0]! : { or: list };
  }
  // Every condition must hold: the first one SEARCH can express is enough to narrow.
  return pieces.find((p) => p !== null) ?? { all: true };
}

interface Part {
  disposition?: string;
  childNodes?: Part[];
}

function hasAttachment(node: Part | undefined): boolean {
  if (!node) return false;
  if (node.disposition?.toLowerCase() === "attachment") return true;
  return (node.childNodes ?? []).some(hasAttachment);
}

/**
 * Runs one rule over the mail already in a folder: SEARCH for candidates, fetch their
 * headers, check the rule exactly as the POP3 engine does, and act on the matches in batches.
 * Forward and reject are for arriving mail and are not done here.
 */
export async function* applyRuleToFolder(
  target: ApplyTarget,
  folder: string,
  rule: Rule,
  signal: AbortSignal,
): AsyncIterable<ApplyProgress> {
  const headerNames = [
    "from",
    "to",
    "cc",
    "subject",
    ...rule.conditions.flatMap((c) => (c.kind === "text" && c.header ? [c.header] : [])),
  ];
  const uids = await (
    await target.ctx()
  ).inFolder(folder, async (client) => {
    const found = await client.search(searchFor(rule), { uid: true });
    return found === false || found === undefined ? [] : found;
  });
  const total = uids.length;
  let checked = 0;
  let matched = 0;
  yield { checked, total, matched, done: false };
  for (let i = 0; i < uids.length; i += BATCH) {
    if (signal.aborted) return;
    const batch = uids.slice(i, i + BATCH);
    const hits = await (
      await target.ctx()
    ).inFolder(folder, async (client) => {
      const out: number[] = [];
      for await (const m of client.fetch(
        batch.join(","),
        { uid: true, size: true, bodyStructure: true, headers: headerNames },
        { uid: true },
      )) {
        const raw = m.headers ?? Buffer.alloc(0);
        const message: RuleMessage = {
          from: headerValues(raw, "from").join(", "),
          to: [...headerValues(raw, "to"), ...headerValues(raw, "cc")],
          subject: headerValues(raw, "subject").join(" "),
          header: (name) => headerValues(raw, name),
          size: m.size ?? 0,
          hasAttachment: hasAttachment(m.bodyStructure as Part | undefined),
        };
        if (ruleHolds(rule, message)) out.push(m.uid);
      }
      return out;
    });
    if (hits.length > 0) await act(target, folder, rule, hits);
    checked += batch.length;
    matched += hits.length;
    yield { checked, total, matched, done: false };
  }
  yield { checked, total, matched, done: true };
}

async function act(target: ApplyTarget, folder: string, rule: Rule, uids: number[]): Promise<void> {
  const seen = rule.actions.some((a) => a.type === "markRead");
  const flagged = rule.actions.some((a) => a.type === "flag");
  if (seen || flagged)
    await target.setFlags(folder, uids, { ...(seen ? { seen } : {}), ...(flagged ? { flagged } : {}) });
  for (const action of rule.actions) {
    if (action.type === "copy") await target.copy(folder, uids, action.folder);
  }
  const move = rule.actions.find((a) => a.type === "move");
  if (move?.type === "move" && move.folder !== folder) await target.move(folder, uids, move.folder);
  else if (rule.actions.some((a) => a.type === "discard")) await target.remove(folder, uids);
}
