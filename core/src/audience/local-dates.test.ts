import {
  addDays,
  isValidTimeZone,
  localDateKey,
  localDayStart,
  windowDateKeys,
} from './local-dates.js';

const HOUR_MS = 3_600_000;

describe('local dates', () => {
  it('puts the same instant on different local days in Shanghai, Los Angeles and UTC', () => {
    const instant = new Date('2026-12-03T20:30:00Z');
    expect(localDateKey(instant, 'Asia/Shanghai')).toBe('20261204');
    expect(localDateKey(instant, 'UTC')).toBe('20261203');
    expect(localDateKey(new Date('2026-12-03T03:00:00Z'), 'America/Los_Angeles')).toBe('20261202');
    expect(localDateKey(instant.getTime(), 'America/Los_Angeles')).toBe('20261203');
  });

  it('changes the local date exactly at local midnight', () => {
    expect(localDateKey(new Date('2026-12-03T15:59:59.999Z'), 'Asia/Shanghai')).toBe('20261203');
    expect(localDateKey(new Date('2026-12-03T16:00:00Z'), 'Asia/Shanghai')).toBe('20261204');
  });

  it('adds and subtracts calendar days across months, years and leap days', () => {
    expect(addDays('20260301', -1)).toBe('20260228');
    expect(addDays('20240301', -1)).toBe('20240229');
    expect(addDays('20261231', 1)).toBe('20270101');
    expect(addDays('20260115', 0)).toBe('20260115');
    expect(addDays('20260115', -365)).toBe('20250115');
  });

  it('starts a day at local midnight in zones without a transition that day', () => {
    expect(localDayStart('20260101', 'UTC').toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(localDayStart('20260101', 'Asia/Kolkata').toISOString()).toBe(
      '2025-12-31T18:30:00.000Z',
    );
    expect(localDayStart('20260101', 'Pacific/Kiritimati').toISOString()).toBe(
      '2025-12-31T10:00:00.000Z',
    );
  });

  it('starts New York days at the right instant around the March and November DST changes', () => {
    const zone = 'America/New_York';
    const march8 = localDayStart('20260308', zone);
    const march9 = localDayStart('20260309', zone);
    expect(march8.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(march9.toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(march9.getTime() - march8.getTime()).toBe(23 * HOUR_MS);

    const november1 = localDayStart('20261101', zone);
    const november2 = localDayStart('20261102', zone);
    expect(november1.toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(november2.toISOString()).toBe('2026-11-02T05:00:00.000Z');
    expect(november2.getTime() - november1.getTime()).toBe(25 * HOUR_MS);
  });

  it('starts a day whose midnight a DST change skips at the first instant after the gap', () => {
    // Havana springs forward from 00:00 to 01:00, so 8 March 2026 begins at 01:00 local time.
    const start = localDayStart('20260308', 'America/Havana');
    expect(start.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(localDateKey(start, 'America/Havana')).toBe('20260308');
    expect(localDateKey(start.getTime() - 1, 'America/Havana')).toBe('20260307');
  });

  it('lists a window today first, and a 1-day window is today only', () => {
    const now = new Date('2026-03-02T10:00:00Z');
    expect(windowDateKeys(now, 1, 'UTC')).toEqual(['20260302']);
    expect(windowDateKeys(now, 3, 'UTC')).toEqual(['20260302', '20260301', '20260228']);
    expect(windowDateKeys(now, 2, 'Pacific/Kiritimati')).toEqual(['20260303', '20260302']);
    expect(windowDateKeys(now, 365, 'UTC')).toHaveLength(365);
  });

  it('accepts IANA zones and refuses anything else', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
