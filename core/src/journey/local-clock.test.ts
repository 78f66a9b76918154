import { localWeekday, nextLocalTime, windowEnd } from './local-clock.js';

describe('nextLocalTime', () => {
  it('finds today’s time when it is still ahead, else tomorrow’s', () => {
    const morning = new Date('2026-03-10T07:00:00Z');
    expect(nextLocalTime(morning, '09:00', 'Europe/Paris').toISOString()).toBe(
      '2026-03-10T08:00:00.000Z',
    );
    const evening = new Date('2026-03-10T20:00:00Z');
    expect(nextLocalTime(evening, '09:00', 'Europe/Paris').toISOString()).toBe(
      '2026-03-11T08:00:00.000Z',
    );
  });

  it('reads the wall clock of the zone, across the date line', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(nextLocalTime(now, '09:00', 'Asia/Tokyo').toISOString()).toBe(
      '2026-03-11T00:00:00.000Z',
    );
    expect(nextLocalTime(now, '09:00', 'America/Los_Angeles').toISOString()).toBe(
      '2026-03-10T16:00:00.000Z',
    );
  });

  it('keeps 09:00 local on the day clocks move forward', () => {
    // Europe/Paris moves from UTC+1 to UTC+2 on 2026-03-29 at 02:00.
    const now = new Date('2026-03-28T12:00:00Z');
    expect(nextLocalTime(now, '09:00', 'Europe/Paris').toISOString()).toBe(
      '2026-03-29T07:00:00.000Z',
    );
  });

  it('waits for a listed weekday', () => {
    // 2026-03-10 is a Tuesday.
    const now = new Date('2026-03-10T12:00:00Z');
    const next = nextLocalTime(now, '09:00', 'UTC', ['mon']);
    expect(next.toISOString()).toBe('2026-03-16T09:00:00.000Z');
    expect(localWeekday(next, 'UTC')).toBe('mon');
  });
});

describe('windowEnd', () => {
  const quiet = { start: '21:00', end: '08:00' };

  it('ends a window that crosses midnight the next morning', () => {
    const night = new Date('2026-03-10T22:30:00Z');
    expect(windowEnd(quiet, night, 'UTC')?.toISOString()).toBe('2026-03-11T08:00:00.000Z');
    const early = new Date('2026-03-11T03:00:00Z');
    expect(windowEnd(quiet, early, 'UTC')?.toISOString()).toBe('2026-03-11T08:00:00.000Z');
  });

  it('is null outside the window', () => {
    expect(windowEnd(quiet, new Date('2026-03-10T12:00:00Z'), 'UTC')).toBeNull();
  });
});
