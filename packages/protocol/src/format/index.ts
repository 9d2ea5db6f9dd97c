/**
 * Formatting for the UI, in the user's language: sizes, counts and dates. Pure functions over
 * Intl, so the same output in the browser and in tests. Intl formatters are costly to build
 * (a list of 50 rows would build hundreds per render), so each is made once and kept.
 */
import type { Address } from "../schemas/address";

const units = ["kilobyte", "megabyte", "gigabyte", "terabyte"] as const;

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

export function formatBytes(bytes: number, locale: string): string {
  // Below 1 kB a mail size reads better as a fraction of a kilobyte than as "842 byte", and
  // nothing as "0 kB": the short unit for bytes is "byte" in English whatever the number
  // ("0 byte of 1.1 GB").
  const bytesIn = Math.max(0, bytes);
  if (bytesIn < 1000) {
    return numberFormat(locale, {
      style: "unit",
      unit: "kilobyte",
      unitDisplay: "short",
      maximumFractionDigits: 1,
      minimumFractionDigits: bytesIn === 0 ? 0 : 1,
    }).format(bytesIn === 0 ? 0 : Math.max(0.1, bytesIn / 1000));
  }
  let value = bytesIn / 1000;
  let unit = 0;
  // 999,999 bytes is "1 MB", not "1,000 kB": a unit that would round to 1,000 is the next one.
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value >= 10 ? 0 : 1;
  return numberFormat(locale, {
    style: "unit",
    unit: units[unit],
    unitDisplay: "short",
    maximumFractionDigits: digits,
  }).format(value);
}

export function formatCount(n: number, locale: string): string {
  return numberFormat(locale, {}).format(n);
}

/** Today: the time; this year: day and month; otherwise: the full date. */
export function formatListDate(
  iso: string | null,
  locale: string,
  now: Date = new Date(),
  timeZone?: string,
): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const tz = timeZone ? { timeZone } : {};
  const dayKey = dateFormat("en-CA", { ...tz, year: "numeric", month: "2-digit", day: "2-digit" });
  if (dayKey.format(date) === dayKey.format(now))
    return dateFormat(locale, { ...tz, hour: "2-digit", minute: "2-digit" }).format(date);
  const year = dateFormat("en", { ...tz, year: "numeric" });
  const sameYear = year.format(date) === year.format(now);
  return dateFormat(
    locale,
    sameYear
      ? { ...tz, day: "numeric", month: "short" }
      : { ...tz, day: "numeric", month: "short", year: "numeric" },
  ).format(date);
}

export function formatFullDate(iso: string | null, locale: string, timeZone?: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return dateFormat(locale, {
    ...(timeZone ? { timeZone } : {}),
    dateStyle: "full",
    timeStyle: "short",
  }).format(date);
}

/**
 * Builds the formatters a mailbox's first screen uses (the rows' dates and sizes, the folders'
 * counts, the quota), so that the first render does not: the first Intl formatters a page
 * builds cost ~10 ms, in the task that paints the first rows. For a moment nothing waits on.
 */
export function warmFormats(locale: string, now: Date = new Date()): void {
  formatCount(1, locale);
  for (const bytes of [0, 500, 5e3, 5e4, 5e6, 5e7, 5e9, 5e10, 5e12, 5e13]) formatBytes(bytes, locale);
  const iso = now.toISOString();
  formatListDate(iso, locale, now);
  formatListDate(new Date(now.getTime() - 2 * 86_400_000).toISOString(), locale, now);
  formatListDate(new Date(now.getTime() - 400 * 86_400_000).toISOString(), locale, now);
}

/** "Name <address>", or the bare address when there is no display name; "" for none. */
export function formatAddress(a: Address | null | undefined): string {
  if (!a) return "";
  return a.name ? `${a.name} <${a.address}>` : a.address;
}
