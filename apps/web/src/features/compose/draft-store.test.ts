import { describe, expect, it } from "vitest";
import { afterDraftSave, keptFilesOf, withoutKeptFiles } from "./draft-store";
import { emptyDraft } from "@pismo/protocol/compose";
import { fieldsFromDraft, type ComposeFields } from "./initial-draft";

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

describe("a draft reopened with the bytes of its files kept in this browser", () => {
  const upload = (id: string, filename: string) =>
    ({ kind: "upload", id, filename, contentType: "application/pdf", size: 4 }) as const;
  const kept = upload("keptkeptkeptkeptkept", "račun.pdf");
  const gone = upload("gonegonegonegonegone", "old.txt");
  const forward = {
    kind: "forward",
    folder: "INBOX",
    uid: 4,
    part: "2",
    filename: "x.png",
    contentType: "image/png",
    size: 9,
  } as const;
  const fields: ComposeFields = {
    ...fieldsFromDraft(emptyDraft(), false),
    attachments: [gone, kept, forward],
  };
  const bytes = new Map([[kept.id, new Blob(["%PDF"], { type: "application/pdf" })]]);

  it("opens without the files it uploads again, each named and typed as it was, with what it was to fall back on", async () => {
    expect(withoutKeptFiles(fields, bytes).attachments).toEqual([gone, forward]);
    const again = keptFilesOf(fields, bytes);
    expect(again.size).toBe(1);
    const [file, former] = [...again][0]!;
    expect(former).toBe(kept);
    expect(file.name).toBe("račun.pdf");
    expect(file.type).toBe("application/pdf");
    expect(await file.text()).toBe("%PDF");
  });

  it("leaves a draft without kept bytes as it is", () => {
    expect(withoutKeptFiles(fields, undefined)).toBe(fields);
    expect(keptFilesOf(fields, new Map()).size).toBe(0);
  });
});
