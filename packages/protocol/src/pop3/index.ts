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
export {
  pop3AckInputSchema,
  pop3AckManyInputSchema,
  pop3AddKnownInputSchema,
  pop3FetchFullInputSchema,
  pop3FetchFullOutputSchema,
  pop3KnownEntrySchema,
  pop3GonePiece,
  pop3PullErrorCodeSchema,
  pop3PullEventSchema,
  pop3PullInputSchema,
} from "./wire";
export type {
  Pop3FetchFullOutput,
  Pop3KnownEntry,
  Pop3PullErrorCode,
  Pop3PullEvent,
  Pop3PullInput,
} from "./wire";
export { decodeBodyFrame, encodeBodyFrame, pop3BodyHeaderSchema } from "./body-frame";
export type { Pop3BodyHeader } from "./body-frame";
