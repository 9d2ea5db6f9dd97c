import { z } from "zod";
import { MailError } from "../errors";
import {
  folderNameSchema,
  folderPathSchema,
  folderSchema,
  listWindowInputSchema,
  listWindowSchema,
  mailEventSchema,
  messageDetailSchema,
  messageRefSchema,
  messageRefsSchema,
  quotaSchema,
  uidRangesSchema,
  uidValiditySchema,
} from "../schemas/mailbox";
import {
  imapSearchEventSchema,
  imapSearchInputSchema,
  searchRowSchema,
  searchRowsInputSchema,
} from "../schemas/search";
import { senderVerdictSchema } from "../schemas/trust";
import { emptyFolderResultSchema } from "../actions/schema";
import { conversationWindowInputSchema, conversationWindowSchema } from "../schemas/conversation";
import { publicProcedure, router } from "./trpc";

/** Procedures that need a signed-in IMAP session. */
export const imapProcedure = publicProcedure.use(({ ctx, next }) => {
  const mail = ctx.session?.mail;
  if (!ctx.session) throw new MailError("NOT_SIGNED_IN", "Sign in first");
  if (!mail) throw new MailError("BAD_INPUT", "This is not an IMAP account");
  return next({ ctx: { ...ctx, mail } });
});

export const imapRouter = router({
  folders: imapProcedure.output(z.array(folderSchema)).query(({ ctx }) => ctx.mail.folders()),
  createFolder: imapProcedure
    .input(z.object({ parentPath: folderPathSchema.nullable(), name: folderNameSchema }))
    .mutation(({ ctx, input }) => ctx.mail.createFolder(input.parentPath, input.name)),
  renameFolder: imapProcedure
    .input(z.object({ path: folderPathSchema, newName: folderNameSchema }))
    .mutation(({ ctx, input }) => ctx.mail.renameFolder(input.path, input.newName)),
  deleteFolder: imapProcedure
    .input(z.object({ path: folderPathSchema }))
    .mutation(({ ctx, input }) => ctx.mail.deleteFolder(input.path)),
  setSubscribed: imapProcedure
    .input(z.object({ path: folderPathSchema, subscribed: z.boolean() }))
    .mutation(({ ctx, input }) => ctx.mail.setSubscribed(input.path, input.subscribed)),

  list: imapProcedure
    .input(listWindowInputSchema)
    .output(listWindowSchema)
    .query(({ ctx, input }) =>
      ctx.mail.list({ folder: input.folder, offset: input.offset, limit: input.limit, sort: input.sort }),
    ),
  conversations: imapProcedure
    .input(conversationWindowInputSchema)
    .output(conversationWindowSchema)
    .query(({ ctx, input }) =>
      ctx.mail.conversations({ folder: input.folder, offset: input.offset, limit: input.limit }),
    ),
  /** Every message of a folder, as UID ranges ("Select all N in the folder"). */
  uids: imapProcedure
    .input(z.object({ folder: folderPathSchema }))
    .output(uidRangesSchema)
    .query(({ ctx, input }) => ctx.mail.uids(input.folder)),
  open: imapProcedure
    .input(
      messageRefSchema.extend({
        peek: z.boolean().default(false),
        uidValidity: uidValiditySchema.optional(),
      }),
    )
    .output(messageDetailSchema)
    .query(({ ctx, input }) =>
      ctx.mail.open(input.folder, input.uid, {
        peek: input.peek,
        ...(input.uidValidity !== undefined ? { uidValidity: input.uidValidity } : {}),
      }),
    ),
  verifySender: imapProcedure
    .input(messageRefSchema)
    .output(senderVerdictSchema.nullable())
    .query(({ ctx, input }) => ctx.mail.verifySender(input.folder, input.uid)),

  setFlags: imapProcedure
    .input(
      messageRefsSchema.extend({
        seen: z.boolean().optional(),
        flagged: z.boolean().optional(),
        // false: no Undo follows (the read mark of an open), so the gateway asks nothing first.
        whichChanged: z.boolean().optional(),
      }),
    )
    // The messages whose flag changed (what an Undo sets back); [] when not asked.
    .output(uidRangesSchema)
    .mutation(({ ctx, input }) =>
      ctx.mail.setFlags(
        input.folder,
        input.uids,
        {
          ...(input.seen !== undefined ? { seen: input.seen } : {}),
          ...(input.flagged !== undefined ? { flagged: input.flagged } : {}),
        },
        {
          ...(input.uidValidity ? { uidValidity: input.uidValidity } : {}),
          ...(input.whichChanged !== undefined ? { whichChanged: input.whichChanged } : {}),
        },
      ),
    ),
  move: imapProcedure
    .input(messageRefsSchema.extend({ to: folderPathSchema }))
    .mutation(({ ctx, input }) => ctx.mail.move(input.folder, input.uids, input.to, input.uidValidity)),
  copy: imapProcedure
    .input(messageRefsSchema.extend({ to: folderPathSchema }))
    .mutation(({ ctx, input }) => ctx.mail.copy(input.folder, input.uids, input.to, input.uidValidity)),
  remove: imapProcedure
    .input(messageRefsSchema)
    .mutation(({ ctx, input }) => ctx.mail.remove(input.folder, input.uids, input.uidValidity)),
  /** `expected`: how many messages the user confirmed deleting; a folder that holds another
   * number by then is left as it is (CHANGED), so nothing unseen goes for good. */
  emptyFolder: imapProcedure
    .input(z.object({ path: folderPathSchema, expected: z.number().int().nonnegative().optional() }))
    .output(emptyFolderResultSchema)
    .mutation(({ ctx, input }) => ctx.mail.emptyFolder(input.path, input.expected)),

  quota: imapProcedure.output(quotaSchema.nullable()).query(({ ctx }) => ctx.mail.quota()),
  watch: imapProcedure
    .input(z.object({ folder: folderPathSchema }))
    .mutation(({ ctx, input }) => ctx.mail.watch(input.folder)),
  events: imapProcedure.subscription(async function* ({ ctx, signal }) {
    const abort = signal ?? new AbortController().signal;
    for await (const event of ctx.mail.events(abort)) yield mailEventSchema.parse(event);
  }),
  // A search streams folder by folder; closing the subscription (Stop) ends it before the
  // next folder.
  search: imapProcedure.input(imapSearchInputSchema).subscription(async function* ({ ctx, input, signal }) {
    const abort = signal ?? new AbortController().signal;
    for await (const event of ctx.mail.search(input, abort)) yield imapSearchEventSchema.parse(event);
  }),
  searchRows: imapProcedure
    .input(searchRowsInputSchema)
    .output(z.array(searchRowSchema))
    .query(({ ctx, input }) => ctx.mail.searchRows(input.refs)),
});
