import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** A self-signed certificate for localhost and 127.0.0.1, for Dovecot's and Postfix's TLS. */
export async function makeCertificate(dir: string): Promise<{ certPath: string; keyPath: string }> {
  const certPath = join(dir, "tls-cert.pem");
  const keyPath = join(dir, "tls-key.pem");
  // EC keys: generated in milliseconds, unlike RSA.
  await execFileAsync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    keyPath,
    "-out",
    certPath,
    "-days",
    "7",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
  ]);
  return { certPath, keyPath };
}
