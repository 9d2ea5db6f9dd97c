// Days as the user lives them: a search for "after 30.11.2026." means from the midnight that
// starts that day where the user is, with that day's own offset (summer time or not), not UTC's.

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
      });
    } catch {
      f = null; // A zone this runtime does not know: UTC.
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** How far `timeZone`'s clocks are ahead of UTC at `at`, in minutes (0 for a zone not known). */
export function zoneOffsetMinutes(timeZone: string, at: number): number {
  const f = formatter(timeZone);
  if (f === null || !Number.isFinite(at)) return 0;
  const part: Record<string, number> = {};
  for (const p of f.formatToParts(at)) if (p.type !== "literal") part[p.type] = Number(p.value);
  const wall = Date.UTC(part["year"]!, part["month"]! - 1, part["day"]!, part["hour"]!, part["minute"]!);
  return Math.round((wall - Math.floor(at / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

/**
 * The instant the day `day` (its date as UTC midnight) begins in `timeZone`: its midnight, or,
 * where summer time starts at midnight (Santiago, Havana) and that hour does not exist, the
 * first minute the day has.
 */
export function zonedMidnight(day: number, timeZone: string): number {
  const guess = day - zoneOffsetMinutes(timeZone, day) * MINUTE_MS;
  let start = day - zoneOffsetMinutes(timeZone, guess) * MINUTE_MS;
  const dayOf = (t: number) => Math.floor((t + zoneOffsetMinutes(timeZone, t) * MINUTE_MS) / DAY_MS) * DAY_MS;
  for (let step = 0; step < 4 && dayOf(start) < day; step++) start += 30 * MINUTE_MS;
  return start;
}

/**
 * The day (its date as UTC midnight) each instant falls on in `timeZone`, with the zone's
 * offset looked up once an hour of time (a search over a whole mailbox asks for many).
 */
export function zonedDays(timeZone: string): (time: number) => number {
  const offsets = new Map<number, number>();
  return (time) => {
    const hour = Math.floor(time / HOUR_MS);
    let offset = offsets.get(hour);
    if (offset === undefined) {
      offset = zoneOffsetMinutes(timeZone, time);
      offsets.set(hour, offset);
    }
    return Math.floor((time + offset * MINUTE_MS) / DAY_MS) * DAY_MS;
  };
}
