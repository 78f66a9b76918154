import { z } from 'zod';

export const DurationUnit = z.enum(['seconds', 'minutes', 'hours', 'days', 'weeks']);
export type DurationUnit = z.infer<typeof DurationUnit>;

export const Duration = z.strictObject({
  amount: z.number().int().positive().max(1_000_000),
  unit: DurationUnit,
});
export type Duration = z.infer<typeof Duration>;

const UNIT_MS: Record<DurationUnit, number> = {
  seconds: 1_000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 7 * 86_400_000,
};

export function durationToMs(duration: Duration): number {
  return duration.amount * UNIT_MS[duration.unit];
}

/** A local wall-clock time, `HH:MM` on a 24-hour clock. */
export const LocalTime = z
  .string()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'use HH:MM on a 24-hour clock');
export type LocalTime = z.infer<typeof LocalTime>;

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;

/**
 * Whose clock a local time is read on: the person's (their `timezone` trait, falling back to
 * the workspace's) or the workspace's.
 */
export const ClockOf = z.enum(['person', 'workspace']);
export type ClockOf = z.infer<typeof ClockOf>;

/** An instant with an explicit offset, e.g. `2026-12-24T09:00:00+01:00`. */
export const Instant = z.iso.datetime({ offset: true });
