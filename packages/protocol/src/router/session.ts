import { accountSchema } from "../schemas/account";
import { publicProcedure, router } from "./trpc";

export const sessionRouter = router({
  /** The account this connection is signed in to, or null: the UI shows sign-in. */
  current: publicProcedure.output(accountSchema.nullable()).query(({ ctx }) => ctx.session?.account ?? null),
});
