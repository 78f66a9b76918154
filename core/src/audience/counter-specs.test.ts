import type { Condition, EventCondition } from './condition.js';
import {
  affinitySpec,
  behavioralTagSpec,
  counterSpecId,
  countersNeeded,
  eventConditionSpec,
  walkConditions,
} from './counter-specs.js';

import { segmentOf, tagOf } from './test-definitions.js';

// Overrides may swap the operator without its operand type following, fine for counter specs.
const purchases = (overrides: Partial<EventCondition> = {}): EventCondition =>
  ({
    type: 'event',
    event: 'Order Completed',
    within: { days: 30 },
    aggregate: 'count',
    op: 'gte',
    value: 1,
    ...overrides,
  }) as EventCondition;

describe('counter specs', () => {
  it('gives a spec a stable id of c and 11 hex digits, whatever its key order', () => {
    const id = counterSpecId({ event: 'Viewed', property: 'price' });
    expect(id).toMatch(/^c[0-9a-f]{11}$/);
    expect(counterSpecId({ property: 'price', event: 'Viewed' })).toBe(id);
    expect(
      counterSpecId({ event: 'Viewed', property: 'price', where: [], groupBy: undefined }),
    ).toBe(id);
    expect(counterSpecId({ event: 'Viewed' })).not.toBe(id);
    expect(
      counterSpecId({ event: 'Viewed', where: [{ property: 'price', op: 'gt', value: 1 }] }),
    ).toBe(counterSpecId({ event: 'Viewed', where: [{ value: 1, op: 'gt', property: 'price' }] }));
  });

  it('shares one counter between count, first and last, dropping their property', () => {
    const count = eventConditionSpec(purchases({ property: 'total' }));
    const last = eventConditionSpec(
      purchases({ aggregate: 'last', op: 'within_last_days', value: 7 }),
    );
    expect(count).toEqual({ event: 'Order Completed' });
    expect(counterSpecId(count)).toBe(counterSpecId(last));
  });

  it('keeps the property for sum, min, max and distinct, and the where filters when any', () => {
    const where = [{ property: 'currency', op: 'eq' as const, value: 'EUR' }];
    expect(eventConditionSpec(purchases({ aggregate: 'sum', property: 'total', where }))).toEqual({
      event: 'Order Completed',
      where,
      property: 'total',
    });
    expect(
      behavioralTagSpec({
        kind: 'behavioral',
        event: 'Viewed',
        where: [],
        aggregate: 'distinct',
        property: 'sku',
        within: { days: 7 },
      }),
    ).toEqual({ event: 'Viewed', property: 'sku' });
  });

  it('groups an affinity counter by its category property', () => {
    expect(
      affinitySpec({
        method: 'affinity',
        event: 'Viewed',
        categoryProperty: 'category',
        halfLifeDays: 7,
        within: { days: 30 },
        top: 3,
        minScore: 0,
      }),
    ).toEqual({ event: 'Viewed', groupBy: 'category' });
  });

  it('lists every counter read by tags, dynamic cases, model outcomes and nested segments once', () => {
    const tags = [
      tagOf('orders', {
        kind: 'behavioral',
        event: 'Order Completed',
        aggregate: 'count',
        within: { days: 30 },
      }),
      tagOf('stage', {
        kind: 'dynamic',
        cases: [{ when: purchases({ event: 'Signed Up' }), value: 'new' }],
      }),
      tagOf('churn', {
        kind: 'model',
        model: {
          method: 'logistic',
          purpose: 'churn',
          outcome: { type: 'not', condition: purchases({ event: 'Logged In' }) },
          features: [{ tag: 'orders' }],
          retrainEveryDays: 7,
        },
      }),
      tagOf('interests', {
        kind: 'model',
        model: {
          method: 'affinity',
          event: 'Viewed',
          categoryProperty: 'category',
          halfLifeDays: 7,
          within: { days: 30 },
          top: 3,
          minScore: 0,
        },
      }),
    ];
    const segments = [
      segmentOf('buyers', {
        type: 'all',
        conditions: [
          { type: 'trait', trait: 'plan', op: 'eq', value: 'pro' },
          {
            type: 'any',
            conditions: [purchases(), purchases({ aggregate: 'sum', property: 't' })],
          },
        ],
      }),
    ];
    expect(countersNeeded(tags, segments)).toEqual([
      { event: 'Order Completed' },
      { event: 'Signed Up' },
      { event: 'Logged In' },
      { event: 'Viewed', groupBy: 'category' },
      { event: 'Order Completed', property: 't' },
    ]);
  });

  it('walks conditions depth-first with the path of every node', () => {
    const condition: Condition = {
      type: 'any',
      conditions: [
        { type: 'segment', segment: 'vip', member: true },
        { type: 'not', condition: { type: 'tag', tag: 'plan', op: 'exists' } },
      ],
    };
    const visited: [string, (string | number)[]][] = [];
    walkConditions(condition, (node, path) => visited.push([node.type, path]));
    expect(visited).toEqual([
      ['any', []],
      ['segment', ['conditions', 0]],
      ['not', ['conditions', 1]],
      ['tag', ['conditions', 1, 'condition']],
    ]);
  });
});
