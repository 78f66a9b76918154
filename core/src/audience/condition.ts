import { z } from 'zod';

import { EventName } from '../event-name.js';

/**
 * Keys of tags and segments: chosen by the marketer, stable, and safe as stored document keys
 * (`profile.tags.<key>`), so no escaping is ever needed.
 */
export const AudienceKey = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,63}$/,
    'use lower-case letters, digits and "_", starting with a letter',
  );
export type AudienceKey = z.infer<typeof AudienceKey>;

/** A trait or event property, `.` separating nested keys: `plan`, `address.city`. */
export const FieldPath = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^.]+(\.[^.]+)*$/, 'use names separated by single dots');
export type FieldPath = z.infer<typeof FieldPath>;

const Scalar = z.union([z.string().max(1000), z.number().finite(), z.boolean()]);
export type Scalar = z.infer<typeof Scalar>;

/**
 * What a condition checks on one value; the operator decides the operand's type. Comparisons
 * never coerce: `gt` matches numbers only, `eq` a value of the same type.
 */
export const Predicate = z.discriminatedUnion('op', [
  z.strictObject({ op: z.enum(['exists', 'not_exists']) }),
  z.strictObject({ op: z.enum(['eq', 'neq']), value: Scalar }),
  z.strictObject({
    op: z.enum(['in', 'not_in']),
    value: z
      .array(z.union([z.string().max(1000), z.number().finite()]))
      .min(1)
      .max(1000),
  }),
  z.strictObject({ op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.number().finite() }),
  /** On a string: a substring; on a list: an element equal to the operand. */
  z.strictObject({ op: z.enum(['contains', 'not_contains']), value: Scalar }),
  z.strictObject({ op: z.literal('starts_with'), value: z.string().min(1).max(1000) }),
  /** On a date (an ISO 8601 string or a Date): before or after an instant. */
  z.strictObject({ op: z.enum(['before', 'after']), value: z.iso.datetime({ offset: true }) }),
  /** On a date: within the last `value` days of now, or longer ago. Time-relative: expires. */
  z.strictObject({ op: z.enum(['within_last_days', 'more_than_days_ago']), value: z.number() }),
]);
export type Predicate = z.infer<typeof Predicate>;
export type PredicateOp = Predicate['op'];

function withPredicate<T extends z.ZodRawShape>(shape: T) {
  return z.discriminatedUnion(
    'op',
    Predicate.options.map((option) => option.extend(shape)) as unknown as [
      z.ZodObject,
      ...z.ZodObject[],
    ],
  );
}

/** A filter on one event property, e.g. `{ property: 'price', op: 'gt', value: 100 }`. */
export const PropertyFilter = withPredicate({
  property: FieldPath,
}) as unknown as z.ZodType<PropertyFilter, PropertyFilter>;
export type PropertyFilter = { property: FieldPath } & Predicate;

/**
 * A window of local calendar days in the workspace's time zone, today included: `{ days: 7 }`
 * is today and the six days before. Range checks (1 to 365) are in `validateAudience`, so they
 * come back with a stable code.
 */
export const Window = z.strictObject({ days: z.number().int() });
export type Window = z.infer<typeof Window>;

/** How events in a window are summed up into one number (or, for first/last, a time). */
export const Aggregate = z.enum(['count', 'sum', 'min', 'max', 'distinct', 'first', 'last']);
export type Aggregate = z.infer<typeof Aggregate>;

/** The events an event condition or behavioral tag reads: a name and property filters. */
export const EventSelector = z.strictObject({
  event: EventName,
  where: z.array(PropertyFilter).max(20).optional(),
});
export type EventSelector = z.infer<typeof EventSelector>;

export type AllCondition = { type: 'all'; conditions: Condition[] };
export type AnyCondition = { type: 'any'; conditions: Condition[] };
export type NotCondition = { type: 'not'; condition: Condition };
export type TraitCondition = { type: 'trait'; trait: FieldPath } & Predicate;
export type TagCondition = { type: 'tag'; tag: AudienceKey } & Predicate;
/**
 * `count`, `sum`, `min`, `max` and `distinct` compare a number; `first` and `last` compare the
 * time of the first or last matching event with the date operators. `property` is required
 * for `sum`, `min`, `max` and `distinct`.
 */
export type EventCondition = {
  type: 'event';
  event: string;
  where?: PropertyFilter[] | undefined;
  within: Window;
  aggregate: Aggregate;
  property?: FieldPath | undefined;
} & Predicate;
export type SegmentCondition = { type: 'segment'; segment: AudienceKey; member: boolean };

/**
 * Junction's condition vocabulary, shared by segments, dynamic tags, model outcomes and (later)
 * journey splits. Stored as-is: never a MongoDB query, so no `$` key can reach the database.
 */
export type Condition =
  | AllCondition
  | AnyCondition
  | NotCondition
  | TraitCondition
  | TagCondition
  | EventCondition
  | SegmentCondition;
export type ConditionType = Condition['type'];

export const Condition: z.ZodType<Condition, Condition> = z.lazy(
  () =>
    z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('all'), conditions: z.array(Condition).min(1).max(50) }),
      z.strictObject({ type: z.literal('any'), conditions: z.array(Condition).min(1).max(50) }),
      z.strictObject({ type: z.literal('not'), condition: Condition }),
      withPredicate({ type: z.literal('trait'), trait: FieldPath }),
      withPredicate({ type: z.literal('tag'), tag: AudienceKey }),
      withPredicate({
        type: z.literal('event'),
        event: EventName,
        where: z.array(PropertyFilter).max(20).optional(),
        within: Window,
        aggregate: Aggregate.default('count'),
        property: FieldPath.optional(),
      }),
      z.strictObject({
        type: z.literal('segment'),
        segment: AudienceKey,
        member: z.boolean().default(true),
      }),
    ]) as unknown as z.ZodType<Condition, Condition>,
);

/** The deepest nesting of `all`, `any` and `not` a stored condition may have. */
export const MAX_CONDITION_DEPTH = 8;
/** The longest window, in days; counters keep this many days of buckets. */
export const MAX_WINDOW_DAYS = 365;
