import { describe, expect, it } from "vitest";
import { baseSubject, isReplyOrForward, parseSubject, subjectKey } from "./subject";

describe("baseSubject", () => {
  it.each([
    // RFC 5256 section 2.1
    ["Re: Sastanak u ponedeljak", "Sastanak u ponedeljak"],
    ["Fwd: Sastanak", "Sastanak"],
    ["Fw: Sastanak", "Sastanak"],
    ["Re: Re: RE: Sastanak", "Sastanak"],
    ["Re:Re:Sastanak", "Sastanak"],
    ["Re [2]: Sastanak", "Sastanak"],
    ["Re[2]: Sastanak", "Sastanak"],
    ["Re^2: Sastanak", "Sastanak"],
    ["Re(3): Sastanak", "Sastanak"],
    ["Sastanak (fwd)", "Sastanak"],
    ["Sastanak (fwd) (FWD)", "Sastanak"],
    ["[Fwd: Sastanak]", "Sastanak"],
    ["Fwd: [Fwd: Re: Sastanak]", "Sastanak"],
    ["Re: Sastanak (fwd)", "Sastanak"],
    // Serbian, Croatian, Bosnian in both scripts
    ["Odg: Ponuda za januar", "Ponuda za januar"],
    ["Odgovor: Ponuda za januar", "Ponuda za januar"],
    ["Prosl: Ponuda za januar", "Ponuda za januar"],
    ["Prosl.: Ponuda za januar", "Ponuda za januar"],
    ["Prosleđeno: Ponuda", "Ponuda"],
    ["Proslijeđeno: Ponuda", "Ponuda"],
    ["Одг: Писмо о сарадњи", "Писмо о сарадњи"],
    ["ОДГ: Одг: Писмо о сарадњи", "Писмо о сарадњи"],
    ["Прослеђено: Писмо о сарадњи", "Писмо о сарадњи"],
    ["Odg: Fwd: Re: Ponuda", "Ponuda"],
    // German, Dutch, Scandinavian, Spanish, French, Italian, Polish
    ["AW: WG: Besprechung am Montag", "Besprechung am Montag"],
    ["Antw: Doorst: Vergadering", "Vergadering"],
    ["SV: VS: Möte på måndag", "Möte på måndag"],
    ["RE: RV: Reunión del lunes", "Reunión del lunes"],
    ["TR: Réunion de lundi", "Réunion de lundi"],
    ["RE : Réunion de lundi", "Réunion de lundi"],
    ["Réf : Réunion de lundi", "Réunion de lundi"],
    ["R: I: Riunione di lunedì", "Riunione di lunedì"],
    ["Odp: PD: Spotkanie w poniedziałek", "Spotkanie w poniedziałek"],
    // Turkish, Greek, Chinese (full-width colon too)
    ["YNT: İLT: Pazartesi toplantısı", "Pazartesi toplantısı"],
    ["ynt: ILT: Pazartesi toplantısı", "Pazartesi toplantısı"],
    ["ΑΠ: ΣΧΕΤ: Συνάντηση", "Συνάντηση"],
    ["Απ: ΠΡΘ: Συνάντηση", "Συνάντηση"],
    ["回复: 周一的会议", "周一的会议"],
    ["回复：转发：周一的会议", "周一的会议"],
    ["答复: 周一的会议", "周一的会议"],
    // Mailing-list tags anywhere in the leader
    ["[pismo-dev] Re: Threading", "Threading"],
    ["Re: [pismo-dev] Threading", "Threading"],
    ["Re: [pismo-dev] Re: [pismo-dev] Threading", "Threading"],
    ["[SPAM] [pismo-dev] AW: Threading", "Threading"],
    // Whitespace: tabs, folding, no-break spaces collapse
    ["  Re:\t Sastanak\u00a0 u\r\n ponedeljak  ", "Sastanak u ponedeljak"],
  ])("%j -> %j", (subject, base) => {
    expect(baseSubject(subject)).toBe(base);
  });

  it.each([
    // "Re" inside a word, and words that happen to start like a prefix
    ["Regarding: the contract", "Regarding: the contract"],
    ["Review: Q3 numbers", "Review: Q3 numbers"],
    ["Reklamacija: broj 12", "Reklamacija: broj 12"],
    ["Tema: sastanak", "Tema: sastanak"],
    ["Ref: invoice 12", "Ref: invoice 12"],
    // One-letter prefixes only with a space after the colon
    ["I:O errors on disk 2", "I:O errors on disk 2"],
    ["R:2 result", "R:2 result"],
    ["I am back", "I am back"],
    // A subject that is only a tag keeps it (RFC 5256: a blob goes only if text is left)
    ["[pismo-dev]", "[pismo-dev]"],
    // Text that is not a prefix at all
    ["", ""],
    ["Re:", ""],
    ["Fwd: (fwd)", ""],
  ])("keeps %j as %j", (subject, base) => {
    expect(baseSubject(subject)).toBe(base);
  });

  it("strips thousands of prefixes in linear time", () => {
    const subject = "Re: ".repeat(50_000) + "[list] AW: ".repeat(10_000) + "Kraj";
    expect(baseSubject(subject)).toBe("Kraj");
  });
});

describe("parseSubject", () => {
  it("marks replies and forwards, not tagged or plain subjects", () => {
    expect(isReplyOrForward("Re: x")).toBe(true);
    expect(isReplyOrForward("Одг: x")).toBe(true);
    expect(isReplyOrForward("x (fwd)")).toBe(true);
    expect(isReplyOrForward("[Fwd: x]")).toBe(true);
    expect(isReplyOrForward("[list] x")).toBe(false);
    expect(isReplyOrForward("Regarding: x")).toBe(false);
    expect(isReplyOrForward("x")).toBe(false);
  });

  it("compares without case and with one form of each accented letter", () => {
    // "é" precomposed and as e + combining accent
    expect(subjectKey("RE: Réunion DE Lundi")).toBe(subjectKey("Re: Re\u0301union de lundi"));
    expect(subjectKey("Odg: PONUDA")).toBe("ponuda");
    expect(parseSubject("AW: Besprechung").base).toBe("Besprechung");
  });
});
