import { z } from "zod";
import { pop3PolicySchema } from "./pop3";
import { ruleSchema } from "../rules/schema";
import { addressBookSchema } from "../contacts/address-book";
import { identitySettingsSchema } from "../identities";
import { storedTemplatesSchema } from "../templates/schema";

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

/** The local Drafts and Sent: no folder of a file may take their ids, so no filter files pulled
 * mail there (a message deleted in Drafts is gone, without Trash: it is a draft discarded). */
export const reservedFolderIds = ["drafts", "sent"] as const;

/**
 * The `Export settings` file: the same local folders and filters on every computer.
 * Version 1; a later version gets its own schema and a migration.
 */
export const settingsFileSchema = z
  .object({
    version: z.literal(1),
    policy: pop3PolicySchema,
    folders: z.array(localFolderSchema).max(1000),
    /** The filters as written before the shared rule model; kept for older copies of Pismo. */
    filters: z.array(filterRuleSchema).max(1000),
    /** The rules (the shared model); when present they are what an import uses. */
    rules: z.array(ruleSchema).max(1000).optional(),
    /** The address book (contacts and how often each address was used); absent in older files. */
    contacts: addressBookSchema.optional(),
    /** Identities and signatures (kept in the browser for POP3); absent in older files. */
    identities: identitySettingsSchema.optional(),
    /** Templates (kept in the browser for POP3); absent in older files. */
    templates: storedTemplatesSchema.optional(),
  })
  .superRefine((file, ctx) => {
    const folderIds = new Set<string>(builtInFolderIds);
    file.folders.forEach((folder, i) => {
      if ((reservedFolderIds as readonly string[]).includes(folder.id))
        ctx.addIssue({
          code: "custom",
          path: ["folders", i, "id"],
          message: `folder id "${folder.id}" is the local ${folder.id === "sent" ? "Sent" : "Drafts"}'s`,
        });
      else if (folderIds.has(folder.id)) {
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
    const newIds = new Set<string>();
    (file.rules ?? []).forEach((rule, i) => {
      if (newIds.has(rule.id))
        ctx.addIssue({ code: "custom", path: ["rules", i, "id"], message: `duplicate rule id "${rule.id}"` });
      newIds.add(rule.id);
      rule.actions.forEach((action, j) => {
        if ((action.type === "move" || action.type === "copy") && !folderIds.has(action.folder))
          ctx.addIssue({
            code: "custom",
            path: ["rules", i, "actions", j, "folder"],
            message: `no folder with id "${action.folder}"`,
          });
      });
    });
  });
export type SettingsFile = z.output<typeof settingsFileSchema>;
export type SettingsFileInput = z.input<typeof settingsFileSchema>;
