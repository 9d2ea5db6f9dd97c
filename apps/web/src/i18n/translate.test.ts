import { describe, expect, it } from "vitest";
import { en } from "./en";
import { interpolate, pluralCategory, translate, type CatalogTree } from "./translate";

// The app's catalogs carry no plural forms yet; these fixtures have the forms each language has.
const english: CatalogTree = {
  mail: { selected_one: "{{count}} message selected", selected_other: "{{count}} messages selected" },
};
const serbian: CatalogTree = {
  mail: {
    selected_one: "Izabrana je {{count}} poruka",
    selected_few: "Izabrane su {{count}} poruke",
    selected_other: "Izabrano je {{count}} poruka",
    selected_zero: "Nije izabrana nijedna poruka",
  },
};

describe("plural forms", () => {
  it("follow Serbian's rules: one for 1 and 21, few for 2–4 and 22, other for 5, 11–14 and 25", () => {
    const cases: Array<[number, string]> = [
      [1, "one"],
      [2, "few"],
      [4, "few"],
      [5, "other"],
      [11, "other"],
      [12, "other"],
      [14, "other"],
      [21, "one"],
      [22, "few"],
      [25, "other"],
      [101, "one"],
      [111, "other"],
    ];
    for (const [count, category] of cases) expect(pluralCategory("sr", count), String(count)).toBe(category);
    expect(translate(serbian, "sr", "mail.selected", { count: 1 })).toBe("Izabrana je 1 poruka");
    expect(translate(serbian, "sr", "mail.selected", { count: 2 })).toBe("Izabrane su 2 poruke");
    expect(translate(serbian, "sr", "mail.selected", { count: 5 })).toBe("Izabrano je 5 poruka");
    expect(translate(serbian, "sr", "mail.selected", { count: 11 })).toBe("Izabrano je 11 poruka");
    expect(translate(serbian, "sr", "mail.selected", { count: 21 })).toBe("Izabrana je 21 poruka");
    expect(translate(serbian, "sr", "mail.selected", { count: 22 })).toBe("Izabrane su 22 poruke");
    expect(translate(serbian, "sr", "mail.selected", { count: 25 })).toBe("Izabrano je 25 poruka");
  });

  it("follow English's rules: one for 1 only", () => {
    expect(translate(english, "en", "mail.selected", { count: 1 })).toBe("1 message selected");
    expect(translate(english, "en", "mail.selected", { count: 0 })).toBe("0 messages selected");
    expect(translate(english, "en", "mail.selected", { count: 2 })).toBe("2 messages selected");
    expect(translate(english, "en", "mail.selected", { count: 21 })).toBe("21 messages selected");
  });

  it("take a _zero form for 0 where there is one, and the plain key where there are no forms", () => {
    expect(translate(serbian, "sr", "mail.selected", { count: 0 })).toBe("Nije izabrana nijedna poruka");
    expect(translate(en, "en", "mail.selected", { count: 3 })).toBe("3 selected");
  });

  it("are not picked by a count already formatted as text: it only fills {{count}}", () => {
    expect(translate(en, "en", "mail.unreadCount", { count: "1,234" })).toBe("1,234 unread");
    expect(translate(serbian, "sr", "mail.selected", { count: "1" })).toBe("mail.selected");
  });
});

describe("the app's plural forms", () => {
  it("say 1 message and 2 poruke, and pick the form of a count formatted as text by its quantity", async () => {
    const { sr } = await import("./sr");
    expect(translate(en, "en", "mail.confirmEmpty", { count: 1, name: "Trash" })).toBe(
      "Delete the 1 message in “Trash” for good?",
    );
    expect(translate(sr, "sr", "mail.confirmEmpty", { count: 3, name: "Korpa" })).toBe(
      "Trajno obrisati sve 3 poruke u „Korpa“?",
    );
    expect(translate(sr, "sr", "mail.confirmEmpty", { count: 21, name: "Korpa" })).toBe(
      "Trajno obrisati 21 poruku u „Korpa“?",
    );
    expect(translate(sr, "sr", "pop3.progressMessages", { done: 0, count: 1 })).toBe("0 od 1 poruke");
    expect(translate(sr, "sr", "mail.unreadCount", { count: "1.235", quantity: 1235 })).toBe(
      "1.235 nepročitanih",
    );
    expect(translate(sr, "sr", "mail.unreadCount", { count: "3", quantity: 3 })).toBe("3 nepročitane");
    expect(translate(sr, "sr", "mail.unreadCount", { count: 1 })).toBe("1 nepročitana");
  });
});

describe("interpolation", () => {
  it("fills each {{name}}, every time it occurs, without escaping (React escapes)", () => {
    expect(translate(en, "en", "mail.confirmEmpty", { count: 3, name: "<Junk & Spam>" })).toBe(
      "Delete all 3 messages in “<Junk & Spam>” for good?",
    );
    expect(interpolate("{{a}}, {{ a }} and {{b}}", { a: 1, b: "x" })).toBe("1, 1 and x");
  });

  it("leaves a placeholder the call does not pass, and empties one passed as null or undefined", () => {
    expect(interpolate("{{name}} / {{count}}", {})).toBe("{{name}} / {{count}}");
    expect(interpolate("[{{name}}]", { name: null })).toBe("[]");
    expect(interpolate("[{{name}}]", { name: undefined })).toBe("[]");
    expect(translate(en, "en", "mail.unreadCount")).toBe("{{count}} unread");
  });
});

describe("a missing key", () => {
  it("shows the key itself, never blank", () => {
    expect(translate(en, "en", "mail.noSuchKey")).toBe("mail.noSuchKey");
    expect(translate(en, "en", "mail.noSuchKey", { count: 2 })).toBe("mail.noSuchKey");
    expect(translate(undefined, "sr", "mail.noSubject")).toBe("mail.noSubject");
  });

  it("shows the key for a key that names a group, not a text", () => {
    expect(translate(en, "en", "mail")).toBe("mail");
    expect(translate(en, "en", "mail.noSubject.deeper")).toBe("mail.noSubject.deeper");
  });

  it("shows the call's defaultValue where it gives one, filled in", () => {
    expect(translate(en, "en", "errors.NO_SUCH_CODE", { defaultValue: "Something went wrong" })).toBe(
      "Something went wrong",
    );
    expect(translate(en, "en", "x.y", { defaultValue: "{{n}} left", n: 2 })).toBe("2 left");
    expect(translate(en, "en", "mail.noSubject", { defaultValue: "unused" })).toBe("(no subject)");
  });
});
