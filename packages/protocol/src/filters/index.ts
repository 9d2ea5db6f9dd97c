export { applyFilters, ruleMatches } from "./apply";
export type { FilterableMessage, FilterOutcome } from "./apply";
export { foldForMatch } from "./normalize";
export {
  builtInFolderIds,
  filterActionSchema,
  filterFieldSchema,
  filterRuleSchema,
  localFolderSchema,
  makeSettingsFile,
  parseSettingsFile,
  settingsFileSchema,
} from "./schema";
export { mergeImportedSettings } from "./settings-import";
export type { ImportableSettings } from "./settings-import";
export type {
  FilterAction,
  FilterField,
  FilterRule,
  LocalFolder,
  ParseSettingsResult,
  SettingsFile,
  SettingsFileInput,
} from "./schema";
