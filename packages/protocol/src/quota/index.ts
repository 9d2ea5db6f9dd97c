/**
 * IMAP keeps every message on the server, so the user is warned before the
 * mailbox fills: at 80 % a warning, at 95 % an urgent one (new mail may be refused).
 */
export const QUOTA_WARNING_PERCENT = 80;
export const QUOTA_CRITICAL_PERCENT = 95;

export type QuotaLevel = "ok" | "warning" | "critical";

export function quotaLevel(usedBytes: number, limitBytes: number): { level: QuotaLevel; percent: number } {
  if (!(limitBytes > 0)) return { level: "ok", percent: 0 };
  const percent = Math.floor((Math.max(0, usedBytes) / limitBytes) * 100);
  const level =
    percent >= QUOTA_CRITICAL_PERCENT ? "critical" : percent >= QUOTA_WARNING_PERCENT ? "warning" : "ok";
  return { level, percent };
}
