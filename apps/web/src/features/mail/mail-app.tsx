"use client";

import type { Account } from "@pismo/protocol/schemas";
import type { UiErrorCode } from "@/lib/errors";

export function MailApp({ account }: { account: Account; onSignedOut: (reason?: UiErrorCode) => void }) {
  return <main className="p-4">{account.email}</main>;
}
