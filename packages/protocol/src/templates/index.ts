export { MAX_TEMPLATES, MAX_TEMPLATE_TEXT, storedTemplateSchema, templateBodySchema } from "./schema";
export type { StoredTemplate, TemplateBody } from "./schema";
export { TEMPLATES_FOLDER, mergeTemplates, newestTemplates, templatesFolderOf } from "./rules";
