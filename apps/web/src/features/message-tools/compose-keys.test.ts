import { describe, expect, it } from "vitest";
import { composeKeyAction, confirmRecipients, missingBeforeSend, type ComposeKey } from "./compose-keys";

const key = (k: string, mods: Partial<ComposeKey> = {}): ComposeKey => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  isComposing: false,
  ...mods,
});

describe("composeKeyAction", () => {
  it("never sends on a plain Enter, in any field", () => {
    for (const field of ["recipient", "subject", "body", "other", "control"] as const)
      expect(composeKeyAction(key("Enter"), field)).not.toBe("send");
  });
  it("confirms the address on Enter in an address field", () => {
    expect(composeKeyAction(key("Enter"), "recipient")).toBe("confirm-recipient");
  });
  it("moves from Subject to the text on Enter", () => {
    expect(composeKeyAction(key("Enter"), "subject")).toBe("to-body");
  });
  it("leaves Enter in the text to the editor (a new line) and on a button to the button", () => {
    expect(composeKeyAction(key("Enter"), "body")).toBeNull();
    expect(composeKeyAction(key("Enter"), "control")).toBeNull();
    expect(composeKeyAction(key("Enter", { shiftKey: true }), "body")).toBeNull();
  });
  it("sends on Ctrl+Enter and Cmd+Enter from every field", () => {
    for (const field of ["recipient", "subject", "body", "other", "control"] as const) {
      expect(composeKeyAction(key("Enter", { ctrlKey: true }), field)).toBe("send");
      expect(composeKeyAction(key("Enter", { metaKey: true }), field)).toBe("send");
    }
  });
  it("stops implicit submission for modified Enter in a one-line field", () => {
    expect(composeKeyAction(key("Enter", { shiftKey: true }), "recipient")).toBe("nothing");
    expect(composeKeyAction(key("Enter", { altKey: true }), "subject")).toBe("nothing");
    expect(composeKeyAction(key("Enter"), "other")).toBe("nothing");
  });
  it("lets an input method's Enter pick its candidate", () => {
    expect(composeKeyAction(key("Enter", { isComposing: true }), "subject")).toBeNull();
    expect(composeKeyAction(key("Enter", { isComposing: true, ctrlKey: true }), "body")).toBeNull();
  });
  it("ignores other keys", () => {
    expect(composeKeyAction(key("a"), "recipient")).toBeNull();
    expect(composeKeyAction(key("Tab"), "subject")).toBeNull();
  });
});

describe("confirmRecipients", () => {
  it("writes the addresses out and leaves room for the next", () => {
    expect(confirmRecipients("  Bob Builder <bob@pismo.test>;ana@pismo.test ")).toEqual({
      text: "Bob Builder <bob@pismo.test>, ana@pismo.test, ",
      confirmed: 2,
      invalid: [],
    });
  });
  it("keeps what is not an address, as typed, and names it", () => {
    expect(confirmRecipients("ana@pismo.test, nije adresa")).toEqual({
      text: "ana@pismo.test, nije adresa",
      confirmed: 1,
      invalid: ["nije adresa"],
    });
  });
  it("leaves an empty field empty", () => {
    expect(confirmRecipients(" , ")).toEqual({ text: "", confirmed: 0, invalid: [] });
  });
});

describe("missingBeforeSend", () => {
  it("asks about a missing subject and missing text", () => {
    expect(missingBeforeSend({ subject: " ", text: "\n", attachments: [] })).toEqual({
      subject: true,
      text: true,
      attachment: false,
    });
    expect(missingBeforeSend({ subject: "Zdravo", text: "Tekst", attachments: [] })).toEqual({
      subject: false,
      text: false,
      attachment: false,
    });
  });
  it("asks about a file the writer says is attached when none is, from the writer's own words", () => {
    const said = { subject: "Ugovor", text: "U prilogu je ugovor.", attachments: [] };
    expect(missingBeforeSend(said).attachment).toBe(true);
    expect(missingBeforeSend({ ...said, attachments: [{}] }).attachment).toBe(false);
    // A rich reply's own words, without its quote: the quote's "u prilogu" does not ask.
    expect(missingBeforeSend({ ...said, text: "Hvala!\nU prilogu je ugovor." }, "Hvala!").attachment).toBe(
      false,
    );
  });
  it("takes an attachment for content", () => {
    expect(missingBeforeSend({ subject: "Račun", text: "", attachments: [{}] }).text).toBe(false);
  });
});
