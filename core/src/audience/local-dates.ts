const DAY_MS = 86_400_000;
// Offsets on Earth span UTC-12 to UTC+14; a little margin covers historical local mean times.
const SEARCH_MARGIN_MS = 16 * 3_600_000;
const DATE_KEY = /^(\d{4})(\d{2})(\d{2})$/;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

// Building a DateTimeFormat costs far more than using one, and evaluation reads dates per profile.
function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

function wallClock(at: number, timeZone: string): WallClock {
  const clock: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(timeZone).formatToParts(at)) {
    if (part.type in clock) clock[part.type as keyof WallClock] = Number(part.value);
  }
  return clock;
}

function keyOf(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
}

function parseDateKey(dateKey: string): [number, number, number] {
  const match = DATE_KEY.exec(dateKey);
  if (!match) throw new RangeError(`not a YYYYMMDD date key: ${dateKey}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function utcMidnight(dateKey: string): number {
  const [year, month, day] = parseDateKey(dateKey);
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, leaves years 0 to 99 alone.
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/** The local calendar date of an instant in an IANA time zone, as `YYYYMMDD`. */
export function localDateKey(at: Date | number, timeZone: string): string {
  const clock = wallClock(typeof at === 'number' ? at : at.getTime(), timeZone);
  return keyOf(clock.year, clock.month, clock.day);
}

/** Calendar arithmetic on a `YYYYMMDD` key; `days` may be negative. */
export function addDays(dateKey: string, days: number): string {
  const date = new Date(utcMidnight(dateKey) + days * DAY_MS);
  return keyOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/**
 * The first instant whose local date is `dateKey`. Usually local midnight; where a DST change
 * skips midnight (clocks jump from 00:00 to 01:00), the first instant after the gap.
 */
export function localDayStart(dateKey: string, timeZone: string): Date {
  const midnight = utcMidnight(dateKey);
  const guess = midnight - offsetAt(midnight - offsetAt(midnight, timeZone), timeZone);
  if (startsDay(guess, dateKey, timeZone)) return new Date(guess);
  // The guess misses only around a transition; the date is monotonic there, so bisect.
  let low = midnight - SEARCH_MARGIN_MS;
  let high = midnight + SEARCH_MARGIN_MS;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (localDateKey(middle, timeZone) >= dateKey) high = middle;
    else low = middle;
  }
  return new Date(high);
}

function offsetAt(at: number, timeZone: string): number {
  const clock = wallClock(at, timeZone);
  const asUtc = new Date(0);
  asUtc.setUTCFullYear(clock.year, clock.month - 1, clock.day);
  asUtc.setUTCHours(clock.hour, clock.minute, clock.second);
  // Intl drops milliseconds, so compare at whole seconds.
  return asUtc.getTime() - Math.floor(at / 1000) * 1000;
}

function startsDay(at: number, dateKey: string, timeZone: string): boolean {
  return localDateKey(at, timeZone) === dateKey && localDateKey(at - 1, timeZone) < dateKey;
}

/** The local dates a window of `days` covers at `now`: today first, then the days before. */
export function windowDateKeys(now: Date, days: number, timeZone: string): string[] {
  const today = localDateKey(now, timeZone);
  return Array.from({ length: Math.max(0, days) }, (_, index) => addDays(today, -index));
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    // Not cached: names come from users, and Intl accepts every spelling of every case.
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
