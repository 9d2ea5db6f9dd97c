// The values of before:/after: (calendar days in the user's locale), older_than:/newer_than:
// (ages) and larger:/smaller: (sizes).

const DAY_MS = 86_400_000;

function validDay(year: number, month: number, day: number): number | null {
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const time = Date.UTC(year, month - 1, day);
  return new Date(time).getUTCDate() === day ? time : null;
}

/** Whether the locale writes the month before the day (en-US), read from Intl. */
function monthFirst(locale: string | undefined): boolean {
  if (locale === undefined) return false;
  try {
    const parts = new Intl.DateTimeFormat(locale, { year: "numeric", month: "numeric", day: "numeric" })
      .formatToParts(Date.UTC(2026, 10, 30))
      .map((p) => p.type);
    return parts.indexOf("month") < parts.indexOf("day");
  } catch {
    // An unknown locale tag: fall back to day first, as most of the world (and Serbia) writes.
    return false;
  }
}

export function dateExample(locale: string | undefined): string {
  return monthFirst(locale) ? "11/30/2026" : "30.11.2026";
}

/**
 * A calendar day as UTC midnight (ms), or null. ISO year-first forms always; otherwise day and
 * month in the locale's order (day first with dots, whatever the locale), separated by ".",
 * "/" or "-", an optional space after each
 * separator and the Serbian trailing dot ("30. 11. 2026."). Two-digit years are 20yy.
 */
export function parseDay(text: string, locale?: string): number | null {
  const value = text.trim();
  const iso = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/.exec(value);
  if (iso !== null) return validDay(Number(iso[1]), Number(iso[3]), Number(iso[4]));
  const local = /^(\d{1,2})([./-]) ?(\d{1,2})\2 ?(\d{4}|\d{2})(\.?)$/.exec(value);
  if (local === null) return null;
  if (local[5] === "." && local[2] !== ".") return null;
  const a = Number(local[1]);
  const b = Number(local[3]);
  const rawYear = local[4] ?? "";
  const year = rawYear.length === 2 ? 2000 + Number(rawYear) : Number(rawYear);
  // Dots are written day first everywhere (30.11.2026); no month-first locale uses them, and
  // the English page is read by people of day-first countries too.
  const dayFirst = local[2] === "." || !monthFirst(locale);
  return dayFirst ? validDay(year, b, a) : validDay(year, a, b);
}

/** now minus an age like 7d, 2w, 3m, 1y (calendar months and years, clamped to month end). */
export function parseAge(text: string, now: number): number | null {
  const m = /^(\d{1,5})([dwmy])$/i.exec(text.trim());
  if (m === null) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? "").toLowerCase();
  if (unit === "d") return now - n * DAY_MS;
  if (unit === "w") return now - 7 * n * DAY_MS;
  const d = new Date(now);
  const months = unit === "m" ? n : 12 * n;
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() - months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(
    year,
    month,
    Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** Bytes for 5M, 200K, 1.5M, 1,5M, 2G, 300 (bytes), 10MB; K/M/G are 1024-based. */
export function parseSize(text: string): number | null {
  const m = /^(\d+(?:[.,]\d+)?)([kmg]?)(i?b)?$/i.exec(text.trim());
  if (m === null) return null;
  const num = Number((m[1] ?? "").replace(",", "."));
  const power = { "": 0, k: 1, m: 2, g: 3 }[(m[2] ?? "").toLowerCase()] ?? 0;
  const bytes = Math.round(num * 1024 ** power);
  return Number.isSafeInteger(bytes) ? bytes : null;
}
