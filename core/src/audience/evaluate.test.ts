import { encodeKey, encodeObject } from '../storage-keys.js';
import type { Condition } from './condition.js';
import { compileAudience, compileCondition } from './compile.js';
import type {
  AudienceDefinitions,
  AudienceProfile,
  AudienceResult,
  CounterBucket,
  CounterBuckets,
  CounterSpec,
} from './context.js';
import { counterSpecId } from './counter-specs.js';
import type { TagRule, TrainedModel } from './definitions.js';
import { evaluateCondition, evaluateProfile } from './evaluate.js';
import { addDays, localDateKey, localDayStart } from './local-dates.js';
import { definitionsOf, segmentOf, tagOf } from './test-definitions.js';

const DAY_MS = 86_400_000;
// 15:00 in New York, already the next day in Shanghai.
const now = new Date('2026-03-10T19:00:00Z');

/** Buckets of one event per local day, `daysAgo` days before today (negative: in the future). */
function daily(
  defs: AudienceDefinitions,
  daysAgo: number[],
  extra: (daysAgo: number) => Partial<CounterBucket> = () => ({}),
): CounterBuckets {
  const today = localDateKey(now, defs.timeZone);
  const buckets: CounterBuckets = {};
  for (const ago of daysAgo) {
    const dateKey = addDays(today, -ago);
    const at = localDayStart(dateKey, defs.timeZone).getTime() + 3_600_000;
    buckets[dateKey] = { n: 1, t0: at, t1: at, ...extra(ago) };
  }
  return buckets;
}

function profile(
  traits: Record<string, unknown>,
  counters: [CounterSpec, CounterBuckets][] = [],
): AudienceProfile {
  return {
    _id: 'p1',
    traits: encodeObject(traits),
    counters: Object.fromEntries(counters.map(([spec, buckets]) => [counterSpecId(spec), buckets])),
  };
}

/** The interpreter's result, after checking the compiled evaluator gives exactly the same. */
function evaluateBoth(person: AudienceProfile, defs: AudienceDefinitions): AudienceResult {
  const result = evaluateProfile(person, defs, now);
  expect(compileAudience(defs, now).evaluate(person)).toEqual(result);
  return result;
}

const ORDERS: CounterSpec = { event: 'Order Completed' };
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();

describe('evaluating tags and segments', () => {
  const purchases = tagOf('purchases_30d', {
    kind: 'behavioral',
    event: 'Order Completed',
    aggregate: 'count',
    within: { days: 30 },
  });
  const lifecycle = tagOf('lifecycle', {
    kind: 'dynamic',
    cases: [
      {
        when: { type: 'trait', trait: 'signed_up_at', op: 'within_last_days', value: 30 },
        value: 'new',
      },
      { when: { type: 'tag', tag: 'purchases_30d', op: 'gte', value: 1 }, value: 'active' },
    ],
    otherwise: 'lost',
  });

  it('gives a lifecycle tag the value of the first case that holds, in order', () => {
    const defs = definitionsOf({ tags: [purchases, lifecycle] });
    const lifecycleOf = (signedUp: string, orders: number[]) =>
      evaluateBoth(profile({ signed_up_at: signedUp }, [[ORDERS, daily(defs, orders)]]), defs).tags
        .lifecycle;

    expect(lifecycleOf(daysAgo(3), [1])).toBe('new');
    expect(lifecycleOf(daysAgo(300), [1])).toBe('active');
    expect(lifecycleOf(daysAgo(300), [45])).toBe('lost');
  });

  it('counts a behavioral tag over local calendar days, today included', () => {
    const amounts: CounterSpec = { event: 'Order Completed', property: 'amount' };
    const defs = definitionsOf({
      timeZone: 'Asia/Shanghai',
      tags: [
        tagOf('orders_7d', { ...purchases.rule, within: { days: 7 } } as TagRule),
        tagOf('orders_30d', purchases.rule),
        tagOf('spend_7d', {
          kind: 'behavioral',
          event: 'Order Completed',
          aggregate: 'sum',
          property: 'amount',
          within: { days: 7 },
        }),
      ],
    });
    const days = [0, 6, 7, 29, 30];
    const person = profile({}, [
      [ORDERS, daily(defs, days)],
      [amounts, daily(defs, days, (ago) => ({ s: 10 + ago, mn: 10 + ago, mx: 10 + ago }))],
    ]);

    expect(evaluateBoth(person, defs).tags).toEqual({
      orders_7d: 2,
      orders_30d: 4,
      spend_7d: 10 + 16,
    });
  });

  it('converts static tags to their type, and a trait that does not convert is missing', () => {
    const staticTag = (
      key: string,
      trait: string,
      valueType: 'string' | 'number' | 'boolean' | 'date' | 'list',
    ) => tagOf(key, { kind: 'static', trait, valueType });
    const defs = definitionsOf({
      tags: [
        staticTag('age', 'age', 'number'),
        staticTag('zip', 'address.zip', 'number'),
        staticTag('vip', 'vip', 'boolean'),
        staticTag('plan', 'plan', 'string'),
        staticTag('signed_up', 'signed_up', 'date'),
        staticTag('interests', 'interests', 'list'),
        staticTag('budget', '$budget', 'number'),
      ],
    });
    const person = profile({
      age: '42',
      address: { zip: 'SW1A' },
      vip: 'true',
      plan: 7,
      signed_up: new Date('2025-05-01T08:00:00Z'),
      interests: 'running',
      $budget: 1200,
    });

    expect(evaluateBoth(person, defs).tags).toEqual({
      age: 42,
      zip: null,
      vip: true,
      plan: '7',
      signed_up: '2025-05-01T08:00:00.000Z',
      interests: ['running'],
      budget: 1200,
    });
  });

  it('ranks affinity categories by decayed score, best first, ties by name, at most top', () => {
    const defs = definitionsOf({
      tags: [
        tagOf('interests', {
          kind: 'model',
          model: {
            method: 'affinity',
            event: 'Product Viewed',
            categoryProperty: 'category',
            halfLifeDays: 7,
            within: { days: 30 },
            top: 3,
            minScore: 0.5,
          },
        }),
      ],
    });
    const groups: Record<number, Record<string, number>> = {
      // Today: weight 1. Fourteen days ago: weight 0.25.
      0: { yoga: 1, 'a.b': 1, hiking: 1 },
      14: { running: 8, swimming: 1 },
    };
    const views = daily(defs, [0, 14], (ago) => ({
      g: Object.fromEntries(Object.entries(groups[ago]!).map(([c, n]) => [encodeKey(c), n])),
    }));
    const spec = { event: 'Product Viewed', groupBy: 'category' };

    // running 2, then the three at 1 by name; swimming (0.25) is below minScore.
    expect(evaluateBoth(profile({}, [[spec, views]]), defs).tags.interests).toEqual([
      'running',
      'a.b',
      'hiking',
    ]);
  });

  it('scores a classifier with the model in defs.models, and is missing until one is trained for its version', () => {
    const churn = tagOf('churn_risk', {
      kind: 'model',
      model: {
        method: 'logistic',
        purpose: 'churn',
        outcome: { type: 'trait', trait: 'churned', op: 'eq', value: true },
        features: [{ trait: 'age' }, { tag: 'purchases_30d' }],
        retrainEveryDays: 7,
      },
    });
    const model: TrainedModel = {
      tag: 'churn_risk',
      tagVersion: 1,
      scaling: [
        { mean: 40, std: 10 },
        { mean: 2, std: 1 },
      ],
      weights: [0.5, 1, -2],
      holdout: { auc: 0.8, size: 100, positives: 20 },
      trainingSize: 1000,
      trainedAt: '2026-03-01T00:00:00.000Z',
    };
    const person = (defs: AudienceDefinitions) =>
      profile({ age: 50 }, [[ORDERS, daily(defs, [1, 2, 3])]]);
    const trained = definitionsOf({ tags: [purchases, churn], models: [model] });
    // z = 0.5 + 1 * (50 - 40) / 10 - 2 * (3 - 2) / 1 = -0.5
    expect(evaluateBoth(person(trained), trained).tags.churn_risk).toBe(0.3775);

    const untrained = definitionsOf({ tags: [purchases, churn] });
    expect(evaluateBoth(person(untrained), untrained).tags.churn_risk).toBeNull();
    const stale = definitionsOf({
      tags: [purchases, churn],
      models: [{ ...model, tagVersion: 2 }],
    });
    expect(evaluateBoth(person(stale), stale).tags.churn_risk).toBeNull();
  });

  it('puts a segment after the tags it reads and lets segments read segments', () => {
    const defs = definitionsOf({
      tags: [purchases, lifecycle],
      segments: [
        segmentOf('active', { type: 'tag', tag: 'lifecycle', op: 'eq', value: 'active' }),
        segmentOf('active_in_paris', {
          type: 'all',
          conditions: [
            { type: 'segment', segment: 'active', member: true },
            { type: 'trait', trait: 'address.city', op: 'eq', value: 'Paris' },
          ],
        }),
        segmentOf('not_active', { type: 'segment', segment: 'active', member: false }),
      ],
    });
    const person = profile({ address: { city: 'Paris' }, signed_up_at: daysAgo(400) }, [
      [ORDERS, daily(defs, [2])],
    ]);

    expect(evaluateBoth(person, defs).segments).toEqual(['active', 'active_in_paris']);
  });

  it('reads a tag reached again while it is being computed as missing, instead of looping', () => {
    const defs = definitionsOf({
      tags: [
        tagOf('a', {
          kind: 'dynamic',
          cases: [{ when: { type: 'tag', tag: 'b', op: 'not_exists' }, value: 'a saw no b' }],
        }),
        tagOf('b', {
          kind: 'dynamic',
          cases: [{ when: { type: 'tag', tag: 'a', op: 'not_exists' }, value: 'b saw no a' }],
        }),
      ],
    });

    expect(evaluateBoth(profile({}), defs).tags).toEqual({ a: null, b: 'b saw no a' });
  });

  it('evaluates a draft condition through the definitions it reads, in both evaluators', () => {
    const defs = definitionsOf({ tags: [purchases, lifecycle] });
    const draft: Condition = {
      type: 'any',
      conditions: [
        { type: 'tag', tag: 'lifecycle', op: 'eq', value: 'active' },
        { type: 'trait', trait: 'vip', op: 'eq', value: true },
      ],
    };
    const active = profile({ signed_up_at: daysAgo(90) }, [[ORDERS, daily(defs, [3])]]);
    const lost = profile({ signed_up_at: daysAgo(90) });

    for (const [person, expected] of [
      [active, true],
      [lost, false],
    ] as const) {
      expect(evaluateCondition(draft, person, defs, now)).toBe(expected);
      expect(compileCondition(draft, defs, now)(person)).toBe(expected);
    }
  });

  it('computes only the chosen segments and the tags they read when asked to', () => {
    const defs = definitionsOf({
      tags: [
        purchases,
        lifecycle,
        tagOf('plan', { kind: 'static', trait: 'plan', valueType: 'string' }),
      ],
      segments: [
        segmentOf('buyers', { type: 'tag', tag: 'purchases_30d', op: 'gte', value: 1 }),
        segmentOf('pro', { type: 'tag', tag: 'plan', op: 'eq', value: 'pro' }),
      ],
    });
    const compiled = compileAudience(defs, now, { segments: ['buyers'] });
    const result = compiled.evaluate(profile({ plan: 'pro' }, [[ORDERS, daily(defs, [1])]]));

    expect(compiled.segmentKeys).toEqual(['buyers']);
    expect(result).toEqual({
      tags: { purchases_30d: 1 },
      segments: ['buyers'],
      nextCheckAt: new Date(localDayStart(addDays(localDateKey(now, 'UTC'), 29), 'UTC')),
    });
  });
});

describe('nextCheckAt', () => {
  const weekly = segmentOf('ordered_this_week', {
    type: 'event',
    event: 'Order Completed',
    within: { days: 7 },
    aggregate: 'count',
    op: 'gte',
    value: 1,
  });

  it('is the start of the local day the oldest bucket of a 7-day window leaves it', () => {
    const defs = definitionsOf({ segments: [weekly], timeZone: 'America/New_York' });
    const buckets = daily(defs, [1, 3]);
    const result = evaluateBoth(profile({}, [[ORDERS, buckets]]), defs);

    const threeDaysAgo = addDays(localDateKey(now, defs.timeZone), -3);
    expect(result.segments).toEqual(['ordered_this_week']);
    // The 3-days-ago bucket is the oldest; it leaves when its date is 7 days past.
    expect(result.nextCheckAt).toEqual(localDayStart(addDays(threeDaysAgo, 7), defs.timeZone));
    expect(result.nextCheckAt!.toISOString()).toBe('2026-03-14T04:00:00.000Z');
  });

  it('is when a bucket dated after today becomes today, if that comes first', () => {
    const defs = definitionsOf({ segments: [weekly], timeZone: 'Asia/Shanghai' });
    const result = evaluateBoth(profile({}, [[ORDERS, daily(defs, [-1, 2])]]), defs);

    const tomorrow = addDays(localDateKey(now, defs.timeZone), 1);
    expect(result.nextCheckAt).toEqual(localDayStart(tomorrow, defs.timeZone));
  });

  it('is when a date leaves within_last_days, or arrives when it lies ahead', () => {
    const defs = definitionsOf({
      segments: [
        segmentOf('recent_signup', {
          type: 'trait',
          trait: 'signed_up_at',
          op: 'within_last_days',
          value: 30,
        }),
      ],
    });
    const signedUp = new Date(now.getTime() - 10 * DAY_MS);
    const recent = evaluateBoth(profile({ signed_up_at: signedUp.toISOString() }), defs);
    expect(recent.segments).toEqual(['recent_signup']);
    expect(recent.nextCheckAt).toEqual(new Date(signedUp.getTime() + 30 * DAY_MS));

    const ahead = new Date(now.getTime() + 2 * DAY_MS);
    expect(evaluateBoth(profile({ signed_up_at: ahead }), defs).nextCheckAt).toEqual(ahead);
  });

  it('is null when nothing read depends on the clock', () => {
    const defs = definitionsOf({
      segments: [segmentOf('pro', { type: 'trait', trait: 'plan', op: 'eq', value: 'pro' })],
    });
    expect(evaluateBoth(profile({ plan: 'pro' }), defs).nextCheckAt).toBeNull();
  });
});
