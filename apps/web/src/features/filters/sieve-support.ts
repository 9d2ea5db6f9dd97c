import { ruleNeeds, vacationNeeds, type Rule, type RuleSet } from "@pismo/protocol/rules";

/**
 * What a Sieve server runs, as the page learns it from the gateway (RFC 5804 section 1.7: the
 * SIEVE capability lists the extensions), against what Pismo's rules need of it (the protocol's
 * sieveNeeds, from which compileSieve writes its `require`). A server that named none is not
 * known to lack any: everything is offered, as runsImap4flags takes it to run imap4flags.
 */
export type SieveExtensions = ReadonlySet<string> | null;

/** The server's list as the gateway gives it; empty (not reported) is unknown: null. Lower
 * case, as Pismo's needs are written: a server that spells a name otherwise still runs it. */
export function sieveExtensions(list: readonly string[]): SieveExtensions {
  return list.length === 0 ? null : new Set(list.map((name) => name.toLowerCase()));
}

/** The extensions of `needs` the server does not run, in the order given; none when unknown. */
export function lacking(extensions: SieveExtensions, needs: readonly string[]): string[] {
  return extensions === null ? [] : needs.filter((e) => !extensions.has(e));
}

/** A part of a rule set that needs what the server does not run, and which extensions. */
export type Unsupported =
  | { part: "rule"; rule: Rule; index: number; extensions: string[] }
  | { part: "vacation"; extensions: string[] };

/** The parts of `set` the server would refuse for an extension it does not run, in order. */
export function unsupportedIn(set: RuleSet, extensions: SieveExtensions): Unsupported[] {
  const found: Unsupported[] = [];
  const reply = lacking(extensions, vacationNeeds(set.vacation));
  if (reply.length > 0) found.push({ part: "vacation", extensions: reply });
  set.rules.forEach((rule, index) => {
    const missing = lacking(extensions, ruleNeeds(rule));
    if (missing.length > 0) found.push({ part: "rule", rule, index, extensions: missing });
  });
  return found;
}

/**
 * A save not sent: the rule set needs an extension the server does not run, and the server would
 * refuse the whole script (its CHECKSCRIPT or PUTSCRIPT) in words that name a `require`, not
 * the rule. `parts` says which, for the page to say so first.
 */
export class UnsupportedBySieve extends Error {
  override readonly name = "UnsupportedBySieve";
  constructor(readonly parts: readonly Unsupported[]) {
    super(
      `The server does not run the Sieve extensions ${[...new Set(parts.flatMap((p) => p.extensions))].join(", ")}`,
    );
  }
}
