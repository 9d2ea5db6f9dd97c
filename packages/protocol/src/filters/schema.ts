import { settingsFileSchema, type SettingsFile, type SettingsFileInput } from "../schemas/filters";

// The zod schemas of filters and the settings file live with the other schemas; this module
// keeps their old path and holds the reading and writing of the settings file.
export {
  builtInFolderIds,
  filterActionSchema,
  filterFieldSchema,
  filterRuleSchema,
  localFolderSchema,
  settingsFileSchema,
} from "../schemas/filters";
export type {
  FilterAction,
  FilterField,
  FilterRule,
  LocalFolder,
  SettingsFile,
  SettingsFileInput,
} from "../schemas/filters";

/** A refused file: `code` says what kind of problem for the page to put in the user's words;
 * `error` is the English detail (where in the file), for logs and support. */
export type ParseSettingsResult =
  | { ok: true; settings: SettingsFile }
  | { ok: false; code: "not-json" | "version" | "invalid"; error: string };

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
      return { ok: false, code: "not-json", error: "The file is not valid JSON." };
    }
  }
  if (typeof value === "object" && value !== null && "version" in value && value.version !== 1) {
    return {
      ok: false,
      code: "version",
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
  return { ok: false, code: "invalid", error: `Invalid settings file: ${lines.join("; ")}${more}` };
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
