import { describe, expect, it } from "vitest";
import { answeringOfDraftInfo, draftInfoValue } from "./draft-info";

describe("X-Draft-Info: the message a draft answers", () => {
  it("writes Roundcube's form and reads it back, any folder name", () => {
    expect(draftInfoValue({ folder: "INBOX", uid: 123 })).toBe("type=reply; uid=123; folder=B::SU5CT1g=");
    for (const folder of ["INBOX", "Računi/2026", "Posao; važno=da"])
      expect(answeringOfDraftInfo(draftInfoValue({ folder, uid: 7 }))).toEqual({ folder, uid: 7 });
  });

  it("reads a plain folder name, as older Roundcube wrote it", () => {
    expect(answeringOfDraftInfo("type=reply; uid=5; folder=INBOX")).toEqual({ folder: "INBOX", uid: 5 });
  });

  it("takes nothing from a forward, a missing or bad uid, or a folder that is not one", () => {
    expect(answeringOfDraftInfo("type=forward; uid=5; folder=B::SU5CT1g=")).toBeNull();
    expect(answeringOfDraftInfo("type=reply; folder=B::SU5CT1g=")).toBeNull();
    expect(answeringOfDraftInfo("type=reply; uid=-1; folder=INBOX")).toBeNull();
    expect(answeringOfDraftInfo("type=reply; uid=5; folder=B::!!!")).toBeNull();
    expect(answeringOfDraftInfo(`type=reply; uid=5; folder=B::${btoa("a\r\nb")}`)).toBeNull();
    expect(answeringOfDraftInfo(`type=reply; uid=5; folder=B::${btoa("\xff\xfe")}`)).toBeNull();
    expect(answeringOfDraftInfo(null)).toBeNull();
  });
});
