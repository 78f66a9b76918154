// The bench's audience: tags of every kind, 20 segments mixing traits, tags, event windows and
// segment references, and generated profiles whose counters those definitions read.
import {
  addDays,
  encodeKey,
  localDateKey,
  type ActiveCounter,
  type Condition,
  type CounterBuckets,
  type SegmentDefinition,
  type TagDefinition,
} from '@junction/core';
import type { ProfileDoc } from '@junction/core/store';

import { seededRandom } from './seeded-random.js';

const tag = (key: string, rule: TagDefinition['rule']): TagDefinition => ({
  key,
  name: key.replaceAll('_', ' '),
  description: '',
  owner: 'bench',
  rule,
});

export const BENCH_TAGS: TagDefinition[] = [
  tag('plan', { kind: 'static', trait: 'plan', valueType: 'string' }),
  tag('age', { kind: 'static', trait: 'age', valueType: 'number' }),
  tag('purchases_30d', {
    kind: 'behavioral',
    event: 'Order Completed',
    aggregate: 'count',
    within: { days: 30 },
  }),
  tag('spend_90d', {
    kind: 'behavioral',
    event: 'Order Completed',
    aggregate: 'sum',
    property: 'amount',
    within: { days: 90 },
  }),
  tag('last_view', {
    kind: 'behavioral',
    event: 'Product Viewed',
    aggregate: 'last',
    within: { days: 60 },
  }),
  tag('lifecycle', {
    kind: 'dynamic',
    cases: [
      {
        when: { type: 'trait', trait: 'signed_up_at', op: 'within_last_days', value: 30 },
        value: 'new',
      },
      { when: { type: 'tag', tag: 'purchases_30d', op: 'gte', value: 1 }, value: 'active' },
      { when: { type: 'tag', tag: 'last_view', op: 'exists' }, value: 'at_risk' },
    ],
    otherwise: 'lost',
  }),
  tag('interests', {
    kind: 'model',
    model: {
      method: 'affinity',
      event: 'Product Viewed',
      categoryProperty: 'category',
      halfLifeDays: 14,
      within: { days: 60 },
      top: 3,
      minScore: 0,
    },
  }),
];

const segment = (key: string, condition: SegmentDefinition['condition']): SegmentDefinition => ({
  key,
  name: key.replaceAll('_', ' '),
  description: '',
  owner: 'bench',
  condition,
});
const tagIs = (key: string, op: 'eq' | 'gte' | 'gt' | 'lt', value: number | string): Condition =>
  op === 'eq'
    ? { type: 'tag', tag: key, op, value }
    : { type: 'tag', tag: key, op, value: Number(value) };
const ordered = (days: number, op: 'gte' | 'eq', value: number): Condition => ({
  type: 'event',
  event: 'Order Completed',
  within: { days },
  aggregate: 'count',
  op,
  value,
});

export const BENCH_SEGMENTS: SegmentDefinition[] = [
  segment('vip', tagIs('spend_90d', 'gte', 500)),
  segment('active_buyers', tagIs('purchases_30d', 'gte', 2)),
  segment('new_users', tagIs('lifecycle', 'eq', 'new')),
  segment('at_risk', tagIs('lifecycle', 'eq', 'at_risk')),
  segment('lost', tagIs('lifecycle', 'eq', 'lost')),
  segment('cn_paid', {
    type: 'all',
    conditions: [
      { type: 'trait', trait: 'country', op: 'eq', value: 'CN' },
      { type: 'trait', trait: 'plan', op: 'in', value: ['pro', 'enterprise'] },
    ],
  }),
  segment('runners', { type: 'tag', tag: 'interests', op: 'contains', value: 'running' }),
  segment('young_ios', {
    type: 'all',
    conditions: [
      tagIs('age', 'lt', 30),
      { type: 'trait', trait: 'device.os', op: 'eq', value: 'ios' },
    ],
  }),
  segment('cart_abandoners', {
    type: 'all',
    conditions: [
      {
        type: 'event',
        event: 'Cart Added',
        within: { days: 7 },
        aggregate: 'count',
        op: 'gte',
        value: 1,
      },
      { type: 'not', condition: ordered(7, 'gte', 1) },
    ],
  }),
  segment('lapsed_spenders', {
    type: 'all',
    conditions: [tagIs('spend_90d', 'gt', 200), tagIs('purchases_30d', 'eq', 0)],
  }),
  segment('email_known', { type: 'trait', trait: 'email', op: 'exists' }),
  segment('north_america_or_vip', {
    type: 'any',
    conditions: [
      { type: 'trait', trait: 'country', op: 'in', value: ['US', 'CA'] },
      { type: 'segment', segment: 'vip', member: true },
    ],
  }),
  segment('big_order', {
    type: 'event',
    event: 'Order Completed',
    within: { days: 90 },
    aggregate: 'max',
    property: 'amount',
    op: 'gte',
    value: 300,
  }),
  segment('frequent_viewers', {
    type: 'event',
    event: 'Product Viewed',
    within: { days: 30 },
    aggregate: 'count',
    op: 'gte',
    value: 10,
  }),
  segment('recent_signup', {
    type: 'trait',
    trait: 'signed_up_at',
    op: 'within_last_days',
    value: 14,
  }),
  segment('veterans', {
    type: 'trait',
    trait: 'signed_up_at',
    op: 'more_than_days_ago',
    value: 365,
  }),
  segment('name_a', { type: 'trait', trait: 'name', op: 'starts_with', value: 'A' }),
  segment('vip_abroad', {
    type: 'all',
    conditions: [
      { type: 'segment', segment: 'vip', member: true },
      { type: 'not', condition: { type: 'trait', trait: 'country', op: 'eq', value: 'CN' } },
    ],
  }),
  segment('browsers', {
    type: 'event',
    event: 'Product Viewed',
    within: { days: 30 },
    aggregate: 'distinct',
    property: 'category',
    op: 'gte',
    value: 3,
  }),
  segment('mixed', {
    type: 'any',
    conditions: [
      { type: 'all', conditions: [tagIs('plan', 'eq', 'free'), tagIs('purchases_30d', 'gte', 1)] },
      {
        type: 'all',
        conditions: [
          tagIs('plan', 'eq', 'pro'),
          { type: 'not', condition: { type: 'segment', segment: 'active_buyers', member: true } },
        ],
      },
    ],
  }),
];

const COUNTRIES = ['CN', 'US', 'CA', 'DE', 'JP', 'BR'];
const PLANS = ['free', 'pro', 'enterprise'];
const CATEGORIES = ['running', 'hiking', 'yoga', 'cycling', 'swimming'];
const NAMES = ['Ada', 'Bo', 'Chen', 'Alex', 'Dana', 'Li', 'Amir', 'Eve'];

export interface ProfileGenerator {
  /** Profiles `from` to `from + count - 1` of the workload, as stored. */
  batch(from: number, count: number): ProfileDoc[];
}

/**
 * Profiles with traits and 0 to 90 days of activity in the counters the definitions read,
 * bucketed by local date as ingestion writes them.
 */
export function profileGenerator(input: {
  workspaceId: string;
  counters: ActiveCounter[];
  timeZone: string;
  now: Date;
}): ProfileGenerator {
  const today = localDateKey(input.now, input.timeZone);
  const fieldOf = (event: string, shape: 'plain' | 'property' | 'groupBy', property?: string) =>
    input.counters
      .filter(
        ({ spec }) =>
          spec.event === event &&
          (shape === 'plain'
            ? !spec.property && !spec.groupBy
            : shape === 'property'
              ? spec.property === property
              : spec.groupBy === property),
      )
      .map(({ field }) => field);
  const fields = {
    orders: fieldOf('Order Completed', 'plain'),
    amounts: fieldOf('Order Completed', 'property', 'amount'),
    views: fieldOf('Product Viewed', 'plain'),
    viewCategories: fieldOf('Product Viewed', 'property', 'category'),
    viewGroups: fieldOf('Product Viewed', 'groupBy', 'category'),
    carts: fieldOf('Cart Added', 'plain'),
  };
  const dayStartMs = (daysAgo: number) => input.now.getTime() - daysAgo * 86_400_000;

  return {
    batch(from, count) {
      const docs: ProfileDoc[] = [];
      for (let n = from; n < from + count; n++) {
        const next = seededRandom(n + 1);
        const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
        const counters: Record<string, CounterBuckets> = {};
        const add = (
          names: string[],
          daysAgo: number,
          bucket: (at: number) => CounterBuckets[string],
        ) => {
          const date = addDays(today, -daysAgo);
          const at = dayStartMs(daysAgo);
          for (const field of names) (counters[field] ??= {})[date] = bucket(at);
        };
        const activeDays = Math.floor(next() * 8);
        for (let d = 0; d < activeDays; d++) {
          const daysAgo = Math.floor(next() * 90);
          const views = 1 + Math.floor(next() * 6);
          const category = pick(CATEGORIES);
          add(fields.views, daysAgo, (at) => ({ n: views, t0: at, t1: at + 3_600_000 }));
          add(fields.viewCategories, daysAgo, (at) => ({
            n: views,
            t0: at,
            t1: at,
            v: [category],
          }));
          add(fields.viewGroups, daysAgo, (at) => ({
            n: views,
            t0: at,
            t1: at,
            g: { [encodeKey(category)]: views },
          }));
          if (next() < 0.3) add(fields.carts, daysAgo, (at) => ({ n: 1, t0: at, t1: at }));
          if (next() < 0.25) {
            const amount = Math.round(next() * 40_000) / 100;
            add(fields.orders, daysAgo, (at) => ({ n: 1, t0: at, t1: at }));
            add(fields.amounts, daysAgo, (at) => ({
              n: 1,
              t0: at,
              t1: at,
              s: amount,
              mn: amount,
              mx: amount,
            }));
          }
        }
        const signedUp = new Date(input.now.getTime() - Math.floor(next() * 800) * 86_400_000);
        const id = `prof_${String(n).padStart(7, '0')}`;
        docs.push({
          _id: id,
          workspaceId: input.workspaceId,
          traits: {
            name: pick(NAMES),
            ...(next() < 0.7 && { email: `user${n}@example.com` }),
            country: pick(COUNTRIES),
            plan: pick(PLANS),
            age: 18 + Math.floor(next() * 50),
            signed_up_at: signedUp.toISOString(),
            device: { os: next() < 0.5 ? 'ios' : 'android' },
          },
          identities: [{ type: 'user_id', value: `u${n}` }],
          counters,
          createdAt: signedUp,
          updatedAt: input.now,
        });
      }
      return docs;
    },
  };
}
