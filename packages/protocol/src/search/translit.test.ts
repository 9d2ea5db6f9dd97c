import { describe, expect, it } from "vitest";
import { fold, hasCyrillic, hasLatin, searchVariants, toCyrillic, toLatin } from "./translit";

describe("toCyrillic", () => {
  it("transliterates Serbian Latin letter by letter", () => {
    expect(toCyrillic("pismo")).toBe("писмо");
    expect(toCyrillic("Saša Đorđević")).toBe("Саша Ђорђевић");
    expect(toCyrillic("čačak ćevap žaba")).toBe("чачак ћевап жаба");
  });

  it("reads lj, nj and dž as one letter, keeping case", () => {
    expect(toCyrillic("Ljubica")).toBe("Љубица");
    expect(toCyrillic("LJUBICA")).toBe("ЉУБИЦА");
    expect(toCyrillic("Njegoš")).toBe("Његош");
    expect(toCyrillic("NJEGOŠ")).toBe("ЊЕГОШ");
    expect(toCyrillic("džep Džon")).toBe("џеп Џон");
    expect(toCyrillic("konj")).toBe("коњ");
  });

  it("keeps the digraph exceptions as two letters", () => {
    expect(toCyrillic("nadživeti")).toBe("надживети");
    expect(toCyrillic("Podžanr")).toBe("Поджанр");
    expect(toCyrillic("injekcija")).toBe("инјекција");
  });

  it("accepts decomposed diacritics and passes other characters through", () => {
    expect(toCyrillic("Sas\u030Ca")).toBe("Саша");
    expect(toCyrillic("WiFi 2026, x@y.rs")).toBe("WиФи 2026, x@y.рс");
  });
});

describe("toLatin", () => {
  it("transliterates Serbian Cyrillic, keeping case", () => {
    expect(toLatin("писмо")).toBe("pismo");
    expect(toLatin("Саша Ђорђевић")).toBe("Saša Đorđević");
    expect(toLatin("Љубица Његош Џон")).toBe("Ljubica Njegoš Džon");
    expect(toLatin("ЉУБИЦА ЊЕГОШ")).toBe("LJUBICA NJEGOŠ");
    expect(toLatin("Љ")).toBe("Lj");
    expect(toLatin("ЏЕП Џ")).toBe("DŽEP Dž");
  });

  it("round-trips with toCyrillic", () => {
    for (const text of ["Љубица", "ЊЕГОШ", "Ђорђе Џајић", "чачак ћевап"]) {
      expect(toCyrillic(toLatin(text))).toBe(text);
    }
  });
});

describe("fold", () => {
  it("ignores case, diacritics and script", () => {
    expect(fold("Saša")).toBe("sasa");
    expect(fold("Đorđe")).toBe("djordje");
    expect(fold("ПИСМО")).toBe("pismo");
    expect(fold("Ђорђе")).toBe("djordje");
    expect(fold("Љубица")).toBe("ljubica");
    expect(fold("  Čačak \n ćevap ")).toBe("cacak cevap");
    expect(fold("José Müller")).toBe("jose muller");
  });
});

describe("searchVariants", () => {
  it("adds the other script", () => {
    expect(searchVariants("pismo")).toEqual(["pismo", "писмо"]);
    expect(searchVariants("писмо")).toEqual(["писмо", "pismo"]);
    expect(searchVariants("Saša")).toEqual(["Saša", "Саша"]);
  });

  it("reads ASCII dj as đ too, in both scripts, and đ as dj", () => {
    expect(searchVariants("djordje")).toEqual(["djordje", "дјордје", "ђорђе", "đorđe"]);
    expect(searchVariants("Djordje")).toEqual(["Djordje", "Дјордје", "Ђорђе", "Đorđe"]);
    // Servers fold š to s but not đ to dj: a typed đ also looks for the ASCII spelling.
    expect(searchVariants("Đorđe")).toEqual(["Đorđe", "Ђорђе", "Djordje"]);
    expect(searchVariants("Ђорђе")).toEqual(["Ђорђе", "Đorđe", "Djordje"]);
  });

  it("leaves addresses and numbers alone", () => {
    expect(searchVariants("ana@primer.rs")).toEqual(["ana@primer.rs"]);
    expect(searchVariants("2026")).toEqual(["2026"]);
  });

  it("detects scripts", () => {
    expect(hasCyrillic("pismo")).toBe(false);
    expect(hasCyrillic("писмо")).toBe(true);
    expect(hasLatin("писмо")).toBe(false);
    expect(hasLatin("š")).toBe(true);
  });
});
