// Test support: random conditions and tag and segment definitions for the evaluator tests.
// Times are drawn as offsets from a `now` not drawn yet (`FromNow`), so the arbitraries are
// built once and a scenario's clock is applied after drawing.
import fc from 'fast-check';

import type { Aggregate, Condition, Predicate, PropertyFilter } from './condition.js';
import type { SegmentDefinition, TagDefinition, TagRule, TrainedModel } from './definitions.js';

export const DAY_MS = 86_400_000;

/** A time relative to the scenario's `now`, in one of the forms a date may be stored in. */
export class FromNow {
  constructor(
    readonly offset: number,
    readonly form: 'iso' | 'date' | 'day' | 'offset',
  ) {}

  at(now: number): string | Date {
    const date = new Date(now + this.offset);
    if (this.form === 'date') return date;
    const iso = date.toISOString();
    if (this.form === 'day') return iso.slice(0, 10);
    return this.form === 'offset' ? iso.replace('Z', '+05:30') : iso;
  }
}

// Definitions may read only those listed before them (acyclic by construction) or a missing key.
export const UNIVERSE = ['t0', 's0', 't1', 't2', 's1', 't3', 's2', 't4', 't5', 's3'];
export const TRAIT_PATHS = [
  'plan',
  'age',
  'score',
  'flag',
  'signup',
  'tags',
  'address.city',
  'address.zip',
  'address.city.x',
  '$money',
  'pct%',
  'a.b',
  'list.0',
  'constructor',
  'matrix',
  'missing',
];
const STRINGS = ['pro', 'free', 'Pro', '', 'a.b', '$x', '42', '-3.5e2', 'true', 'false', 'running'];
const NUMBERS = [0, -0, 1, 2, 3.5, -7, 42, 100, 1e9];
export const CATEGORIES = ['running', 'hiking', 'a.b', '$x', '5', '10'];
const EVENTS = ['purchase', 'view'];
const WHERE: PropertyFilter[][] = [
  [],
  [{ property: 'price', op: 'gt', value: 10 }],
  [{ property: 'plan', op: 'eq', value: 'pro' }],
];

export const number = fc.oneof(
  fc.constantFrom(...NUMBERS),
  fc.double({ min: -1000, max: 1000, noNaN: true }),
);
export const scalar = fc.oneof(fc.constantFrom(...STRINGS), number, fc.boolean());

export function fromNow(
  spanDays: number,
  forms: FromNow['form'][] = ['iso'],
): fc.Arbitrary<FromNow> {
  return fc
    .tuple(
      fc.integer({ min: -spanDays * DAY_MS, max: spanDays * DAY_MS }),
      fc.constantFrom(...forms),
    )
    .map(([offset, form]) => new FromNow(offset, form));
}

// Operands typed as the schema wants them once `FromNow` is replaced by its time.
const predicate: fc.Arbitrary<Predicate> = fc.oneof(
  fc.record({ op: fc.constantFrom('exists' as const, 'not_exists' as const) }),
  fc.record({
    op: fc.constantFrom('eq' as const, 'neq' as const),
    value: fc.oneof(scalar, fromNow(30) as unknown as fc.Arbitrary<string>),
  }),
  fc.record({
    op: fc.constantFrom('in' as const, 'not_in' as const),
    value: fc.array(fc.oneof(fc.constantFrom(...STRINGS), number), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    op: fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const),
    value: number,
  }),
  fc.record({
    op: fc.constantFrom('contains' as const, 'not_contains' as const),
    value: fc.oneof(scalar, fc.constantFrom(...CATEGORIES)),
  }),
  fc.record({
    op: fc.constant('starts_with' as const),
    value: fc.constantFrom('p', 'Pro', '2', 'a.', '$'),
  }),
  fc.record({
    op: fc.constantFrom('before' as const, 'after' as const),
    value: fromNow(400, ['iso', 'offset']) as unknown as fc.Arbitrary<string>,
  }),
  fc.record({
    op: fc.constantFrom('within_last_days' as const, 'more_than_days_ago' as const),
    value: fc.oneof(fc.constantFrom(1, 7, 30), fc.integer({ min: 1, max: 3650 })),
  }),
);

const windowDays = fc.oneof(fc.constantFrom(1, 7, 30), fc.integer({ min: 1, max: 365 }));

const eventSelection = fc
  .record({
    event: fc.constantFrom(...EVENTS),
    where: fc.constantFrom(...WHERE),
    aggregate: fc.constantFrom<Aggregate>(
      'count',
      'sum',
      'min',
      'max',
      'distinct',
      'first',
      'last',
    ),
    property: fc.constantFrom('price', 'sku'),
    days: windowDays,
  })
  .map(({ event, where, aggregate, property, days }) => ({
    event,
    ...(where.length > 0 && { where }),
    aggregate,
    ...(['sum', 'min', 'max', 'distinct'].includes(aggregate) && { property }),
    within: { days },
  }));

export interface References {
  tags: string[];
  segments: string[];
}

/** Conditions nested up to `depth` groups deep, reading only the given tags and segments. */
export function conditionArbitrary(refs: References, depth: number): fc.Arbitrary<Condition> {
  const leaf = fc.oneof(
    fc
      .tuple(fc.constantFrom(...TRAIT_PATHS), predicate)
      .map(([trait, test]): Condition => ({ type: 'trait', trait, ...test })),
    fc
      .tuple(fc.constantFrom(...refs.tags), predicate)
      .map(([tag, test]): Condition => ({ type: 'tag', tag, ...test })),
    fc
      .tuple(eventSelection, predicate)
      .map(([selection, test]): Condition => ({ type: 'event', ...selection, ...test })),
    fc
      .tuple(fc.constantFrom(...refs.segments), fc.boolean())
      .map(([segment, member]): Condition => ({ type: 'segment', segment, member })),
  );
  if (depth <= 0) return leaf;
  const child = conditionArbitrary(refs, depth - 1);
  const group = fc
    .tuple(
      fc.constantFrom('all' as const, 'any' as const),
      fc.array(child, { minLength: 1, maxLength: 3 }),
    )
    .map(([type, conditions]): Condition => ({ type, conditions }));
  const not = child.map((condition): Condition => ({ type: 'not', condition }));
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: group },
    { weight: 1, arbitrary: not },
  );
}

function tagRule(refs: References): fc.Arbitrary<TagRule> {
  const caseValue = fc.oneof(
    fc.constantFrom('vip', 'active', 'lost', '2025-01-01', 'running'),
    fc.constantFrom(1, 2.5, -3),
    fc.boolean(),
  );
  const staticRule = fc.record({
    kind: fc.constant('static' as const),
    trait: fc.constantFrom(...TRAIT_PATHS),
    valueType: fc.constantFrom(
      'string' as const,
      'number' as const,
      'boolean' as const,
      'date' as const,
      'list' as const,
    ),
  });
  const dynamicRule = fc
    .record({
      cases: fc.array(fc.record({ when: conditionArbitrary(refs, 2), value: caseValue }), {
        minLength: 1,
        maxLength: 3,
      }),
      otherwise: fc.option(caseValue, { nil: undefined }),
    })
    .map(({ cases, otherwise }) => ({
      kind: 'dynamic' as const,
      cases,
      ...(otherwise !== undefined && { otherwise }),
    }));
  const feature = fc.oneof(
    fc.constantFrom(...refs.tags).map((tag) => ({ tag })),
    fc.constantFrom(...TRAIT_PATHS).map((trait) => ({ trait })),
  );
  const classifierRule = fc.array(feature, { minLength: 1, maxLength: 3 }).map((features) => ({
    kind: 'model' as const,
    model: {
      method: 'logistic' as const,
      purpose: 'churn' as const,
      outcome: { type: 'trait' as const, trait: 'churned', op: 'exists' as const },
      features,
      retrainEveryDays: 7,
    },
  }));
  const affinityRule = fc
    .record({
      where: fc.constantFrom(...WHERE),
      halfLifeDays: fc.double({ min: 0.5, max: 30, noNaN: true }),
      days: windowDays,
      top: fc.integer({ min: 1, max: 5 }),
      minScore: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })),
    })
    .map(({ where, halfLifeDays, days, top, minScore }) => ({
      kind: 'model' as const,
      model: {
        method: 'affinity' as const,
        event: 'view',
        ...(where.length > 0 && { where }),
        categoryProperty: 'category',
        halfLifeDays,
        within: { days },
        top,
        minScore,
      },
    }));
  return fc.oneof(
    staticRule,
    eventSelection.map((selection) => ({ kind: 'behavioral' as const, ...selection })),
    dynamicRule,
    classifierRule,
    affinityRule,
  );
}

function trainedModel(key: string, features: number): fc.Arbitrary<TrainedModel> {
  const real = (min: number, max: number) => fc.double({ min, max, noNaN: true });
  return fc.record({
    tag: fc.constant(key),
    tagVersion: fc.integer({ min: 1, max: 3 }),
    scaling: fc.array(
      fc.record({ mean: real(-10, 10), std: fc.oneof(fc.constant(0), real(0.1, 10)) }),
      { minLength: features, maxLength: features },
    ),
    weights: fc.array(real(-3, 3), { minLength: features + 1, maxLength: features + 1 }),
    holdout: fc.constant({ auc: 0.7, size: 100, positives: 30 }),
    trainingSize: fc.constant(1000),
    trainedAt: fc.constant('2025-01-01T00:00:00.000Z'),
  });
}

export type DrawnDefinition =
  | { kind: 'tag'; version: number; definition: TagDefinition; model?: TrainedModel | undefined }
  | { kind: 'segment'; version: number; definition: SegmentDefinition };

export function referencesBefore(index: number): References {
  const before = UNIVERSE.slice(0, index);
  return {
    tags: [...before.filter((key) => key.startsWith('t')), 't_missing'],
    segments: [...before.filter((key) => key.startsWith('s')), 's_missing'],
  };
}

/** The definition at one place of the universe, or none (one time in four). */
export function definitionArbitrary(index: number): fc.Arbitrary<DrawnDefinition | null> {
  const key = UNIVERSE[index]!;
  const refs = referencesBefore(index);
  const version = fc.integer({ min: 1, max: 3 });
  const described = { name: key, description: '', owner: '' };
  const definition: fc.Arbitrary<DrawnDefinition> = key.startsWith('t')
    ? fc.tuple(tagRule(refs), version).chain(([rule, tagVersion]) => {
        const base = {
          kind: 'tag' as const,
          version: tagVersion,
          definition: { key, ...described, rule },
        };
        if (rule.kind !== 'model' || rule.model.method !== 'logistic') return fc.constant(base);
        const trained = trainedModel(key, rule.model.features.length);
        return fc.option(trained, { nil: undefined }).map((model) => ({ ...base, model }));
      })
    : fc.tuple(conditionArbitrary(refs, 3), version).map(([condition, segmentVersion]) => ({
        kind: 'segment' as const,
        version: segmentVersion,
        definition: { key, ...described, condition },
      }));
  return fc.option(definition, { nil: null, freq: 4 });
}
