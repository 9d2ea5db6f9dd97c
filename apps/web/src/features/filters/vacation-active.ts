import type { Vacation } from "@pismo/protocol/rules";

// Apart from the form (which validates with the rules' zod schema, loaded with Settings): the
// mail view's banner asks this on its first load, which carries no zod.

/** Whether an out-of-office reply goes out today (its switch and its days). */
export function vacationActive(v: Vacation, today = new Date()): boolean {
  if (!v.enabled) return false;
  const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
  return (v.firstDay === null || v.firstDay <= day) && (v.lastDay === null || day <= v.lastDay);
}
