import { describe, expect, it } from "vitest";
import { undoSendSecondsSchema } from "./send-later";
import { parseUndoSendSeconds, UNDO_SEND_DEFAULT_SECONDS } from "./undo-send-delay";

describe("undo send delay", () => {
  it("defaults to 5 seconds when nothing is stored", () => {
    expect(UNDO_SEND_DEFAULT_SECONDS).toBe(5);
    expect(parseUndoSendSeconds(null)).toBe(5);
    expect(parseUndoSendSeconds(undefined)).toBe(5);
    expect(parseUndoSendSeconds("  ")).toBe(5);
  });

  it("keeps whole seconds from 0 to 30", () => {
    expect(parseUndoSendSeconds("0")).toBe(0);
    expect(parseUndoSendSeconds("12")).toBe(12);
    expect(parseUndoSendSeconds("30")).toBe(30);
  });

  it("falls back to the default for anything out of bounds or not a whole number", () => {
    for (const bad of ["31", "-1", "2.5", "abc", "1e3", "Infinity"])
      expect(parseUndoSendSeconds(bad), bad).toBe(5);
  });

  it("bounds what the gateway accepts the same way", () => {
    expect(undoSendSecondsSchema.safeParse(30).success).toBe(true);
    expect(undoSendSecondsSchema.safeParse(31).success).toBe(false);
    expect(undoSendSecondsSchema.safeParse(-1).success).toBe(false);
    expect(undoSendSecondsSchema.safeParse(1.5).success).toBe(false);
  });
});
