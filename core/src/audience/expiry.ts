import type { Predicate } from './condition.js';
import type { CounterBuckets } from './context.js';
import type { LocalCalendar, WindowPlan } from './local-calendar.js';

export const DAY_MS = 86_400_000;
const DATE_KEY = /^\d{8}$/;

/**
 * The earliest instant strictly after `now` at which a time-relative read could change an
 * evaluation's result with no new data: `nextCheckAt`. Both evaluators feed it the same reads,
 * so they agree; a time too early only costs a needless re-evaluation, one too late is a bug.
 */
export class NextCheck {
  at = Infinity;

  constructor(readonly now: number) {}

  consider(time: number): void {
    if (time > this.now && time < this.at) this.at = time;
  }

  reset(): void {
    this.at = Infinity;
  }

  toDate(): Date | null {
    return this.at === Infinity ? null : new Date(this.at);
  }
}

export type RelativePredicate = Extract<
  Predicate,
  { op: 'within_last_days' | 'more_than_days_ago' }
>;

/** Whether a predicate's outcome moves with the clock (and so needs `considerDate`). */
export function isRelative(predicate: Predicate): predicate is RelativePredicate {
  return predicate.op === 'within_last_days' || predicate.op === 'more_than_days_ago';
}

/**
 * A windowed counter read changes when its oldest bucket in the window leaves it (the start of
 * the local date `days` after that bucket's) or when a bucket dated after today becomes today.
 * The compiled evaluator applies the same rule in `selectWindow`.
 */
export function considerWindow(
  next: NextCheck,
  buckets: CounterBuckets | undefined,
  plan: WindowPlan,
  calendar: LocalCalendar,
): void {
  if (!buckets) return;
  const { keys } = plan;
  for (let index = keys.length - 1; index >= 0; index--) {
    if (buckets[keys[index]!]) {
      next.consider(calendar.leaveAt(plan, index));
      break;
    }
  }
  let future: string | undefined;
  for (const dateKey in buckets) {
    if (dateKey > calendar.today && (future === undefined || dateKey < future)) {
      if (buckets[dateKey] && DATE_KEY.test(dateKey)) future = dateKey;
    }
  }
  if (future !== undefined) next.consider(calendar.dayStart(future));
}

/**
 * `within_last_days` / `more_than_days_ago` on a date (epoch ms, `NaN` for no date) change
 * when the date itself arrives and when it turns `days` days old.
 */
export function considerDate(next: NextCheck, time: number, days: number): void {
  if (Number.isNaN(time)) return;
  next.consider(time);
  next.consider(time + days * DAY_MS);
}
