import { describe, expect, it } from "vitest";
import { hasHeaderControl, isMessageId, messageIdsIn } from "./header-values";

describe("hasHeaderControl", () => {
  it("finds the C0 controls and DEL, but lets TAB (folding whitespace) through", () => {
    for (const value of ["a\r\nBcc: x@y.rs", "a\nb", "nul\u0000", "del\u007f", "\u001b[31m"])
      expect(hasHeaderControl(value), JSON.stringify(value)).toBe(true);
    for (const value of ["Jelena Marković", "a\tb", "", "Ђорђе <d@primer.rs>", "\u0085 (C1 is not C0)"])
      expect(hasHeaderControl(value), JSON.stringify(value)).toBe(false);
  });
});

describe("isMessageId", () => {
  it("takes one bracketed id and nothing else", () => {
    for (const id of ["<a@b>", "<1.2.3@mail.primer.rs>", "<x>"]) expect(isMessageId(id), id).toBe(true);
    const refused = [
      "",
      "<>",
      "a@b",
      "<a@b",
      "a@b>",
      " <a@b>",
      "<a@b> ",
      "<a b@c>",
      "<a@b><c@d>",
      "<a\tb@c>",
    ];
    for (const id of [...refused, "<a\u0000@b>", "<a\u007f@b>", "<a<b@c>"])
      expect(isMessageId(id), JSON.stringify(id)).toBe(false);
  });
});

describe("messageIdsIn", () => {
  it("reads the ids of a header with several, comments and junk between them", () => {
    expect(messageIdsIn("<a@b> (comment) <c@d>\t<e@f>")).toEqual(["<a@b>", "<c@d>", "<e@f>"]);
    expect(messageIdsIn("junk <a b@c> <ok@x>")).toEqual(["<ok@x>"]);
    expect(messageIdsIn("")).toEqual([]);
  });
});
