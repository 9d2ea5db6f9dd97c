import { mailProtocolSchema, probeResultSchema, serverDefaultsSchema } from "../schemas/server";
import { publicProcedure, router } from "./trpc";

export const serverRouter = router({
  defaults: publicProcedure.output(serverDefaultsSchema).query(({ ctx }) => ctx.ports.server.defaults()),
  probe: publicProcedure
    .input(mailProtocolSchema)
    .output(probeResultSchema)
    .query(({ ctx, input }) => ctx.ports.server.probe(input)),
});
