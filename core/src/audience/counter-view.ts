import type { CounterBucket, CounterBuckets } from './context.js';
import type { NextCheck } from './expiry.js';
import type { LocalCalendar, WindowPlan } from './local-calendar.js';

const DATE_KEY = /^\d{8}$/;
const newestFirst = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

/**
 * One counter of the profile being evaluated, as its dated buckets newest first. Built on the
 * first read of the counter and shared by every window that reads it, so a read costs the
 * buckets the profile has rather than the days the window spans.
 */
export class CounterView {
  stamp = -1;
  length = 0;
  readonly keys: string[] = [];
  readonly buckets: CounterBucket[] = [];

  load(source: CounterBuckets | undefined, stamp: number): void {
    this.stamp = stamp;
    const { keys, buckets } = this;
    keys.length = 0;
    if (source) {
      for (const key in source) {
        if (source[key] && DATE_KEY.test(key)) keys.push(key);
      }
      keys.sort(newestFirst);
    }
    buckets.length = keys.length;
    for (let index = 0; index < keys.length; index++) buckets[index] = source![keys[index]!]!;
    this.length = keys.length;
  }
}

/**
 * Gathers the view's buckets inside a window into `out` (today first, the order
 * `aggregateBuckets` visits them) with their ages into `ages`, and notes when the read can
 * change by `considerWindow`'s rule. Returns how many there are.
 */
export function selectWindow(
  view: CounterView,
  plan: WindowPlan,
  calendar: LocalCalendar,
  next: NextCheck,
  out: CounterBucket[],
  ages: number[],
): number {
  const { keys, buckets, length } = view;
  let index = 0;
  while (index < length && keys[index]! > calendar.today) index++;
  // The nearest bucket dated after today enters every window when its day starts.
  if (index > 0) next.consider(calendar.dayStart(keys[index - 1]!));
  const oldest = plan.keys[plan.keys.length - 1] ?? '';
  let count = 0;
  for (; index < length; index++) {
    const key = keys[index]!;
    const age = plan.ages.get(key);
    if (age === undefined) {
      if (key < oldest) break;
      continue;
    }
    out[count] = buckets[index]!;
    ages[count] = age;
    count++;
  }
  if (count > 0) next.consider(calendar.leaveAt(plan, ages[count - 1]!));
  return count;
}
