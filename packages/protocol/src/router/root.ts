import { serverRouter } from "./server";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  server: serverRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
export type { RouterContext, GatewayPorts } from "./ports";
