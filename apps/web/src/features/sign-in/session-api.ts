import type { SignInAnswer, SignInInput } from "@pismo/protocol/schemas";
import { gatewayJson } from "@/lib/gateway-http";

/** Signs in over plain HTTP: the gateway answers with an httpOnly, SameSite=Strict cookie, the
 * account, and (IMAP, when asked with `firstRows`) the first screen's folders and rows. */
export async function signIn(input: SignInInput): Promise<SignInAnswer> {
  return gatewayJson<SignInAnswer>("/api/session", "POST", input);
}

export async function signOut(): Promise<void> {
  await gatewayJson("/api/session", "DELETE");
}
