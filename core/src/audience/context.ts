import type { PropertyFilter } from './condition.js';
import type { SegmentDefinition, TagDefinition, TagValue, TrainedModel } from './definitions.js';

/**
 * The events one counter on the profile tracks. Every behavioral tag, event condition and
 * affinity model reads a counter; two readers with the same selector share one.
 */
export interface CounterSpec {
  event: string;
  where?: PropertyFilter[] | undefined;
  /** Kept per bucket as sum, min, max and the distinct values, when set. */
  property?: string | undefined;
  /** Kept per bucket as a count per value of this property (affinity categories), when set. */
  groupBy?: string | undefined;
}

/**
 * One local calendar day of one counter. Times are epoch milliseconds so `$min`/`$max` keep the
 * first and last event whatever order events arrive in.
 */
export interface CounterBucket {
  /** Matching events. */
  n: number;
  /** Time of the earliest and latest matching event. */
  t0: number;
  t1: number;
  /** Over the numeric values of `property`. */
  s?: number;
  mn?: number;
  mx?: number;
  /** Distinct scalar values of `property`. */
  v?: (string | number)[];
  /** Events per value of `groupBy`, keys escaped with `encodeKey`. */
  g?: Record<string, number>;
}

/** A counter on the profile: buckets by local date, `YYYYMMDD` in the workspace time zone. */
export type CounterBuckets = Record<string, CounterBucket>;

/** A counter the workspace keeps, as recorded in its audience state. */
export interface ActiveCounter {
  spec: CounterSpec;
  /** The profile field: `counters.<field>`. New each time the counter is activated. */
  field: string;
  /**
   * Events received from this instant on are counted by ingestion; earlier ones by the
   * counter's backfill. The partition means no event is counted twice or missed.
   */
  activatedAt: Date;
}

/** What evaluation reads of a profile: one document. Traits are stored with escaped keys. */
export interface AudienceProfile {
  _id: string;
  traits: Record<string, unknown>;
  counters?: Record<string, CounterBuckets> | undefined;
  /** The tag values and memberships last written; evaluation recomputes them. */
  tags?: Record<string, TagValue> | undefined;
  segments?: Record<string, { since: Date }> | undefined;
}

/** The workspace's tags and segments, each at its newest version, and its trained models. */
export interface AudienceDefinitions {
  tags: Map<string, { version: number; definition: TagDefinition }>;
  segments: Map<string, { version: number; definition: SegmentDefinition }>;
  models: Map<string, TrainedModel>;
  /** Keyed by `counterSpecId(spec)`. */
  counters: Map<string, ActiveCounter>;
  /** IANA time zone that local days and windows are counted in. */
  timeZone: string;
}

/** Everything one evaluation of one profile produces. */
export interface AudienceResult {
  /** Every tag's value; `null` when missing. */
  tags: Record<string, TagValue>;
  /** Keys of the segments the profile is a member of. */
  segments: string[];
  /**
   * The earliest time a time-relative condition could change the result with no new event
   * (a bucket leaving a window, a date crossing `within_last_days`); `null` when none can.
   */
  nextCheckAt: Date | null;
}
