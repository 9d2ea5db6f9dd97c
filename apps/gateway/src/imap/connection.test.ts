import { describe, expect, it } from "vitest";
import { MailError } from "@pismo/protocol/errors";
import { passwordRefused } from "./connection";

describe("passwordRefused", () => {
  const refusal = (serverResponseCode?: string) =>
    Object.assign(new Error("Command failed"), { authenticationFailed: true, serverResponseCode });
  it("is a wrong password, not a login the server could not check for the moment", () => {
    expect(passwordRefused(refusal("AUTHENTICATIONFAILED"))).toBe(true);
    expect(passwordRefused(refusal())).toBe(true);
    expect(passwordRefused(refusal("UNAVAILABLE"))).toBe(false);
    expect(passwordRefused(new MailError("SERVER_UNREACHABLE", "down"))).toBe(false);
  });
});
