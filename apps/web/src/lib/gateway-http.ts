import { gatewayHttpUrl } from "@/trpc/client";
import { isMailErrorCode } from "@pismo/protocol/errors";
import { GatewayError, type UiErrorCode } from "./errors";

/**
 * The gateway's plain HTTP routes (session, upload, message parts) answer a failure with a
 * non-2xx status and `{ error: { code, message } }`. This turns such an answer into a
 * GatewayError with that code, so every caller handles HTTP and tRPC failures the same way.
 */
export function errorFromAnswer(status: number, bodyText: string, statusText = ""): GatewayError {
  let code: UiErrorCode = status === 404 ? "NOT_FOUND" : "INTERNAL";
  let message = statusText || String(status);
  try {
    const body = JSON.parse(bodyText) as { code?: unknown; error?: { code?: unknown; message?: unknown } };
    const found = body.error?.code ?? body.code;
    if (isMailErrorCode(found)) code = found;
    if (typeof body.error?.message === "string") message = body.error.message;
  } catch {
    // Not JSON (a proxy's error page): the status decides.
  }
  return new GatewayError(code, message);
}

/** fetch() against the gateway with the session cookie; resolves only for a 2xx answer. */
export async function gatewayFetch(path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  try {
    // An absolute URL (gatewayHttpUrl's own output) passes through gatewayHttpUrl unchanged.
    res = await fetch(gatewayHttpUrl(path), { credentials: "include", ...init });
  } catch (error) {
    // fetch rejects only when no answer came at all.
    throw new GatewayError("NETWORK", error instanceof Error ? error.message : "network");
  }
  if (!res.ok) throw errorFromAnswer(res.status, await res.text().catch(() => ""), res.statusText);
  return res;
}

/** A JSON route: the parsed answer. */
export async function gatewayJson<T>(path: string, method: string, body?: unknown): Promise<T> {
  const res = await gatewayFetch(path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await res.json().catch(() => ({}))) as T;
}

/** Where the gateway serves a part of an IMAP message (`inline`: to be shown, not saved). */
export function partUrl(folder: string, uid: number, part: string, inline = false): string {
  const q = new URLSearchParams({ folder, uid: String(uid), part, ...(inline ? { inline: "1" } : {}) });
  return gatewayHttpUrl(`/api/part?${q.toString()}`);
}

/** A message part's bytes (an attached message, an inline image). */
export async function gatewayBytes(url: string): Promise<Blob> {
  return (await gatewayFetch(url)).blob();
}

/** Bytes as a data: URL, the form an inline image takes inside the sandboxed message frame. */
export function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}
