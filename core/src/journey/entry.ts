import { z } from 'zod';

import { AudienceKey, PropertyFilter } from '../audience/condition.js';
import { EventName } from '../event-name.js';
import { ClockOf, Duration, Instant, LocalTime, Weekday } from './timing.js';

/** Enters a person when they send `event` and its properties pass every filter. */
export const EventTrigger = z.strictObject({
  kind: z.literal('event'),
  event: EventName,
  where: z.array(PropertyFilter).max(20).optional(),
});
export type EventTrigger = z.infer<typeof EventTrigger>;

/** Enters a person when they enter (or leave) a segment: its `segment entered/exited` event. */
export const SegmentTrigger = z.strictObject({
  kind: z.literal('segment'),
  segment: AudienceKey,
  on: z.enum(['entered', 'exited']).default('entered'),
});
export type SegmentTrigger = z.infer<typeof SegmentTrigger>;

export const ScheduleTiming = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('once'), at: Instant }),
  /** Every day at `time`, or on the listed weekdays only. */
  z.strictObject({
    type: z.literal('recurring'),
    time: LocalTime,
    weekdays: z.array(Weekday).min(1).max(7).optional(),
  }),
]);
export type ScheduleTiming = z.infer<typeof ScheduleTiming>;

/**
 * Enters the members of `segment` (everyone when absent) on a schedule. With `clock: 'person'`
 * a recurring send happens at `time` on each person's own clock, so Tokyo and Lisbon both get it
 * at 09:00 local; with `'workspace'` everyone enters at once.
 */
export const ScheduleTrigger = z.strictObject({
  kind: z.literal('schedule'),
  segment: AudienceKey.optional(),
  timing: ScheduleTiming,
  clock: ClockOf.default('workspace'),
});
export type ScheduleTrigger = z.infer<typeof ScheduleTrigger>;

/** Enters people only through `POST /v1/journeys/:id/entries`. */
export const ApiTrigger = z.strictObject({ kind: z.literal('api') });
export type ApiTrigger = z.infer<typeof ApiTrigger>;

export const EntryTrigger = z.discriminatedUnion('kind', [
  EventTrigger,
  SegmentTrigger,
  ScheduleTrigger,
  ApiTrigger,
]);
export type EntryTrigger = z.infer<typeof EntryTrigger>;

/**
 * When a person who entered before may enter again: `never`; `after_exit` once their previous
 * run ended; `cooldown` once `cooldown` has passed since they last entered (and the previous run
 * ended); `always`, even while a previous run is still going (each entry is its own run).
 */
export const ReEntry = z.discriminatedUnion('policy', [
  z.strictObject({ policy: z.literal('never') }),
  z.strictObject({ policy: z.literal('after_exit') }),
  z.strictObject({ policy: z.literal('cooldown'), cooldown: Duration }),
  z.strictObject({ policy: z.literal('always') }),
]);
export type ReEntry = z.infer<typeof ReEntry>;

/** Makes a person leave the journey wherever they are: an event, or leaving a segment. */
export const ExitCriterion = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('event'),
    event: EventName,
    where: z.array(PropertyFilter).max(20).optional(),
  }),
  z.strictObject({ kind: z.literal('segment_exited'), segment: AudienceKey }),
]);
export type ExitCriterion = z.infer<typeof ExitCriterion>;

/** Journey-wide rules; every field has a default, so `{}` is a valid settings object. */
export const JourneySettings = z.strictObject({
  reEntry: ReEntry.default({ policy: 'after_exit' }),
  /** The most entries the journey accepts in total; later ones are refused and counted. */
  entryCap: z.number().int().positive().max(1_000_000_000).nullable().default(null),
  exitCriteria: z.array(ExitCriterion).max(10).default([]),
  /** The most messages this journey sends per minute; later sends wait for a free minute. */
  sendRateLimit: z
    .strictObject({ perMinute: z.number().int().positive().max(1_000_000) })
    .nullable()
    .default(null),
});
export type JourneySettings = z.infer<typeof JourneySettings>;
