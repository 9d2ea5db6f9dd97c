import { describe, expect, it } from "vitest";
import { draftSchema, emptyDraft } from "@pismo/protocol/compose";
import { randomId } from "@pismo/protocol/ids";

// The compose window names itself with randomId() on every draft it saves or sends
// (use-compose-form): the gateway must take that name, or every save would be refused.
describe("a compose window's id on its drafts", () => {
  it("randomId() is a composeId the draft schema takes, and keeps", () => {
    const composeId = randomId();
    const parsed = draftSchema.safeParse({ ...emptyDraft(), composeId });
    expect(parsed.success).toBe(true);
    expect(parsed.data?.composeId).toBe(composeId);
  });

  it("a draft without one (an older page) is still taken", () => {
    expect(draftSchema.safeParse(emptyDraft()).success).toBe(true);
  });

  it("one that could carry anything else is refused", () => {
    for (const composeId of ["", "a b", "x\r\nBcc: v@x.rs", "é", "a".repeat(65)])
      expect(draftSchema.safeParse({ ...emptyDraft(), composeId }).success).toBe(false);
  });
});
