import type { Account, SignInInput } from "@pismo/protocol/schemas";
import { gatewayJson } from "@/lib/gateway-http";

/** Signs in over plain HTTP: the gateway answers with an httpOnly, SameSite=Strict cookie. */
export async function signIn(input: SignInInput): Promise<Account> {
  return (await gatewayJson<{ account: Account }>("/api/session", "POST", input)).account;
}

export async function signOut(): Promise<void> {
  await gatewayJson("/api/session", "DELETE");
}
