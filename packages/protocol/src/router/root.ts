import { serverRouter } from "./server";
import { sessionRouter } from "./session";
import { mailRouter } from "./mail";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  server: serverRouter,
  session: sessionRouter,
  mail: mailRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
export type { RouterContext, GatewayPorts, ImapMailPort, SessionPort } from "./ports";
