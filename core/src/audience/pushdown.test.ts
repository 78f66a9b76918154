import type { Condition } from './condition.js';
import type { AudienceDefinitions, CounterSpec } from './context.js';
import { counterSpecId } from './counter-specs.js';
import type { TagRule } from './definitions.js';
import { audienceQuery } from './pushdown.js';

const ORDERS: CounterSpec = { event: 'Order Completed' };
const ORDERS_FIELD = 'orders1';

function definitions(tags: [string, TagRule][] = [], segments: [string, Condition][] = []) {
  const described = (key: string) => ({ key, name: key, description: '', owner: '' });
  const defs: AudienceDefinitions = {
    tags: new Map(
      tags.map(([key, rule]) => [key, { version: 1, definition: { ...described(key), rule } }]),
    ),
    segments: new Map(
      segments.map(([key, condition]) => [
        key,
        { version: 1, definition: { ...described(key), condition } },
      ]),
    ),
    models: new Map(),
    counters: new Map([
      [counterSpecId(ORDERS), { spec: ORDERS, field: ORDERS_FIELD, activatedAt: new Date(0) }],
    ]),
    timeZone: 'UTC',
  };
  return defs;
}

const orders = (op: 'gte' | 'eq' | 'lt', value: number): Condition => ({
  type: 'event',
  event: 'Order Completed',
  within: { days: 30 },
  aggregate: 'count',
  op,
  value,
});
const filterOf = (condition: Condition | Condition[], defs = definitions()) =>
  audienceQuery(defs, condition).filter;

describe('audienceQuery', () => {
  it('pushes trait comparisons down on escaped paths', () => {
    expect(filterOf({ type: 'trait', trait: 'address.city', op: 'eq', value: 'Paris' })).toEqual({
      'traits.address.city': 'Paris',
    });
    expect(filterOf({ type: 'trait', trait: '$spend.total%', op: 'gte', value: 100 })).toEqual({
      'traits.%24spend.total%25': { $gte: 100 },
    });
    expect(filterOf({ type: 'trait', trait: 'plan', op: 'in', value: ['pro', 'team'] })).toEqual({
      'traits.plan': { $in: ['pro', 'team'] },
    });
    expect(filterOf({ type: 'trait', trait: 'name', op: 'starts_with', value: 'A' })).toEqual({
      'traits.name': { $gte: 'A' },
    });
  });

  it('keeps the pushable children of an all, and pushes an any only when every child is', () => {
    const plan: Condition = { type: 'trait', trait: 'plan', op: 'eq', value: 'pro' };
    const notFree: Condition = { type: 'trait', trait: 'plan', op: 'neq', value: 'free' };
    const email: Condition = { type: 'trait', trait: 'email', op: 'exists' };

    expect(filterOf({ type: 'all', conditions: [plan, notFree, email] })).toEqual({
      $and: [{ 'traits.plan': 'pro' }, { 'traits.email': { $exists: true } }],
    });
    expect(filterOf({ type: 'any', conditions: [plan, notFree] })).toEqual({});
    expect(filterOf({ type: 'any', conditions: [plan, email] })).toEqual({
      $or: [{ 'traits.plan': 'pro' }, { 'traits.email': { $exists: true } }],
    });
  });

  it('pushes a not only when its exact complement can be said without one', () => {
    const notFree: Condition = { type: 'trait', trait: 'plan', op: 'neq', value: 'free' };
    expect(filterOf({ type: 'not', condition: notFree })).toEqual({ 'traits.plan': 'free' });
    expect(
      filterOf({
        type: 'not',
        condition: { type: 'trait', trait: 'plan', op: 'eq', value: 'free' },
      }),
    ).toEqual({});
  });

  it('requires the counter field only for event reads that need at least one event', () => {
    expect(filterOf(orders('gte', 1))).toEqual({ [`counters.${ORDERS_FIELD}`]: { $exists: true } });
    expect(filterOf(orders('eq', 0))).toEqual({});
    expect(filterOf(orders('lt', 3))).toEqual({});
  });

  it('matches nothing when a needed counter is not active', () => {
    const views: Condition = { ...orders('gte', 1), event: 'Product Viewed' } as Condition;
    expect(filterOf(views)).toEqual({ _id: { $in: [] } });
    expect(filterOf([views, orders('gte', 1)])).toEqual({
      [`counters.${ORDERS_FIELD}`]: { $exists: true },
    });
  });

  it('pushes down the cases of a dynamic tag that can give the wanted value', () => {
    const defs = definitions([
      [
        'lifecycle',
        {
          kind: 'dynamic',
          cases: [
            { when: { type: 'trait', trait: 'vip', op: 'eq', value: true }, value: 'vip' },
            { when: orders('gte', 1), value: 'active' },
          ],
          otherwise: 'lost',
        },
      ],
    ]);
    const lifecycle = (value: string): Condition => ({
      type: 'tag',
      tag: 'lifecycle',
      op: 'eq',
      value,
    });

    expect(filterOf(lifecycle('active'), defs)).toEqual({
      [`counters.${ORDERS_FIELD}`]: { $exists: true },
    });
    expect(filterOf(lifecycle('lost'), defs)).toEqual({});
    expect(filterOf(lifecycle('unknown'), defs)).toEqual({ _id: { $in: [] } });
  });

  it('projects the fields read through tags and segments, top trait keys only', () => {
    const defs = definitions(
      [
        [
          'purchases',
          { kind: 'behavioral', event: 'Order Completed', aggregate: 'count', within: { days: 7 } },
        ],
        ['city', { kind: 'static', trait: 'address.city', valueType: 'string' }],
      ],
      [['buyers', { type: 'tag', tag: 'purchases', op: 'gte', value: 1 }]],
    );
    const { projection } = audienceQuery(defs, {
      type: 'all',
      conditions: [
        { type: 'segment', segment: 'buyers', member: false },
        { type: 'tag', tag: 'city', op: 'eq', value: 'Paris' },
        { type: 'trait', trait: 'a.b', op: 'exists' },
      ],
    });

    expect(projection).toEqual({
      _id: 1,
      [`counters.${ORDERS_FIELD}`]: 1,
      'traits.address': 1,
      'traits.a': 1,
    });
  });
});
