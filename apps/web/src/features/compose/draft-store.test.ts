import { describe, expect, it } from "vitest";
import { afterDraftSave } from "./draft-store";

describe("the attachments after a draft save answered", () => {
  const a = { id: "upload-a" };
  const b = { id: "upload-b" };
  const late = { id: "upload-late" };
  const keptA = { id: "part-2" };
  const keptB = { id: "part-3" };

  it("become their kept form, keep a file added while the save ran, and do not bring back one removed", () => {
    expect(afterDraftSave([a, b, late], [a, b], [keptA, keptB])).toEqual([keptA, keptB, late]);
    expect(afterDraftSave([b], [a, b], [keptA, keptB])).toEqual([keptB]);
    // The first attachment, uploaded during the save of a draft that had none.
    expect(afterDraftSave([late], [], [])).toEqual([late]);
  });
});
