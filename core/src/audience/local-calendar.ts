import { addDays, localDateKey, localDayStart } from './local-dates.js';

/** The local dates one window covers at a fixed `now`: today first. */
export interface WindowPlan {
  days: number;
  keys: string[];
  /** Each date's index in `keys`: its age in days. */
  ages: Map<string, number>;
  /** Per index, when that date leaves the window (epoch ms); `NaN` until first asked. */
  leaving: number[];
}

/**
 * The local calendar at one `now` in one time zone: today, each window's dates and the start of
 * any later date. Time zone arithmetic is slow, so each answer is worked out once and kept.
 */
export class LocalCalendar {
  readonly now: number;
  readonly today: string;
  private readonly windows = new Map<number, WindowPlan>();
  private readonly dayStarts = new Map<string, number>();
  // Today, yesterday, and so on, as far back as any window has asked.
  private readonly pastKeys: string[] = [];

  constructor(
    now: Date,
    readonly timeZone: string,
  ) {
    this.now = now.getTime();
    this.today = localDateKey(now, timeZone);
  }

  /** The dates of `windowDateKeys(now, days)`; windows share one list, as each is a prefix. */
  window(days: number): WindowPlan {
    let plan = this.windows.get(days);
    if (!plan) {
      // Counted as Array.from counts a length: whole days, none when not positive.
      const count = Math.max(0, Math.trunc(days) || 0);
      for (let index = this.pastKeys.length; index < count; index++) {
        this.pastKeys.push(addDays(this.today, -index));
      }
      const keys = this.pastKeys.slice(0, count);
      const ages = new Map(keys.map((key, age) => [key, age]));
      plan = { days, keys, ages, leaving: keys.map(() => NaN) };
      this.windows.set(days, plan);
    }
    return plan;
  }

  /** When the date at `index` of the window stops being in it: `days` days after it starts. */
  leaveAt(plan: WindowPlan, index: number): number {
    let at = plan.leaving[index]!;
    if (Number.isNaN(at)) {
      at = this.dayStart(addDays(plan.keys[index]!, plan.days));
      plan.leaving[index] = at;
    }
    return at;
  }

  /** The first instant of a local date, as epoch ms. */
  dayStart(dateKey: string): number {
    let at = this.dayStarts.get(dateKey);
    if (at === undefined) {
      at = localDayStart(dateKey, this.timeZone).getTime();
      this.dayStarts.set(dateKey, at);
    }
    return at;
  }
}
