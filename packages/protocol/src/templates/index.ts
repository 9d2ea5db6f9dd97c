export { MAX_TEMPLATE_TEXT, storedTemplateSchema, storedTemplatesSchema, templateBodySchema } from "./schema";
export type { StoredTemplate, TemplateBody } from "./schema";
export {
  MAX_TEMPLATES,
  TEMPLATES_FOLDER,
  isTemplatesFolder,
  mergeTemplates,
  newestTemplates,
  templatesFolderOf,
} from "./rules";
export { templateAsHtml, templateAsText } from "./text";
