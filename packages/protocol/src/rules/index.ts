export {
  actionOrder,
  attachmentConditionSchema,
  defaultVacation,
  forwardAddressSchema,
  headerNameSchema,
  ruleActionSchema,
  ruleConditionSchema,
  ruleMatchTypeSchema,
  ruleSchema,
  ruleSetSchema,
  ruleTextFieldSchema,
  sizeConditionSchema,
  textConditionSchema,
  vacationSchema,
} from "./schema";
export type {
  Rule,
  RuleAction,
  RuleActionsProblem,
  RuleActionType,
  RuleCondition,
  RuleInput,
  RuleMatchType,
  RuleSet,
  RuleSetInput,
  RuleTextField,
  TextCondition,
  Vacation,
} from "./schema";
export { conditionHolds, ruleHolds, runRules } from "./apply";
export type { RuleMessage, RulesOutcome } from "./apply";
export { legacyFilterFromRule, localActionTypes, ruleFromLegacyFilter } from "./legacy";
export {
  compileSieve,
  fitsSieve,
  foreignReasons,
  MAX_SCRIPT_BYTES,
  PISMO_SCRIPT_HEADER,
  PISMO_SCRIPT_NAME,
  readSieve,
  runsImap4flags,
} from "./sieve";
export type { ForeignReason, ReadScriptResult } from "./sieve";
export { ruleNeeds, sieveNeeds, vacationNeeds } from "./sieve-needs";
export type { SieveExtension } from "./sieve-needs";
export { parseSieve, quoteSieve, SieveSyntaxError, tokenize } from "./sieve-syntax";
export type { SieveArgument, SieveCommand, SieveTest } from "./sieve-syntax";
export {
  applyProgressSchema,
  applyRuleInputSchema,
  saveRulesInputSchema,
  saveScriptInputSchema,
  savedRulesSchema,
  scriptCheckSchema,
  scriptTextInputSchema,
  serverRulesSchema,
} from "./wire";
export type { ApplyProgress, SavedRules, ScriptCheck, ServerRules } from "./wire";
export { followFolderRename, missingFolders } from "./folders";
export { decodeEncodedWords, headerValues } from "./headers";
