import { createHash } from "node:crypto";
import type { IdentitiesPort, IdentityStorage } from "@pismo/protocol/router";
import { MailError } from "@pismo/protocol/errors";
import {
  IDENTITIES_METADATA_ENTRY,
  NO_IDENTITIES_VERSION,
  SETTINGS_SUBJECT,
  identitySettingsSchema,
  type IdentitySettings,
} from "@pismo/protocol/identities";
import type { ImapContext } from "./context";
import { ImapSettingsEntry } from "./settings-entry";

/** The stored document as the store uses it: ImapSettingsEntry, or one kept in memory in tests. */
export interface IdentitiesDocument {
  read(): Promise<{ value: IdentitySettings | null; storage: IdentityStorage }>;
  save(value: IdentitySettings): Promise<{ storage: IdentityStorage }>;
}

/**
 * What the page was shown, as the `version` it sends back with a save: a hash of the settings
 * as read (validated, so the same for every copy of one stored document), or
 * NO_IDENTITIES_VERSION for none. A hash, so the page carries no second copy of them.
 */
export function identitiesVersion(settings: IdentitySettings | null): string {
  if (settings === null) return NO_IDENTITIES_VERSION;
  return createHash("sha256").update(JSON.stringify(settings)).digest("base64url");
}

/**
 * An IMAP account's identities, kept on its server so that every device sees the same (see
 * ImapSettingsEntry: a METADATA entry, else a settings message in the settings folder). The
 * whole document is written on each save, so a save is of the identities the page was shown:
 * it carries their `version`, and is refused (CHANGED) when what is stored is something else
 * by then. Without that, a laptop showing stale identities that saved a signature would delete
 * the identity a phone had added meanwhile.
 */
export class ImapIdentityStore implements IdentitiesPort {
  private readonly doc: IdentitiesDocument;
  /** The saves of this session, one after another (see #oneWriteAtATime). */
  #writes: Promise<unknown> = Promise.resolve();

  constructor(ctx: (() => Promise<ImapContext>) | IdentitiesDocument, forceStorage?: IdentityStorage) {
    this.doc =
      typeof ctx === "function"
        ? new ImapSettingsEntry(ctx, {
            label: "identities",
            entry: IDENTITIES_METADATA_ENTRY,
            subject: SETTINGS_SUBJECT,
            schema: identitySettingsSchema,
            ...(forceStorage ? { forceStorage } : {}),
          })
        : ctx;
  }

  async read(): Promise<{ settings: IdentitySettings | null; storage: IdentityStorage; version: string }> {
    const { value, storage } = await this.doc.read();
    return { settings: value, storage, version: identitiesVersion(value) };
  }

  save(
    settings: IdentitySettings,
    opts: { version?: string } = {},
  ): Promise<{ storage: IdentityStorage; version: string }> {
    return this.#oneWriteAtATime(async () => {
      if (opts.version !== undefined) {
        const { value } = await this.doc.read();
        if (identitiesVersion(value) !== opts.version)
          throw new MailError(
            "CHANGED",
            "Your identities were changed on another device; here they are now. Make your change again.",
          );
      }
      const { storage } = await this.doc.save(settings);
      // As it will read back: the stored JSON is the validated settings (trimmed addresses).
      return { storage, version: identitiesVersion(identitySettingsSchema.parse(settings)) };
    });
  }

  /**
   * Neither METADATA (RFC 5464) nor a settings message has "write only if unchanged": a save
   * compares what is stored with the page's version, then writes. Two saves of one session (two
   * tabs) run one after the other, so that neither writes between the other's comparing and
   * writing; another session's save can still fall in there, in a window of one round trip.
   */
  #oneWriteAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#writes.then(work, work);
    this.#writes = run.catch(() => undefined);
    return run;
  }
}
