import { LocalCalendar } from './local-calendar.js';
import { addDays, localDayStart, windowDateKeys } from './local-dates.js';

const now = new Date('2026-03-28T23:30:00Z');

describe('the local calendar of one evaluation', () => {
  it('lists the dates of every window as windowDateKeys does, today first', () => {
    const calendar = new LocalCalendar(now, 'Europe/London');
    for (const days of [30, 1, 7, 365, 0]) {
      expect(calendar.window(days).keys).toEqual(windowDateKeys(now, days, 'Europe/London'));
    }
    expect(calendar.today).toBe('20260328');
    expect(calendar.window(7).ages.get('20260322')).toBe(6);
  });

  it('says a date leaves a window when the local day `days` after it starts, across a DST change', () => {
    const calendar = new LocalCalendar(now, 'Europe/London');
    const week = calendar.window(7);

    // Today leaves a 7-day window on April 4; the oldest date (March 22) on March 29, the day
    // British summer time starts, which begins at midnight GMT.
    expect(new Date(calendar.leaveAt(week, 0))).toEqual(localDayStart('20260404', 'Europe/London'));
    expect(new Date(calendar.leaveAt(week, 6)).toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(calendar.dayStart(addDays('20260328', 2))).toBe(Date.parse('2026-03-29T23:00:00Z'));
  });
});
