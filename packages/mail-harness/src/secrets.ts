// Looking for a password where it must not be (a session store's dump, a gateway's data
// folder): in every encoding a dump might show it in, not only as typed.

/** The password as a dump might show it: raw, base64 (padded or not), base64url, hex, quoted-
 * printable, UTF-16, URL-encoded. */
export function passwordForms(password: string): string[] {
  const utf8 = Buffer.from(password, "utf8");
  const qp = password.replace(/[^\x21-\x3c\x3e-\x7e]/g, (c) =>
    [...Buffer.from(c)].map((b) => `=${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
  return [
    password,
    utf8.toString("base64"),
    utf8.toString("base64").replace(/=+$/, ""),
    utf8.toString("base64url"),
    utf8.toString("hex"),
    utf8.toString("hex").toUpperCase(),
    qp,
    Buffer.from(password, "utf16le").toString("latin1"),
    encodeURIComponent(password),
  ];
}

/** The forms of `password` found in `bytes` (none, we hope). */
export function passwordFound(bytes: Buffer, password: string): string[] {
  const text = bytes.toString("latin1");
  return passwordForms(password).filter((form) => text.includes(form));
}
