export {
  emptyFolderResultSchema,
  stoppedSchema,
  type EmptyFolderResult,
  type Stopped,
  junkKeywordSchema,
  mailActionRequestSchema,
  mailActionResultSchema,
  type JunkKeyword,
  type MailActionRequest,
  type MailActionResult,
} from "./schema";
export { keepsKeyword, undoRequest } from "./undo";
