/**
 * Formatting for the UI, in the user's language: sizes, counts and dates. Pure functions over
 * Intl, so the same output in the browser and in tests.
 */
const units = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;

export function formatBytes(bytes: number, locale: string): string {
  // Below 1 kB a mail size reads better as a fraction of a kilobyte than as "842 byte".
  let value = Math.max(0, bytes);
  if (value > 0 && value < 1000) {
    return new Intl.NumberFormat(locale, { style: "unit", unit: "kilobyte", unitDisplay: "short", maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(Math.max(0.1, value / 1000));
  }
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 0 : 1;
  return new Intl.NumberFormat(locale, { style: "unit", unit: units[unit], unitDisplay: "short", maximumFractionDigits: digits }).format(value);
}

export function formatCount(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

/** Today: the time; this year: day and month; otherwise: the full date. */
export function formatListDate(iso: string | null, locale: string, now: Date = new Date(), timeZone?: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const tz = timeZone ? { timeZone } : {};
  const day = (d: Date) => new Intl.DateTimeFormat("en-CA", { ...tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
  if (day(date) === day(now)) return new Intl.DateTimeFormat(locale, { ...tz, hour: "2-digit", minute: "2-digit" }).format(date);
  const sameYear = new Intl.DateTimeFormat("en", { ...tz, year: "numeric" }).format(date) === new Intl.DateTimeFormat("en", { ...tz, year: "numeric" }).format(now);
  return new Intl.DateTimeFormat(locale, sameYear ? { ...tz, day: "numeric", month: "short" } : { ...tz, day: "numeric", month: "short", year: "numeric" }).format(date);
}

export function formatFullDate(iso: string | null, locale: string, timeZone?: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(locale, { ...(timeZone ? { timeZone } : {}), dateStyle: "full", timeStyle: "short" }).format(date);
}
