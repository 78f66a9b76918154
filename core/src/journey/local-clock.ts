import { addDays, localDateKey, localDayStart } from '../audience/local-dates.js';
import type { Weekday } from './timing.js';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

const formatters = new Map<string, Intl.DateTimeFormat>();

function timeFormatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

/** Minutes since local midnight on the wall clock of `timeZone`. */
export function localMinuteOfDay(at: Date, timeZone: string): number {
  let hour = 0;
  let minute = 0;
  for (const part of timeFormatter(timeZone).formatToParts(at)) {
    if (part.type === 'hour') hour = Number(part.value);
    if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

/** `HH:MM` as minutes since midnight. */
export function parseLocalTime(time: string): number {
  const [hour, minute] = time.split(':').map(Number);
  return (hour ?? 0) * 60 + (minute ?? 0);
}

/** The local calendar date as `YYYY-MM-DD`. */
export function localDay(at: Date, timeZone: string): string {
  const key = localDateKey(at, timeZone);
  return `${key.slice(0, 4)}-${key.slice(4, 6)}-${key.slice(6, 8)}`;
}

/** The `count` local dates ending today, today first, as `YYYY-MM-DD`. */
export function localDaysBack(at: Date, timeZone: string, count: number): string[] {
  const today = localDateKey(at, timeZone);
  return Array.from({ length: count }, (_, index) => {
    const key = addDays(today, -index);
    return `${key.slice(0, 4)}-${key.slice(4, 6)}-${key.slice(6, 8)}`;
  });
}

/**
 * The instant the wall clock shows `minuteOfDay` on the local date `dateKey` (`YYYYMMDD`). A DST
 * change earlier that day shifts the clock, so the first guess is corrected by what it reads.
 */
export function atLocalMinute(dateKey: string, minuteOfDay: number, timeZone: string): Date {
  const guess = localDayStart(dateKey, timeZone).getTime() + minuteOfDay * MINUTE_MS;
  const drift = localMinuteOfDay(new Date(guess), timeZone) - minuteOfDay;
  // A drift of most of a day is the clock wrapping past midnight, not a DST change.
  const wrapped =
    Math.abs(drift) > DAY_MINUTES / 2 ? drift - Math.sign(drift) * DAY_MINUTES : drift;
  return new Date(guess - wrapped * MINUTE_MS);
}

/**
 * When the local window `start`–`end` (`HH:MM`, possibly across midnight) that contains `now`
 * ends; null when `now` is outside it. An empty window (`start` = `end`) never contains it.
 */
export function windowEnd(
  window: { start: string; end: string },
  now: Date,
  timeZone: string,
): Date | null {
  const start = parseLocalTime(window.start);
  const end = parseLocalTime(window.end);
  const minute = localMinuteOfDay(now, timeZone);
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (start === end || !inside) return null;
  const today = localDateKey(now, timeZone);
  // Past `end` today means the window closes at `end` tomorrow (it started this evening).
  const day = minute >= end ? addDays(today, 1) : today;
  return atLocalMinute(day, end, timeZone);
}

const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The local weekday of the date `dateKey` (`YYYYMMDD`), which needs no time zone. */
function weekdayOf(dateKey: string): Weekday {
  const utc = Date.UTC(+dateKey.slice(0, 4), +dateKey.slice(4, 6) - 1, +dateKey.slice(6, 8));
  return WEEKDAYS[new Date(utc).getUTCDay()]!;
}

/** The weekday the wall clock of `timeZone` shows at `at`. */
export function localWeekday(at: Date, timeZone: string): Weekday {
  return weekdayOf(localDateKey(at, timeZone));
}

/**
 * The first instant after `now` when the wall clock of `timeZone` shows `time` (`HH:MM`), on one
 * of `weekdays` when given. A time that a DST change skips that day resolves to the shifted hour.
 */
export function nextLocalTime(
  now: Date,
  time: string,
  timeZone: string,
  weekdays?: readonly Weekday[],
): Date {
  const minute = parseLocalTime(time);
  const today = localDateKey(now, timeZone);
  for (let offset = 0; offset <= 8; offset++) {
    const day = addDays(today, offset);
    if (weekdays && weekdays.length > 0 && !weekdays.includes(weekdayOf(day))) continue;
    const at = atLocalMinute(day, minute, timeZone);
    if (at.getTime() > now.getTime()) return at;
  }
  throw new Error(`no local time ${time} within eight days`);
}
