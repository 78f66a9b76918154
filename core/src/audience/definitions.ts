import { z } from 'zod';

import { EventName } from '../event-name.js';
import {
  Aggregate,
  AudienceKey,
  Condition,
  FieldPath,
  PropertyFilter,
  Window,
} from './condition.js';

/** The type of a tag's value, which decides the operators conditions may use on it. */
export const TagValueType = z.enum(['string', 'number', 'boolean', 'date', 'list']);
export type TagValueType = z.infer<typeof TagValueType>;

/** A tag's value on one profile: dates are ISO 8601 strings; missing is `null`. */
export type TagValue = string | number | boolean | string[] | null;

/** A trait as it is, converted to `valueType` (a value that does not convert is missing). */
export const StaticTagRule = z.strictObject({
  kind: z.literal('static'),
  trait: FieldPath,
  valueType: TagValueType,
});
export type StaticTagRule = z.infer<typeof StaticTagRule>;

/**
 * An aggregate of events over a window, read from the profile's time-bucketed counters:
 * a number for `count`, `sum`, `min`, `max` and `distinct`, a date for `first` and `last`.
 */
export const BehavioralTagRule = z.strictObject({
  kind: z.literal('behavioral'),
  event: EventName,
  where: z.array(PropertyFilter).max(20).optional(),
  aggregate: Aggregate,
  /** The summed, compared or counted property; required for sum, min, max and distinct. */
  property: FieldPath.optional(),
  within: Window,
});
export type BehavioralTagRule = z.infer<typeof BehavioralTagRule>;

const CaseValue = z.union([z.string().min(1).max(200), z.number().finite(), z.boolean()]);

/** Ordered cases over traits and other tags; the first case that holds gives the value. */
export const DynamicTagRule = z.strictObject({
  kind: z.literal('dynamic'),
  cases: z
    .array(z.strictObject({ when: Condition, value: CaseValue }))
    .min(1)
    .max(50),
  /** The value when no case holds; missing means the tag is missing. */
  otherwise: CaseValue.optional(),
});
export type DynamicTagRule = z.infer<typeof DynamicTagRule>;

/** A numeric input of a model: a tag or a trait (booleans count as 0 or 1). */
export const ModelFeature = z.union([
  z.strictObject({ tag: AudienceKey }),
  z.strictObject({ trait: FieldPath }),
]);
export type ModelFeature = z.infer<typeof ModelFeature>;

/**
 * A classifier trained on the workspace's own profiles: `outcome` marks the people who did the
 * thing (churned, purchased); the tag's value is each person's probability of it, 0 to 1.
 */
export const ClassifierModel = z.strictObject({
  method: z.literal('logistic'),
  /** What the score predicts, for people reading it: `churn` or `propensity`. */
  purpose: z.enum(['churn', 'propensity']),
  outcome: Condition,
  features: z.array(ModelFeature).min(1).max(50),
  /** Days between retrainings by the nightly job. */
  retrainEveryDays: z.number().int().min(1).max(90).default(7),
});
export type ClassifierModel = z.infer<typeof ClassifierModel>;

/**
 * Interest affinity: each category of matching events scores the sum of `0.5^(age/halfLife)`
 * over its events in the window; the value is the top categories, best first.
 */
export const AffinityModel = z.strictObject({
  method: z.literal('affinity'),
  event: EventName,
  where: z.array(PropertyFilter).max(20).optional(),
  /** The event property holding the category, e.g. `category`. */
  categoryProperty: FieldPath,
  halfLifeDays: z.number().min(0.5).max(365),
  within: Window,
  /** How many categories the value lists. */
  top: z.number().int().min(1).max(10).default(3),
  /** Categories scoring below this are left out. */
  minScore: z.number().min(0).default(0),
});
export type AffinityModel = z.infer<typeof AffinityModel>;

export const ModelTagRule = z.strictObject({
  kind: z.literal('model'),
  model: z.discriminatedUnion('method', [ClassifierModel, AffinityModel]),
});
export type ModelTagRule = z.infer<typeof ModelTagRule>;

export const TagRule = z.discriminatedUnion('kind', [
  StaticTagRule,
  BehavioralTagRule,
  DynamicTagRule,
  ModelTagRule,
]);
export type TagRule = z.infer<typeof TagRule>;
export type TagKind = TagRule['kind'];

/** What a marketer submits to create or change a tag. */
export const TagDefinition = z.strictObject({
  key: AudienceKey,
  name: z.string().trim().min(1).max(120),
  description: z.string().max(2000).default(''),
  /** Who answers for the tag: a person or team name. */
  owner: z.string().trim().max(120).default(''),
  rule: TagRule,
});
export type TagDefinition = z.infer<typeof TagDefinition>;

/** What a marketer submits to create or change a segment. */
export const SegmentDefinition = z.strictObject({
  key: AudienceKey,
  name: z.string().trim().min(1).max(120),
  description: z.string().max(2000).default(''),
  owner: z.string().trim().max(120).default(''),
  condition: Condition,
});
export type SegmentDefinition = z.infer<typeof SegmentDefinition>;

/** The trained parameters of a classifier model tag, stored by the nightly job. */
export interface TrainedModel {
  tag: string;
  /** The tag version the model was trained for; a changed tag needs a new model. */
  tagVersion: number;
  /** Per feature, in the tag's order: the mean and spread used to standardise inputs. */
  scaling: { mean: number; std: number }[];
  /** Intercept first, then one weight per feature. */
  weights: number[];
  /** Quality on the holdout people the model never saw. */
  holdout: { auc: number; size: number; positives: number };
  trainingSize: number;
  trainedAt: string;
}
