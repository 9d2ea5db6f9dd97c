import { z } from "zod";
import { pop3PolicySchema } from "../pop3/policy";

export const filterFieldSchema = z.enum(["from", "to", "subject"]);
export type FilterField = z.infer<typeof filterFieldSchema>;

const idSchema = z.string().trim().min(1, "must not be empty").max(200);

export const filterActionSchema = z
  .object({
    moveTo: idSchema.optional(),
    markRead: z.boolean().optional(),
  })
  .refine((action) => action.moveTo !== undefined || action.markRead === true, {
    message: "a filter must move the message or mark it read",
  });
export type FilterAction = z.infer<typeof filterActionSchema>;

export const filterRuleSchema = z.object({
  id: idSchema,
  field: filterFieldSchema,
  contains: z.string().trim().min(1, "must not be empty").max(500),
  action: filterActionSchema,
});
export type FilterRule = z.infer<typeof filterRuleSchema>;

export const localFolderSchema = z.object({
  id: idSchema,
  name: z.string().trim().min(1, "must not be empty").max(200),
});
export type LocalFolder = z.infer<typeof localFolderSchema>;

/** The folders every local mailbox has; filters may move mail into them too. */
export const builtInFolderIds = ["inbox", "trash"] as const;

/**
 * The `Export settings` file (seed point 4: the same folders and filters on every computer).
 * Version 1; a later version gets its own schema and a migration.
 */
export const settingsFileSchema = z
  .object({
    version: z.literal(1),
    policy: pop3PolicySchema,
    folders: z.array(localFolderSchema).max(1000),
    filters: z.array(filterRuleSchema).max(1000),
  })
  .superRefine((file, ctx) => {
    const folderIds = new Set<string>(builtInFolderIds);
    file.folders.forEach((folder, i) => {
      if (folderIds.has(folder.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["folders", i, "id"],
          message: `duplicate folder id "${folder.id}"`,
        });
      }
      folderIds.add(folder.id);
    });
    const ruleIds = new Set<string>();
    file.filters.forEach((rule, i) => {
      if (ruleIds.has(rule.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["filters", i, "id"],
          message: `duplicate filter id "${rule.id}"`,
        });
      }
      ruleIds.add(rule.id);
      if (rule.action.moveTo !== undefined && !folderIds.has(rule.action.moveTo)) {
        ctx.addIssue({
          code: "custom",
          path: ["filters", i, "action", "moveTo"],
          message: `no folder with id "${rule.action.moveTo}"`,
        });
      }
    });
  });
export type SettingsFile = z.output<typeof settingsFileSchema>;
export type SettingsFileInput = z.input<typeof settingsFileSchema>;

export type ParseSettingsResult = { ok: true; settings: SettingsFile } | { ok: false; error: string };

/**
 * Reads an imported settings file (its text, or already-parsed JSON). Never throws: a bad file
 * gives one readable message naming where the problem is, e.g.
 * `filters[2].action.moveTo: no folder with id "work"`.
 */
export function parseSettingsFile(input: unknown): ParseSettingsResult {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input) as unknown;
    } catch {
      return { ok: false, error: "The file is not valid JSON." };
    }
  }
  if (typeof value === "object" && value !== null && "version" in value && value.version !== 1) {
    return {
      ok: false,
      error: `Unsupported settings version ${JSON.stringify(value.version)}; this app reads version 1.`,
    };
  }
  const result = settingsFileSchema.safeParse(value);
  if (result.success) return { ok: true, settings: result.data };
  const lines = result.error.issues.slice(0, 5).map((issue) => {
    const where = formatPath(issue.path);
    return where === "" ? issue.message : `${where}: ${issue.message}`;
  });
  const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : "";
  return { ok: false, error: `Invalid settings file: ${lines.join("; ")}${more}` };
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Builds the file to export. */
export function makeSettingsFile(parts: Omit<SettingsFileInput, "version">): SettingsFile {
  return settingsFileSchema.parse({ version: 1, ...parts });
}
