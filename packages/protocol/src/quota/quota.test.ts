import { describe, expect, it } from "vitest";
import { quotaLevel } from "./index";

describe("quotaLevel", () => {
  it("warns at 80 % and 95 %", () => {
    expect(quotaLevel(0, 100)).toEqual({ level: "ok", percent: 0 });
    expect(quotaLevel(79.9, 100)).toEqual({ level: "ok", percent: 79 });
    expect(quotaLevel(80, 100)).toEqual({ level: "warning", percent: 80 });
    expect(quotaLevel(95, 100)).toEqual({ level: "critical", percent: 95 });
    expect(quotaLevel(130, 100)).toEqual({ level: "critical", percent: 130 });
  });
  it("treats a missing or zero limit as no quota", () => {
    expect(quotaLevel(10, 0)).toEqual({ level: "ok", percent: 0 });
  });
});
