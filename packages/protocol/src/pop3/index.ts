export { defaultPop3Policy, pop3PolicySchema, suggestedDeleteAfterDays } from "./policy";
export type { Pop3Policy, Pop3PolicyInput } from "./policy";
export { deletableAfterAck, planPop3Sync } from "./plan";
export type {
  Pop3DeleteItem,
  Pop3FetchItem,
  Pop3FetchMode,
  Pop3KnownMessage,
  Pop3Plan,
  Pop3PlanInput,
  Pop3ServerMessage,
} from "./plan";
