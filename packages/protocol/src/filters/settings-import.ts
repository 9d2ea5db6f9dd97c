import { mergeAddressBooks } from "../contacts/sync";
import type { AddressBook } from "../contacts/address-book";
import type { IdentitySettings } from "../identities/schema";
import type { Rule } from "../rules";
import type { LocalFolder } from "./schema";

/** What a POP3 account keeps in a browser that an imported settings file also carries. */
export interface ImportableSettings {
  folders: LocalFolder[];
  rules: Rule[];
  contacts: AddressBook | null;
  identities: IdentitySettings | null;
}

/** The most identities an account keeps (identitySettingsSchema). */
const MAX_IDENTITIES = 50;

const folderKey = (name: string) => name.trim().toLocaleLowerCase();
const addressKey = (address: string) => address.trim().toLowerCase();

/**
 * A settings file imported into a browser that has settings of its own: the file's are added,
 * and what is only here stays, so that importing loses nothing (the seed's "export to another
 * computer" brings settings there; it does not wipe what that computer had).
 * - Folders: the file's, then this browser's others. A folder here named like one of the
 *   file's (another id: made on both computers) is that folder: `renamed` says where its mail
 *   and its rules now go.
 * - Rules: the file's first, in its order (the order they run in), then the rules only here.
 * - Contacts: the two books merged as two devices' copies are (mergeAddressBooks).
 * - Identities: the file's, its first still the default, then those here with another id and
 *   address, up to the account's limit. Its signature placement.
 * A part the file does not carry (an older file) leaves this browser's as it is.
 */
export function mergeImportedSettings(
  here: ImportableSettings,
  file: Pick<ImportableSettings, "folders" | "rules"> & Partial<ImportableSettings>,
): ImportableSettings & { renamed: Map<string, string> } {
  const renamed = new Map<string, string>();
  const fileIds = new Set(file.folders.map((f) => f.id));
  const fileByName = new Map(file.folders.map((f) => [folderKey(f.name), f.id]));
  const folders = [...file.folders];
  for (const f of here.folders) {
    if (fileIds.has(f.id)) continue;
    const same = fileByName.get(folderKey(f.name));
    if (same) renamed.set(f.id, same);
    else folders.push(f);
  }
  const fileRuleIds = new Set(file.rules.map((r) => r.id));
  const rules = [
    ...file.rules,
    ...here.rules.filter((r) => !fileRuleIds.has(r.id)).map((r) => withFolders(r, renamed)),
  ];
  const contacts =
    file.contacts && here.contacts
      ? mergeAddressBooks(here.contacts, file.contacts)
      : (file.contacts ?? here.contacts);
  return { folders, rules, contacts, identities: mergeIdentities(here.identities, file.identities), renamed };
}

function mergeIdentities(
  here: IdentitySettings | null,
  file: IdentitySettings | null | undefined,
): IdentitySettings | null {
  if (!file || !here) return file ?? here;
  const ids = new Set(file.identities.map((i) => i.id));
  const addresses = new Set(file.identities.map((i) => addressKey(i.address)));
  const onlyHere = here.identities.filter((i) => !ids.has(i.id) && !addresses.has(addressKey(i.address)));
  return { ...file, identities: [...file.identities, ...onlyHere].slice(0, MAX_IDENTITIES) };
}

function withFolders(rule: Rule, renamed: ReadonlyMap<string, string>): Rule {
  if (renamed.size === 0) return rule;
  return {
    ...rule,
    actions: rule.actions.map((a) =>
      (a.type === "move" || a.type === "copy") && renamed.has(a.folder)
        ? { ...a, folder: renamed.get(a.folder)! }
        : a,
    ),
  };
}
