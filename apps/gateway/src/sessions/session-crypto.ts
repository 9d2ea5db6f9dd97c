import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";

/**
 * The session cookie carries two random values, `id.key`: the id names the session, the key
 * is half of what unlocks its stored password. The store keys records by a hash of the id
 * (`ref`), so a copy of the store names no cookie; the password is sealed with AES-256-GCM
 * under a key derived (HKDF-SHA256, RFC 5869) from the server secret and the cookie key, so
 * neither the store nor the server's disk alone opens it.
 */
export interface SessionToken {
  /** 256 random bits, base64url: names the session. */
  id: string;
  /** 256 random bits, base64url: exists only in the browser's cookie (and this process's
   * memory while the session is held here). */
  key: string;
}

const PART = /^[A-Za-z0-9_-]{43}$/;

export function newSessionToken(): SessionToken {
  return { id: randomBytes(32).toString("base64url"), key: randomBytes(32).toString("base64url") };
}

export function formatToken(token: SessionToken): string {
  return `${token.id}.${token.key}`;
}

/** The cookie's value as a token, or null when it is not one (an old or forged cookie). */
export function parseToken(value: string | null): SessionToken | null {
  if (!value) return null;
  const [id, key, extra] = value.split(".");
  if (extra !== undefined || !id || !key || !PART.test(id) || !PART.test(key)) return null;
  return { id, key };
}

/** What the store keys a session by: a hash of its id, so a dump of the store names no
 * cookie that could be replayed. */
export function sessionRef(id: string): string {
  return createHash("sha256").update(`pismo-session:${id}`).digest("base64url");
}

export function sameKey(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const VERSION = 1;

function sealingKey(serverSecret: Buffer, cookieKey: string, ref: string): Buffer {
  return Buffer.from(
    hkdfSync(
      "sha256",
      Buffer.concat([serverSecret, Buffer.from(cookieKey, "base64url")]),
      "pismo-session-v1",
      ref,
      32,
    ),
  );
}

/** AES-256-GCM; the record's ref is authenticated with it, so a sealed password moved to
 * another record does not open. Returns base64url(version | iv | tag | ciphertext). */
export function sealSecret(serverSecret: Buffer, token: SessionToken, plain: string): string {
  const ref = sessionRef(token.id);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(serverSecret, token.key, ref), iv);
  cipher.setAAD(Buffer.from(ref));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** The sealed secret, or null when the key does not open it (wrong cookie, other server
 * secret, a changed record). */
export function openSecret(serverSecret: Buffer, token: SessionToken, sealed: string): string | null {
  const raw = Buffer.from(sealed, "base64url");
  if (raw.length < 1 + 12 + 16 || raw[0] !== VERSION) return null;
  const ref = sessionRef(token.id);
  try {
    const decipher = createDecipheriv(
      "aes-256-gcm",
      sealingKey(serverSecret, token.key, ref),
      raw.subarray(1, 13),
    );
    decipher.setAAD(Buffer.from(ref));
    decipher.setAuthTag(raw.subarray(13, 29));
    return Buffer.concat([decipher.update(raw.subarray(29)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
