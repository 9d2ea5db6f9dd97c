// The wire schemas of a POP3 pull live with the other schemas; this module keeps their old path.
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
} from "../schemas/pop3";
export type {
  Pop3FetchFullOutput,
  Pop3KnownEntry,
  Pop3PullErrorCode,
  Pop3PullEvent,
  Pop3PullInput,
} from "../schemas/pop3";
