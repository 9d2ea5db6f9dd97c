import { describe, expect, it } from "vitest";
import { i18n } from "./index";

describe("catalog loading", () => {
  it("holds only the shown language's catalog, and fetches another before switching to it", async () => {
    await i18n.changeLanguage("en");
    expect(i18n.t("mail.noSubject")).toBe("(no subject)");
    expect(i18n.hasResourceBundle("en", "translation")).toBe(true);
    expect(i18n.hasResourceBundle("sr", "translation")).toBe(false);

    await i18n.changeLanguage("sr");
    expect(i18n.hasResourceBundle("sr", "translation")).toBe(true);
    expect(i18n.t("mail.noSubject")).not.toBe("(no subject)");
  });

  it("shows Serbian to a Croatian browser without fetching the English catalog for it", async () => {
    const fresh = i18n.cloneInstance({ initAsync: true });
    expect(fresh.services.languageUtils.toResolveHierarchy("sr")).toEqual(["sr"]);
    expect(fresh.services.languageUtils.toResolveHierarchy("hr")).toEqual(["sr"]);
    expect(fresh.services.languageUtils.toResolveHierarchy("de")).toEqual(["en"]);
  });
});
