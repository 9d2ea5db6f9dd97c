import { serverRouter } from "./server";
import { sessionRouter } from "./session";
import { imapRouter } from "./imap";
import { pop3Router } from "./pop3";
import { composeRouter } from "./compose";
import { rulesRouter } from "./rules";
import { actionsRouter } from "./actions";
import { identitiesRouter } from "./identities";
import { contactsRouter } from "./contacts";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  server: serverRouter,
  session: sessionRouter,
  imap: imapRouter,
  pop3: pop3Router,
  compose: composeRouter,
  rules: rulesRouter,
  actions: actionsRouter,
  identities: identitiesRouter,
  contacts: contactsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
export type {
  RouterContext,
  GatewayPorts,
  ImapMailPort,
  SetFlagsOptions,
  Pop3Port,
  SessionPort,
  ComposePort,
  RulesPort,
  IdentitiesPort,
  IdentityStorage,
  ContactsPort,
} from "./ports";
export type { SendResult } from "./send-later";
export { sendResultSchema } from "./send-later";
