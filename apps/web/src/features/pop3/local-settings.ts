import { builtInFolderIds, mergeImportedSettings, parseSettingsFile } from "@pismo/protocol/filters";
import type { FilterRule, LocalFolder, ParseSettingsResult, SettingsFile } from "@pismo/protocol/filters";
import { defaultPop3Policy, pop3PolicySchema } from "@pismo/protocol/pop3";
import { legacyFilterFromRule, ruleFromLegacyFilter, ruleSchema, type Rule } from "@pismo/protocol/rules";
import type { Pop3Policy } from "@pismo/protocol/pop3";
import { readAddressBook, type AddressBook } from "@pismo/protocol/contacts";
import {
  identitySettingsSchema,
  parseIdentitySettings,
  type IdentitySettings,
} from "@pismo/protocol/identities";
import { TRASH, localBuiltIns, type Pop3Database } from "./pop3-database";
import { randomId } from "@pismo/protocol/ids";
import {
  MAX_TEMPLATES,
  mergeTemplates,
  newestTemplates,
  storedTemplateSchema,
  type StoredTemplate,
  type TemplateBody,
} from "@pismo/protocol/templates";

/**
 * A POP3 account's settings, kept in its database next to the mail: the policy, local folders
 * and filters (which travel to another computer as the exported settings file), and how often
 * to check for mail (which stays with this browser).
 */
export interface Pop3Settings {
  policy: Pop3Policy;
  folders: LocalFolder[];
  /** The account's rules (the model IMAP's server filters share); run on each pulled message. */
  rules: Rule[];
  /** 0 = only on request. @default 10 */
  checkEveryMinutes: number;
}

function newId(prefix: string): string {
  return `${prefix}-${randomId().slice(0, 8)}`;
}

export async function readSettings(db: Pop3Database): Promise<Pop3Settings> {
  const rows = await db.settings.bulkGet(["policy", "folders", "filters", "checkEveryMinutes", "rules"]);
  const [policy, folders, filters, every, rules] = rows.map((r) => r?.value);
  const parsedPolicy = pop3PolicySchema.safeParse(policy ?? {});
  return {
    policy: parsedPolicy.success ? parsedPolicy.data : defaultPop3Policy,
    folders: Array.isArray(folders) ? (folders as LocalFolder[]) : [],
    // Filters stored before the shared rule model are read as rules until the next save.
    rules: Array.isArray(rules)
      ? (rules as unknown[]).flatMap((r) => {
          const parsed = ruleSchema.safeParse(r);
          return parsed.success ? [parsed.data] : [];
        })
      : Array.isArray(filters)
        ? (filters as FilterRule[]).map(ruleFromLegacyFilter)
        : [],
    checkEveryMinutes: typeof every === "number" ? every : 10,
  };
}

export async function setPolicy(db: Pop3Database, policy: Pop3Policy): Promise<void> {
  await db.settings.put({ key: "policy", value: pop3PolicySchema.parse(policy) });
}

export async function setCheckEveryMinutes(db: Pop3Database, minutes: number): Promise<void> {
  await db.settings.put({
    key: "checkEveryMinutes",
    value: Math.max(0, Math.min(1440, Math.round(minutes))),
  });
}

export async function setRules(db: Pop3Database, rules: Rule[]): Promise<void> {
  await db.settings.put({ key: "rules", value: rules.map((r) => ruleSchema.parse(r)) });
}

/** Adds an old-style filter as a rule (tests and older callers). */
export async function addFilter(db: Pop3Database, filter: Omit<FilterRule, "id">): Promise<Rule> {
  const rule = ruleFromLegacyFilter({ ...filter, id: newId("r") });
  const { rules } = await readSettings(db);
  await setRules(db, [...rules, rule]);
  return rule;
}

export async function createFolder(db: Pop3Database, name: string): Promise<LocalFolder> {
  const folder = { id: newId("f"), name: name.trim() };
  const { folders } = await readSettings(db);
  await db.settings.put({ key: "folders", value: [...folders, folder] });
  return folder;
}

export async function renameFolder(db: Pop3Database, id: string, name: string): Promise<void> {
  const { folders } = await readSettings(db);
  await db.settings.put({
    key: "folders",
    value: folders.map((f) => (f.id === id ? { ...f, name: name.trim() } : f)),
  });
}

/** Its messages go to the Trash (nothing is lost by a slip); filters into it stop moving. */
export async function deleteFolder(db: Pop3Database, id: string): Promise<void> {
  if (localBuiltIns.includes(id) || (builtInFolderIds as readonly string[]).includes(id)) return;
  await db.transaction("rw", db.messages, db.settings, async () => {
    const { folders, rules } = await readSettings(db);
    await db.messages.where("folderId").equals(id).modify({ folderId: TRASH });
    await db.settings.put({ key: "folders", value: folders.filter((f) => f.id !== id) });
    await db.settings.put({ key: "rules", value: withoutFolder(rules, id) });
  });
}

/** The address book, kept as one settings row (it is read whole for every completion). */
export async function readContacts(db: Pop3Database): Promise<AddressBook> {
  return readAddressBook((await db.settings.get("contacts"))?.value ?? null);
}

export async function writeContacts(db: Pop3Database, book: AddressBook): Promise<void> {
  await db.settings.put({ key: "contacts", value: book });
}

/** The identities and signatures kept in this browser; null when none were saved (or what is
 * stored does not validate). */
export async function readIdentities(db: Pop3Database): Promise<IdentitySettings | null> {
  const row = await db.settings.get("identities");
  if (!row) return null;
  const parsed = parseIdentitySettings(row.value);
  return parsed.ok ? parsed.settings : null;
}

export async function setIdentities(db: Pop3Database, settings: IdentitySettings): Promise<void> {
  await db.settings.put({ key: "identities", value: identitySettingsSchema.parse(settings) });
}

/** The account's templates, newest first (kept with its settings, and exported with them). One
 * that does not read as a template (written by another version) is left out, not the rest. */
export async function readTemplates(db: Pop3Database): Promise<StoredTemplate[]> {
  const value = (await db.settings.get("templates"))?.value;
  const rows = Array.isArray(value) ? (value as unknown[]) : [];
  return newestTemplates(
    rows.flatMap((row) => {
      const parsed = storedTemplateSchema.safeParse(row);
      return parsed.success ? [parsed.data] : [];
    }),
  );
}

/** Keeps a new template (checked: templateBodySchema). Refused at the account's limit: the
 * oldest is never dropped to make room. */
export async function addTemplate(
  db: Pop3Database,
  body: TemplateBody,
  now = Date.now(),
): Promise<StoredTemplate> {
  const template = storedTemplateSchema.parse({ ...body, id: newId("t"), savedAt: now });
  await db.transaction("rw", db.settings, async () => {
    const kept = await readTemplates(db);
    if (kept.length >= MAX_TEMPLATES)
      throw new Error(`There are ${MAX_TEMPLATES} templates already, the most kept: delete one first`);
    await db.settings.put({ key: "templates", value: [template, ...kept] });
  });
  return template;
}

export async function removeTemplate(db: Pop3Database, id: string): Promise<void> {
  await db.transaction("rw", db.settings, async () => {
    const left = (await readTemplates(db)).filter((t) => t.id !== id);
    await db.settings.put({ key: "templates", value: left });
  });
}

export async function exportSettings(db: Pop3Database): Promise<SettingsFile> {
  const { policy, folders, rules } = await readSettings(db);
  const filters = rules.flatMap((r) => legacyFilterFromRule(r) ?? []);
  const contacts = await readContacts(db);
  const identities = await readIdentities(db);
  const templates = await readTemplates(db);
  // Checked as an import would check it, so that what is wrong (a rule into a folder that is
  // gone, say) is said in the words an import would use, not as the schema's raw report.
  const checked = parseSettingsFile({
    version: 1,
    policy,
    folders,
    filters,
    rules,
    contacts,
    ...(identities ? { identities } : {}),
    ...(templates.length > 0 ? { templates } : {}),
  });
  if (!checked.ok) throw new SettingsExportError(checked.error.replace(/^Invalid settings file: /, ""));
  return checked.settings;
}

/** The settings here would not make a valid file; `message` says which part and why. */
export class SettingsExportError extends Error {
  override readonly name = "SettingsExportError";
}

/**
 * Brings an exported file's settings into this browser: its policy, and its folders, rules,
 * contacts, identities and templates merged with the ones here (mergeImportedSettings: nothing here is
 * lost; a folder here named like one of the file's becomes that folder, its mail with it). A
 * bad file changes nothing and says what is wrong.
 */
export async function importSettings(db: Pop3Database, text: string): Promise<ParseSettingsResult> {
  const parsed = parseSettingsFile(text);
  if (!parsed.ok) return parsed;
  const { settings } = parsed;
  await db.transaction("rw", db.messages, db.settings, async () => {
    const here = await readSettings(db);
    const merged = mergeImportedSettings(
      {
        folders: here.folders,
        rules: here.rules,
        contacts: (await db.settings.get("contacts")) ? await readContacts(db) : null,
        identities: await readIdentities(db),
      },
      {
        folders: settings.folders,
        rules: settings.rules ?? settings.filters.map(ruleFromLegacyFilter),
        // A file from before the address book or identities travelled keeps this browser's.
        ...(settings.contacts ? { contacts: settings.contacts } : {}),
        ...(settings.identities ? { identities: settings.identities } : {}),
      },
    );
    for (const [from, to] of merged.renamed)
      await db.messages.where("folderId").equals(from).modify({ folderId: to });
    await db.settings.bulkPut([
      { key: "policy", value: settings.policy },
      { key: "folders", value: merged.folders },
      { key: "rules", value: merged.rules },
      ...(merged.contacts ? [{ key: "contacts", value: merged.contacts }] : []),
      ...(merged.identities ? [{ key: "identities", value: merged.identities }] : []),
      { key: "templates", value: mergeTemplates(await readTemplates(db), settings.templates) },
    ]);
  });
  return parsed;
}

function withoutFolder(rules: readonly Rule[], folderId: string): Rule[] {
  return rules.flatMap((rule) => {
    const actions = rule.actions.filter(
      (a) => !((a.type === "move" || a.type === "copy") && a.folder === folderId),
    );
    return actions.length > 0 ? [{ ...rule, actions }] : [];
  });
}
