import type { Condition } from './condition.js';
import type { TagRule } from './definitions.js';
import { dependentsOf, readsOf, transitiveDependentsOf } from './lineage.js';
import { segmentOf, tagOf } from './test-definitions.js';

function dynamicOn(condition: Condition): TagRule {
  return { kind: 'dynamic', cases: [{ when: condition, value: 'yes' }] };
}

describe('readsOf', () => {
  it('lists the events, traits, tags and segments a segment reads, sorted and once each', () => {
    const reads = readsOf(
      segmentOf('buyers', {
        type: 'all',
        conditions: [
          { type: 'trait', trait: 'plan', op: 'eq', value: 'pro' },
          { type: 'tag', tag: 'vip', op: 'eq', value: true },
          {
            type: 'any',
            conditions: [
              {
                type: 'event',
                event: 'Order',
                within: { days: 7 },
                aggregate: 'count',
                op: 'gt',
                value: 0,
              },
              { type: 'trait', trait: 'address.city', op: 'exists' },
              { type: 'not', condition: { type: 'segment', segment: 'churned', member: true } },
              { type: 'tag', tag: 'vip', op: 'exists' },
            ],
          },
        ],
      }),
    );
    expect(reads).toEqual({
      events: ['Order'],
      traits: ['address.city', 'plan'],
      tags: ['vip'],
      segments: ['churned'],
    });
  });

  it('counts a classifier as reading its features and its outcome', () => {
    const churn = tagOf('churn_risk', {
      kind: 'model',
      model: {
        method: 'logistic',
        purpose: 'churn',
        outcome: {
          type: 'event',
          event: 'Cancelled',
          within: { days: 30 },
          aggregate: 'count',
          op: 'gt',
          value: 0,
        },
        features: [{ tag: 'orders_30d' }, { trait: 'age' }],
        retrainEveryDays: 7,
      },
    });
    expect(readsOf(churn)).toEqual({
      events: ['Cancelled'],
      traits: ['age'],
      tags: ['orders_30d'],
      segments: [],
    });
  });

  it('counts an affinity model as reading its event and a static tag its trait', () => {
    const affinity = tagOf('interests', {
      kind: 'model',
      model: {
        method: 'affinity',
        event: 'Product Viewed',
        categoryProperty: 'category',
        halfLifeDays: 7,
        within: { days: 30 },
        top: 3,
        minScore: 0,
      },
    });
    expect(readsOf(affinity).events).toEqual(['Product Viewed']);
    expect(
      readsOf(tagOf('plan', { kind: 'static', trait: 'plan', valueType: 'string' })).traits,
    ).toEqual(['plan']);
  });
});

describe('dependentsOf and transitiveDependentsOf', () => {
  // orders_30d <- big_buyer (tag) <- loyal (segment) <- vip_loyal (segment); journeys read both.
  const all = {
    tags: [
      tagOf('orders_30d', {
        kind: 'behavioral',
        event: 'Order',
        aggregate: 'count',
        within: { days: 30 },
      }),
      tagOf('big_buyer', dynamicOn({ type: 'tag', tag: 'orders_30d', op: 'gte', value: 5 })),
      tagOf('unrelated', { kind: 'static', trait: 'plan', valueType: 'string' }),
    ],
    segments: [
      segmentOf('loyal', { type: 'tag', tag: 'big_buyer', op: 'eq', value: 'yes' }),
      segmentOf('vip_loyal', {
        type: 'all',
        conditions: [
          { type: 'segment', segment: 'loyal', member: true },
          { type: 'trait', trait: 'vip', op: 'eq', value: true },
        ],
      }),
    ],
    journeys: [
      {
        id: 'j2',
        name: 'Welcome loyal',
        definition: {
          nodes: [{ id: 'entry', type: 'entry', trigger: { kind: 'segment', segment: 'loyal' } }],
        },
      },
      {
        id: 'j1',
        name: 'Big buyer split',
        definition: {
          nodes: [
            {
              id: 'split',
              type: 'split',
              branches: [{ condition: { type: 'tag', tag: 'big_buyer', op: 'exists' } }],
            },
          ],
        },
      },
      { id: 'j3', name: 'Other', definition: { nodes: [{ type: 'tag', tag: 'unrelated' }] } },
    ],
  };

  it('lists only the direct readers of a tag', () => {
    expect(dependentsOf({ kind: 'tag', key: 'orders_30d' }, all)).toEqual({
      tags: ['big_buyer'],
      segments: [],
      journeys: [],
    });
    expect(dependentsOf({ kind: 'tag', key: 'big_buyer' }, all)).toEqual({
      tags: [],
      segments: ['loyal'],
      journeys: [{ id: 'j1', name: 'Big buyer split' }],
    });
  });

  it('finds journeys reading a segment through an entry trigger anywhere in their JSON', () => {
    expect(dependentsOf({ kind: 'segment', key: 'loyal' }, all)).toEqual({
      tags: [],
      segments: ['vip_loyal'],
      journeys: [{ id: 'j2', name: 'Welcome loyal' }],
    });
  });

  it('lists everything downstream of a tag, journeys sorted by name', () => {
    expect(transitiveDependentsOf({ kind: 'tag', key: 'orders_30d' }, all)).toEqual({
      tags: ['big_buyer'],
      segments: ['loyal', 'vip_loyal'],
      journeys: [
        { id: 'j1', name: 'Big buyer split' },
        { id: 'j2', name: 'Welcome loyal' },
      ],
    });
  });

  it('stops on a cycle of reads and never lists the target as its own dependent', () => {
    const cyclic = {
      tags: [
        tagOf('a', dynamicOn({ type: 'tag', tag: 'b', op: 'exists' })),
        tagOf('b', dynamicOn({ type: 'tag', tag: 'a', op: 'exists' })),
      ],
      segments: [],
      journeys: [],
    };
    expect(transitiveDependentsOf({ kind: 'tag', key: 'a' }, cyclic)).toEqual({
      tags: ['b'],
      segments: [],
      journeys: [],
    });
  });

  it('does not mistake a tag and a segment sharing a key', () => {
    const shared = {
      tags: [tagOf('vip', { kind: 'static', trait: 'vip', valueType: 'boolean' })],
      segments: [segmentOf('reader', { type: 'segment', segment: 'vip', member: true })],
      journeys: [],
    };
    expect(dependentsOf({ kind: 'tag', key: 'vip' }, shared).segments).toEqual([]);
  });
});
