import type { IdentitiesPort, IdentityStorage } from "@pismo/protocol/router";
import {
  IDENTITIES_METADATA_ENTRY,
  SETTINGS_SUBJECT,
  identitySettingsSchema,
  type IdentitySettings,
} from "@pismo/protocol/identities";
import type { ImapContext } from "./context";
import { ImapSettingsEntry } from "./settings-entry";

/**
 * An IMAP account's identities, kept on its server so that every device sees the same (see
 * ImapSettingsEntry: a METADATA entry, else a settings message in the settings folder).
 */
export class ImapIdentityStore implements IdentitiesPort {
  private readonly entry: ImapSettingsEntry<IdentitySettings>;

  constructor(ctx: () => Promise<ImapContext>, forceStorage?: IdentityStorage) {
    this.entry = new ImapSettingsEntry(ctx, {
      label: "identities",
      entry: IDENTITIES_METADATA_ENTRY,
      subject: SETTINGS_SUBJECT,
      schema: identitySettingsSchema,
      ...(forceStorage ? { forceStorage } : {}),
    });
  }

  async read(): Promise<{ settings: IdentitySettings | null; storage: IdentityStorage }> {
    const { value, storage } = await this.entry.read();
    return { settings: value, storage };
  }

  save(settings: IdentitySettings): Promise<{ storage: IdentityStorage }> {
    return this.entry.save(settings);
  }
}
