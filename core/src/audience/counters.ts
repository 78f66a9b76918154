import { decodeKey, encodeKey } from '../storage-keys.js';
import type { Aggregate } from './condition.js';
import { MAX_WINDOW_DAYS } from './condition.js';
import type { ActiveCounter, CounterBucket, CounterBuckets, CounterSpec } from './context.js';
import { localDateKey } from './local-dates.js';
import { readPath, testPredicate } from './predicate.js';

const DAY_MS = 86_400_000;
// An event this much older than its arrival lands in a bucket no window can reach.
const MAX_EVENT_AGE_MS = (MAX_WINDOW_DAYS + 1) * DAY_MS;

/** A `track` event as counters see it; `properties` decoded, as the client sent them. */
export interface CountedEvent {
  event: string;
  properties?: Record<string, unknown> | undefined;
  timestamp: Date;
  receivedAt: Date;
}

/** A MongoDB update on a profile; paths start at the profile root (`counters.<field>.…`). */
export type CounterUpdate = {
  $inc?: Record<string, number>;
  $min?: Record<string, number>;
  $max?: Record<string, number>;
  $addToSet?: Record<string, { $each: (string | number)[] }>;
};

/** Whether an event is one the counter counts: same name, every property filter holds. */
export function matchesSpec(
  spec: CounterSpec,
  event: string,
  properties: Record<string, unknown> | undefined,
  now: Date,
): boolean {
  if (event !== spec.event) return false;
  return (spec.where ?? []).every((filter) =>
    testPredicate(filter, readPath(properties, filter.property, false), now),
  );
}

/**
 * The update ingestion applies for one event: every counter active when the event arrived and
 * matching it gains the event in the bucket of its local date. `null` when none counts it.
 */
export function counterUpdate(
  active: ActiveCounter[],
  event: CountedEvent,
  timeZone: string,
): CounterUpdate | null {
  let update: CounterUpdate | null = null;
  for (const counter of active) {
    if (counter.activatedAt.getTime() > event.receivedAt.getTime()) continue;
    const buckets: CounterBuckets = {};
    addToBuckets(buckets, counter.spec, event, timeZone);
    if (Object.keys(buckets).length === 0) continue;
    const next = bucketsUpdate(counter.field, buckets);
    update = update ? mergeUpdates(update, next) : next;
  }
  return update;
}

/** Counts one event into in-memory buckets, exactly as `counterUpdate` would in the database. */
export function addToBuckets(
  buckets: CounterBuckets,
  spec: CounterSpec,
  event: CountedEvent,
  timeZone: string,
): void {
  if (!isCountable(event)) return;
  // Property filters on dates are judged at the event's own time, so replays agree.
  if (!matchesSpec(spec, event.event, event.properties, event.timestamp)) return;
  const time = event.timestamp.getTime();
  const dateKey = localDateKey(time, timeZone);
  const added = eventBucket(spec, event.properties, time);
  const bucket = buckets[dateKey];
  if (bucket) foldInto(bucket, added);
  else buckets[dateKey] = added;
}

/** The update that adds buckets to the stored counter `counters.<field>`. */
export function bucketsUpdate(field: string, buckets: CounterBuckets): CounterUpdate {
  const $inc: Record<string, number> = {};
  const $min: Record<string, number> = {};
  const $max: Record<string, number> = {};
  const $addToSet: Record<string, { $each: (string | number)[] }> = {};
  for (const [dateKey, bucket] of Object.entries(buckets)) {
    const path = `counters.${field}.${dateKey}`;
    $inc[`${path}.n`] = bucket.n;
    $min[`${path}.t0`] = bucket.t0;
    $max[`${path}.t1`] = bucket.t1;
    if (bucket.s !== undefined) $inc[`${path}.s`] = bucket.s;
    if (bucket.mn !== undefined) $min[`${path}.mn`] = bucket.mn;
    if (bucket.mx !== undefined) $max[`${path}.mx`] = bucket.mx;
    if (bucket.v && bucket.v.length > 0) $addToSet[`${path}.v`] = { $each: [...bucket.v] };
    for (const [key, count] of Object.entries(bucket.g ?? {})) $inc[`${path}.g.${key}`] = count;
  }
  return withoutEmpty({ $inc, $min, $max, $addToSet });
}

/** One update with the effect of applying both. */
export function mergeUpdates(a: CounterUpdate, b: CounterUpdate): CounterUpdate {
  const $inc = { ...a.$inc };
  for (const [path, amount] of Object.entries(b.$inc ?? {}))
    $inc[path] = ($inc[path] ?? 0) + amount;
  const $min = { ...a.$min };
  for (const [path, value] of Object.entries(b.$min ?? {})) {
    $min[path] = Math.min($min[path] ?? value, value);
  }
  const $max = { ...a.$max };
  for (const [path, value] of Object.entries(b.$max ?? {})) {
    $max[path] = Math.max($max[path] ?? value, value);
  }
  const $addToSet = { ...a.$addToSet };
  for (const [path, { $each }] of Object.entries(b.$addToSet ?? {})) {
    $addToSet[path] = { $each: union($addToSet[path]?.$each ?? [], $each) };
  }
  return withoutEmpty({ $inc, $min, $max, $addToSet });
}

/**
 * One aggregate over the buckets of the given dates: a number for count, sum and distinct
 * (0 when no events), min and max (`null` when none); an ISO time for first and last.
 */
export function aggregateBuckets(
  buckets: CounterBuckets | undefined,
  aggregate: Aggregate,
  dateKeys: string[],
): number | string | null {
  const inWindow = dateKeys.flatMap((dateKey) => {
    const bucket = buckets?.[dateKey];
    return bucket ? [bucket] : [];
  });
  switch (aggregate) {
    case 'count':
      return inWindow.reduce((total, bucket) => total + bucket.n, 0);
    case 'sum':
      return inWindow.reduce((total, bucket) => total + (bucket.s ?? 0), 0);
    case 'min':
      return extreme(
        inWindow.map((bucket) => bucket.mn),
        Math.min,
      );
    case 'max':
      return extreme(
        inWindow.map((bucket) => bucket.mx),
        Math.max,
      );
    case 'distinct':
      return new Set(inWindow.flatMap((bucket) => bucket.v ?? [])).size;
    case 'first':
      return isoTime(
        extreme(
          inWindow.map((bucket) => bucket.t0),
          Math.min,
        ),
      );
    case 'last':
      return isoTime(
        extreme(
          inWindow.map((bucket) => bucket.t1),
          Math.max,
        ),
      );
    default: {
      const unknownAggregate: never = aggregate;
      return unknownAggregate;
    }
  }
}

/**
 * Each category's decayed score over the given dates, today first: an event `age` days old
 * (its date's index) weighs `0.5^(age / halfLifeDays)`. Categories come back decoded.
 */
export function affinityScores(
  buckets: CounterBuckets | undefined,
  dateKeys: string[],
  halfLifeDays: number,
): Map<string, number> {
  const scores = new Map<string, number>();
  dateKeys.forEach((dateKey, age) => {
    const weight = 0.5 ** (age / halfLifeDays);
    for (const [key, count] of Object.entries(buckets?.[dateKey]?.g ?? {})) {
      const category = decodeKey(key);
      scores.set(category, (scores.get(category) ?? 0) + count * weight);
    }
  });
  return scores;
}

/** Paths of the buckets dated before `oldestKept`, to `$unset` once no window can read them. */
export function staleBucketPaths(
  field: string,
  buckets: CounterBuckets,
  oldestKept: string,
): string[] {
  return Object.keys(buckets)
    .filter((dateKey) => dateKey < oldestKept)
    .map((dateKey) => `counters.${field}.${dateKey}`);
}

function isCountable(event: CountedEvent): boolean {
  const time = event.timestamp.getTime();
  return Number.isFinite(time) && time >= event.receivedAt.getTime() - MAX_EVENT_AGE_MS;
}

function eventBucket(
  spec: CounterSpec,
  properties: Record<string, unknown> | undefined,
  time: number,
): CounterBucket {
  const bucket: CounterBucket = { n: 1, t0: time, t1: time };
  if (spec.property !== undefined) {
    const value = readPath(properties, spec.property, false);
    if (typeof value === 'number' && Number.isFinite(value)) {
      Object.assign(bucket, { s: value, mn: value, mx: value });
    }
    if (isScalar(value)) bucket.v = [value];
  }
  if (spec.groupBy !== undefined) {
    const category = readPath(properties, spec.groupBy, false);
    if (isScalar(category)) bucket.g = { [encodeKey(String(category))]: 1 };
  }
  return bucket;
}

// Mutates `target`: backfill folds thousands of events into one profile's buckets.
function foldInto(target: CounterBucket, added: CounterBucket): void {
  target.n += added.n;
  target.t0 = Math.min(target.t0, added.t0);
  target.t1 = Math.max(target.t1, added.t1);
  if (added.s !== undefined) target.s = (target.s ?? 0) + added.s;
  if (added.mn !== undefined) target.mn = Math.min(target.mn ?? added.mn, added.mn);
  if (added.mx !== undefined) target.mx = Math.max(target.mx ?? added.mx, added.mx);
  if (added.v) target.v = union(target.v ?? [], added.v);
  if (added.g) {
    const counts = (target.g ??= {});
    for (const [key, count] of Object.entries(added.g)) counts[key] = (counts[key] ?? 0) + count;
  }
}

function isScalar(value: unknown): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function union(a: (string | number)[], b: (string | number)[]): (string | number)[] {
  return [...new Set([...a, ...b])];
}

function extreme(
  values: (number | undefined)[],
  pick: (...values: number[]) => number,
): number | null {
  const present = values.filter((value): value is number => value !== undefined);
  return present.length > 0 ? pick(...present) : null;
}

function isoTime(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}

function withoutEmpty(update: Required<CounterUpdate>): CounterUpdate {
  const result: CounterUpdate = {};
  if (Object.keys(update.$inc).length > 0) result.$inc = update.$inc;
  if (Object.keys(update.$min).length > 0) result.$min = update.$min;
  if (Object.keys(update.$max).length > 0) result.$max = update.$max;
  if (Object.keys(update.$addToSet).length > 0) result.$addToSet = update.$addToSet;
  return result;
}
