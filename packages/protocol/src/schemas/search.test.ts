import { describe, expect, it } from "vitest";
import { imapSearchEventSchema, searchRowSchema } from "./search";

const row = {
  uid: 3,
  subject: "Faktura",
  from: { name: "Eva", address: "eva@example.org" },
  to: [],
  date: null,
  size: 900,
  seen: false,
  flagged: false,
  answered: false,
  hasAttachment: false,
  folder: "Računi",
};

// A search result's UID names a message only with the UIDVALIDITY the search read its folder
// under (RFC 9051 §2.3.1.1): every answer and row says it, so that an action on results names
// that one and not the one of the folder's list windows cached since.
describe("a search's answers carry the UIDVALIDITY they were read under", () => {
  it("in each row", () => {
    expect(searchRowSchema.parse({ ...row, uidValidity: "1700000000" }).uidValidity).toBe("1700000000");
    expect(searchRowSchema.safeParse(row).success).toBe(false);
    expect(searchRowSchema.safeParse({ ...row, uidValidity: "" }).success).toBe(false);
  });

  it("in each folder's answer and part of one", () => {
    const folder = { type: "folder", folder: "Računi", uids: [3], dates: [], searched: 1 } as const;
    const partial = { type: "partial", folder: "Računi", uids: [3], dates: [], rows: [] } as const;
    expect(imapSearchEventSchema.parse({ ...folder, uidValidity: "5" })).toMatchObject({ uidValidity: "5" });
    expect(imapSearchEventSchema.parse({ ...partial, uidValidity: "5" })).toMatchObject({ uidValidity: "5" });
    expect(imapSearchEventSchema.safeParse(folder).success).toBe(false);
    expect(imapSearchEventSchema.safeParse(partial).success).toBe(false);
    // A row read under the folder's UIDVALIDITY, beside its answer.
    expect(
      imapSearchEventSchema.safeParse({ ...folder, uidValidity: "5", rows: [{ ...row, uidValidity: "5" }] })
        .success,
    ).toBe(true);
    expect(imapSearchEventSchema.safeParse({ ...folder, uidValidity: "5", rows: [row] }).success).toBe(false);
  });
});
