import fc from 'fast-check';

import { encodeObject } from '../storage-keys.js';
import { scenarioArbitrary } from './audience-arbitraries.js';
import type { Condition } from './condition.js';
import type { AudienceProfile, CounterBuckets } from './context.js';
import { counterSpecId } from './counter-specs.js';
import { evaluateCondition } from './evaluate.js';
import { explainCondition, type ConditionTrace } from './explain.js';
import { localDateKey } from './local-dates.js';
import { definitionsOf, segmentOf, tagOf } from './test-definitions.js';

const SEED = Number(process.env.AUDIENCE_PROPERTY_SEED ?? 20_260_114);
const RUNS = Number(process.env.EXPLAIN_PROPERTY_RUNS ?? 2_000);

const now = new Date('2026-03-10T12:00:00Z');
const orders: Condition = {
  type: 'event',
  event: 'Order Completed',
  within: { days: 30 },
  aggregate: 'count',
  op: 'gte',
  value: 2,
};
const defs = definitionsOf({
  tags: [tagOf('plan', { kind: 'static', trait: 'plan', valueType: 'string' })],
  segments: [
    segmentOf('vip', { type: 'trait', trait: 'vip', op: 'eq', value: true }),
    segmentOf('buyers', orders),
  ],
});

function person(traits: Record<string, unknown>, orderCount = 0): AudienceProfile {
  const today = localDateKey(now, 'UTC');
  const buckets: CounterBuckets =
    orderCount === 0 ? {} : { [today]: { n: orderCount, t0: now.getTime(), t1: now.getTime() } };
  const field = counterSpecId({ event: 'Order Completed' });
  return { _id: 'p1', traits: encodeObject(traits), counters: { [field]: buckets } };
}

describe('explainCondition', () => {
  it('traces every condition in evaluation order with the value each leaf read', () => {
    const condition: Condition = {
      type: 'all',
      conditions: [
        { type: 'trait', trait: 'plan', op: 'eq', value: 'pro' },
        orders,
        { type: 'segment', segment: 'vip', member: true },
        { type: 'tag', tag: 'plan', op: 'in', value: ['pro', 'team'] },
      ],
    };
    const explanation = explainCondition(
      condition,
      person({ plan: 'pro', vip: true }, 3),
      defs,
      now,
    );

    expect(explanation.result).toBe(true);
    expect(explanation.traces).toEqual([
      { path: [], type: 'all', summary: 'all of 4', result: true },
      { path: [0], type: 'trait', summary: 'trait plan = "pro"', input: 'pro', result: true },
      {
        path: [1],
        type: 'event',
        summary: 'event Order Completed count ≥ 2 in 30 days',
        input: 3,
        result: true,
      },
      { path: [2], type: 'segment', summary: 'in segment vip', input: true, result: true },
      {
        path: [3],
        type: 'tag',
        summary: 'tag plan in ["pro", "team"]',
        input: 'pro',
        result: true,
      },
    ]);
  });

  it('stops a group at the child that decides it, as the evaluator does', () => {
    const condition: Condition = {
      type: 'any',
      conditions: [
        { type: 'not', condition: { type: 'trait', trait: 'vip', op: 'exists' } },
        { type: 'trait', trait: 'plan', op: 'starts_with', value: 'p' },
        { type: 'segment', segment: 'buyers', member: false },
      ],
    };
    const { result, traces } = explainCondition(
      condition,
      person({ plan: 'pro', vip: 1 }),
      defs,
      now,
    );

    expect(result).toBe(true);
    expect(traces.map(({ path, result: held }) => [path, held])).toEqual([
      [[], true],
      [[0], false],
      [[0, 0], true],
      [[1], true],
    ]);
  });

  it('leaves the input out when the trait is missing, and explains why the leaf failed', () => {
    const condition: Condition = { type: 'trait', trait: 'address.city', op: 'eq', value: 'Oslo' };
    const { result, traces } = explainCondition(condition, person({ plan: 'pro' }), defs, now);

    expect(result).toBe(false);
    expect(traces).toEqual([
      { path: [], type: 'trait', summary: 'trait address.city = "Oslo"', result: false },
    ]);
    expect('input' in traces[0]!).toBe(false);
  });

  it('describes event filters, aggregates over a property and relative dates', () => {
    const condition: Condition = {
      type: 'any',
      conditions: [
        {
          type: 'event',
          event: 'Order Completed',
          where: [{ property: 'currency', op: 'eq', value: 'EUR' }],
          within: { days: 1 },
          aggregate: 'sum',
          property: 'amount',
          op: 'gt',
          value: 100,
        },
        { type: 'trait', trait: 'signed_up_at', op: 'within_last_days', value: 7 },
      ],
    };
    const summaries = explainCondition(condition, person({}), defs, now).traces.map(
      (trace) => trace.summary,
    );

    expect(summaries).toEqual([
      'any of 2',
      'event Order Completed where currency = "EUR" sum of amount > 100 in 1 day',
      'trait signed_up_at within the last 7 days',
    ]);
  });
});

/** Each group's result follows from its traced children, and short-circuits where it should. */
function checkGroups(traces: ConditionTrace[], condition: Condition, path: number[] = []): void {
  const trace = traces.find((entry) => entry.path.join() === path.join());
  expect(trace).toBeDefined();
  if (condition.type !== 'all' && condition.type !== 'any' && condition.type !== 'not') return;
  const children = condition.type === 'not' ? [condition.condition] : condition.conditions;
  const results: boolean[] = [];
  children.forEach((child, index) => {
    const childPath = [...path, index];
    const childTrace = traces.find((entry) => entry.path.join() === childPath.join());
    if (!childTrace) return;
    results.push(childTrace.result);
    checkGroups(traces, child, childPath);
  });
  const decided = condition.type === 'all' ? results.every(Boolean) : results.some(Boolean);
  if (condition.type === 'not') expect(trace!.result).toBe(!results[0]);
  else expect(trace!.result).toBe(decided);
  // Evaluated children are a prefix; all of them but the last went the undecided way.
  const undecided = condition.type === 'all';
  if (condition.type !== 'not') {
    expect(results.slice(0, -1).every((held) => held === undecided)).toBe(true);
    if (results.length < children.length) expect(results.at(-1)).toBe(!undecided);
  }
}

describe('explainCondition and evaluateCondition', () => {
  it(`agree on ${RUNS} random profiles, definitions and conditions`, () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ condition, profile, defs: drawn, now: at }) => {
        const explanation = explainCondition(condition, profile, drawn, at);
        expect(explanation.result).toBe(evaluateCondition(condition, profile, drawn, at));
        expect(explanation.traces[0]).toMatchObject({ path: [], result: explanation.result });
        checkGroups(explanation.traces, condition);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 300_000);
});
