import { z } from "zod";
import { MailError } from "../errors";
import type { Pop3KnownMessage } from "../pop3/plan";
import {
  pop3AckInputSchema,
  pop3AckManyInputSchema,
  pop3AddKnownInputSchema,
  pop3FetchFullInputSchema,
  pop3FetchFullOutputSchema,
  pop3PullEventSchema,
  pop3PullInputSchema,
} from "../pop3/wire";
import { publicProcedure, router } from "./trpc";

/** Procedures that need a signed-in POP3 session. */
const pop3Procedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new MailError("NOT_SIGNED_IN", "Sign in first");
  const pop3 = ctx.session.pop3;
  if (!pop3) throw new MailError("BAD_INPUT", "This is not a POP3 account");
  return next({ ctx: { ...ctx, pop3 } });
});

export const pop3Router = router({
  /**
   * The one-shot pull as a subscription: closing it (Cancel, tab closed, storage full) aborts
   * the signal, and the gateway drops the POP3 connection without QUIT, so no DELE counts.
   */
  pull: pop3Procedure.input(pop3PullInputSchema).subscription(async function* ({ ctx, input, signal }) {
    const abort = signal ?? new AbortController().signal;
    const known = new Map<string, Pop3KnownMessage>(input.knownId ? ctx.pop3.takeKnown(input.knownId) : []);
    for (const [uid, entry] of new Map<string, Pop3KnownMessage>(
      input.known.map((k) => [
        k.uid,
        {
          storedAt: k.storedAt,
          deletedLocally: k.deletedLocally,
          ...(k.headersOnly === undefined ? {} : { headersOnly: k.headersOnly }),
          ...(k.size === undefined ? {} : { size: k.size }),
        },
      ]),
    ))
      known.set(uid, entry);
    for await (const event of ctx.pop3.pull(
      { known, policy: input.policy, ...(input.bodies === undefined ? {} : { bodies: input.bodies }) },
      abort,
    ))
      yield pop3PullEventSchema.parse(event);
  }),
  /** A piece of a known list too long for one message; answers how many the list now holds. */
  addKnown: pop3Procedure
    .input(pop3AddKnownInputSchema)
    .output(z.number().int())
    .mutation(({ ctx, input }) =>
      ctx.pop3.addKnown(
        input.knownId,
        input.entries.map((k) => [
          k.uid,
          {
            storedAt: k.storedAt,
            deletedLocally: k.deletedLocally,
            ...(k.headersOnly === undefined ? {} : { headersOnly: k.headersOnly }),
            ...(k.size === undefined ? {} : { size: k.size }),
          },
        ]),
      ),
    ),
  /** Sent by the browser after the message's IndexedDB transaction committed. */
  ack: pop3Procedure
    .input(pop3AckInputSchema)
    .output(z.boolean())
    .mutation(({ ctx, input }) => ctx.pop3.ack(input.pullId, input.uid)),
  /** The same for every message of one committed transaction; answers how many a pull waited for. */
  ackMany: pop3Procedure
    .input(pop3AckManyInputSchema)
    .output(z.number().int())
    .mutation(({ ctx, input }) => ctx.pop3.ackMany(input.pullId, input.uids)),
  fetchFull: pop3Procedure
    .input(pop3FetchFullInputSchema)
    .output(pop3FetchFullOutputSchema)
    .mutation(({ ctx, input }) => ctx.pop3.fetchFull(input.uid)),
});
