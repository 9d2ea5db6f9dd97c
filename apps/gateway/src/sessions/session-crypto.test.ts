import { describe, expect, it } from "vitest";
import {
  formatToken,
  newSessionToken,
  openSecret,
  parseToken,
  sealSecret,
  sessionRef,
} from "./session-crypto";

const secret = Buffer.from("0123456789abcdef0123456789abcdef-server", "utf8");

describe("session crypto", () => {
  it("opens what it sealed only with the same server secret and cookie key", () => {
    const token = newSessionToken();
    const sealed = sealSecret(secret, token, "pässwörd ✓");
    expect(openSecret(secret, token, sealed)).toBe("pässwörd ✓");
    expect(openSecret(Buffer.from("x".repeat(40)), token, sealed)).toBeNull();
    expect(openSecret(secret, { id: token.id, key: newSessionToken().key }, sealed)).toBeNull();
  });

  it("binds the sealed password to its session: moved to another record it does not open", () => {
    const a = newSessionToken();
    const b = { id: newSessionToken().id, key: a.key };
    expect(openSecret(secret, b, sealSecret(secret, a, "secret-pw"))).toBeNull();
  });

  it("refuses a changed ciphertext", () => {
    const token = newSessionToken();
    const raw = Buffer.from(sealSecret(secret, token, "secret-pw"), "base64url");
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(openSecret(secret, token, raw.toString("base64url"))).toBeNull();
  });

  it("seals the same password differently every time", () => {
    const token = newSessionToken();
    expect(sealSecret(secret, token, "same")).not.toBe(sealSecret(secret, token, "same"));
  });

  it("reads only well-formed cookies", () => {
    const token = newSessionToken();
    expect(parseToken(formatToken(token))).toEqual(token);
    expect(parseToken(token.id)).toBeNull();
    expect(parseToken(`${token.id}.${token.key}.x`)).toBeNull();
    expect(parseToken(`${token.id}.short`)).toBeNull();
    expect(parseToken(null)).toBeNull();
  });

  it("keys records by a hash that does not contain the id", () => {
    const token = newSessionToken();
    expect(sessionRef(token.id)).not.toContain(token.id);
    expect(sessionRef(token.id)).toBe(sessionRef(token.id));
  });
});
