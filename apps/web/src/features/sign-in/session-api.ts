import type { Account, SignInInput } from "@pismo/protocol/schemas";
import { gatewayHttpUrl } from "@/trpc/client";

class HttpMailError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, body?: unknown): Promise<T> {
  const res = await fetch(gatewayHttpUrl("/api/session"), {
    method,
    credentials: "include",
    headers: body ? { "Content-Type": "application/json" } : {},
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json().catch(() => ({}))) as {
    account?: Account;
    error?: { code: string; message: string };
  };
  if (!res.ok) throw new HttpMailError(json.error?.code ?? "INTERNAL", json.error?.message ?? res.statusText);
  return json as T;
}

/** Signs in over plain HTTP: the gateway answers with an httpOnly, SameSite=Strict cookie. */
export async function signIn(input: SignInInput): Promise<Account> {
  return (await call<{ account: Account }>("POST", input)).account;
}

export async function signOut(): Promise<void> {
  await call("DELETE");
}
