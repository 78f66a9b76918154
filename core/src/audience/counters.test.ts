import fc from 'fast-check';

import type { ActiveCounter, CounterBuckets, CounterSpec } from './context.js';
import type { CountedEvent, CounterUpdate } from './counters.js';
import {
  addToBuckets,
  affinityScores,
  aggregateBuckets,
  bucketsUpdate,
  counterUpdate,
  matchesSpec,
  mergeUpdates,
  staleBucketPaths,
} from './counters.js';
import { localDayStart, windowDateKeys } from './local-dates.js';

const DAY_MS = 86_400_000;
const ORDER = 'Order Completed';
const receivedAt = new Date('2026-12-10T00:00:00Z');

const order = (timestamp: string | number, properties?: Record<string, unknown>): CountedEvent => ({
  event: ORDER,
  properties,
  timestamp: new Date(timestamp),
  receivedAt,
});

function bucketsOf(spec: CounterSpec, events: CountedEvent[], timeZone = 'UTC'): CounterBuckets {
  const buckets: CounterBuckets = {};
  for (const event of events) addToBuckets(buckets, spec, event, timeZone);
  return buckets;
}

// A tiny stand-in for the database's $inc/$min/$max/$addToSet on dotted paths.
function applyUpdate(doc: Record<string, unknown>, update: CounterUpdate): void {
  const at = (path: string): [Record<string, unknown>, string] => {
    const keys = path.split('.');
    const leaf = keys.pop()!;
    let node = doc;
    for (const key of keys) node = (node[key] ??= {}) as Record<string, unknown>;
    return [node, leaf];
  };
  for (const [path, amount] of Object.entries(update.$inc ?? {})) {
    const [node, leaf] = at(path);
    node[leaf] = ((node[leaf] as number | undefined) ?? 0) + amount;
  }
  for (const [path, value] of Object.entries(update.$min ?? {})) {
    const [node, leaf] = at(path);
    node[leaf] = Math.min((node[leaf] as number | undefined) ?? value, value);
  }
  for (const [path, value] of Object.entries(update.$max ?? {})) {
    const [node, leaf] = at(path);
    node[leaf] = Math.max((node[leaf] as number | undefined) ?? value, value);
  }
  for (const [path, { $each }] of Object.entries(update.$addToSet ?? {})) {
    const [node, leaf] = at(path);
    const list = (node[leaf] ??= []) as (string | number)[];
    for (const value of $each) if (!list.includes(value)) list.push(value);
  }
}

function storedCounters(updates: (CounterUpdate | null)[]): Record<string, CounterBuckets> {
  const doc: Record<string, unknown> = {};
  for (const update of updates) if (update) applyUpdate(doc, update);
  return (doc.counters ?? {}) as Record<string, CounterBuckets>;
}

// Distinct values arrive in any order; as a set they must be the same.
function normalized(buckets: CounterBuckets | undefined): CounterBuckets {
  const copy = structuredClone(buckets ?? {});
  for (const bucket of Object.values(copy))
    bucket.v?.sort((a, b) => String(a).localeCompare(String(b)));
  return copy;
}

const counter = (spec: CounterSpec, field: string, activatedAt = new Date(0)): ActiveCounter => ({
  spec,
  field,
  activatedAt,
});

describe('counter windows', () => {
  it('counts an event at 23:59:59 local time in that day, and drops it from a 7-day window at local midnight 7 days later', () => {
    const zone = 'America/Los_Angeles';
    // 23:59:59 on 3 December in Los Angeles is already 4 December in UTC.
    const buckets = bucketsOf({ event: ORDER }, [order('2026-12-04T07:59:59Z')], zone);
    expect(Object.keys(buckets)).toEqual(['20261203']);

    const lastMomentIn = new Date(localDayStart('20261210', zone).getTime() - 1);
    const firstMomentOut = localDayStart('20261210', zone);
    expect(aggregateBuckets(buckets, 'count', windowDateKeys(lastMomentIn, 7, zone))).toBe(1);
    expect(aggregateBuckets(buckets, 'count', windowDateKeys(firstMomentOut, 7, zone))).toBe(0);
    expect(firstMomentOut.toISOString()).toBe('2026-12-10T08:00:00.000Z');
  });

  it('buckets the same instant on the local day of each workspace time zone', () => {
    const event = order('2026-12-03T20:30:00Z');
    expect(Object.keys(bucketsOf({ event: ORDER }, [event], 'Asia/Shanghai'))).toEqual([
      '20261204',
    ]);
    expect(Object.keys(bucketsOf({ event: ORDER }, [event], 'UTC'))).toEqual(['20261203']);
    const early = order('2026-12-03T03:00:00Z');
    expect(Object.keys(bucketsOf({ event: ORDER }, [early], 'America/Los_Angeles'))).toEqual([
      '20261202',
    ]);
  });

  it('reads a 1-day window as today only', () => {
    const buckets = bucketsOf({ event: ORDER }, [
      order('2026-12-08T23:59:59Z'),
      order('2026-12-09T00:00:00Z'),
      order('2026-12-09T18:00:00Z'),
    ]);
    const now = new Date('2026-12-09T20:00:00Z');
    expect(aggregateBuckets(buckets, 'count', windowDateKeys(now, 1, 'UTC'))).toBe(2);
    expect(aggregateBuckets(buckets, 'count', windowDateKeys(now, 2, 'UTC'))).toBe(3);
  });

  it('buckets by local date across the New York DST changes', () => {
    const zone = 'America/New_York';
    const buckets = bucketsOf(
      { event: ORDER },
      [
        order('2026-03-08T04:59:59Z'), // 23:59:59 EST, 7 March
        order('2026-03-08T05:00:00Z'), // midnight EST, 8 March
        order('2026-11-02T04:30:00Z'), // 23:30 EST on 1 November, a 25-hour day
      ],
      zone,
    );
    expect(Object.fromEntries(Object.entries(buckets).map(([day, { n }]) => [day, n]))).toEqual({
      '20260307': 1,
      '20260308': 1,
      '20261101': 1,
    });
  });

  it('keeps an event stamped in the future out of every window until its day comes', () => {
    const now = new Date('2026-12-10T12:00:00Z');
    const buckets = bucketsOf({ event: ORDER }, [
      { ...order('2026-12-12T09:00:00Z'), receivedAt: now },
    ]);
    expect(aggregateBuckets(buckets, 'count', windowDateKeys(now, 30, 'UTC'))).toBe(0);
    expect(aggregateBuckets(buckets, 'last', windowDateKeys(now, 30, 'UTC'))).toBeNull();
    const thatDay = new Date('2026-12-12T00:00:00Z');
    expect(aggregateBuckets(buckets, 'count', windowDateKeys(thatDay, 1, 'UTC'))).toBe(1);
  });
});

interface Generated {
  at: number;
  price: number | string | undefined;
  category: string | number;
}

describe('events arriving out of order', () => {
  const spec: CounterSpec = { event: ORDER, property: 'price', groupBy: 'category' };
  const start = Date.parse('2026-12-01T00:00:00Z');
  const event = fc.record({
    at: fc.integer({ min: 0, max: 5 * DAY_MS }),
    // Whole amounts: floating-point sums depend on order in their last bits.
    price: fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.constant('free'),
      fc.constant(undefined),
    ),
    category: fc.constantFrom('shoes', 'home.garden', '$sale', 7),
  });
  const eventsAndShuffle = fc
    .array(event, { minLength: 1, maxLength: 30 })
    .chain((events) =>
      fc.tuple(
        fc.constant(events),
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
      ),
    );
  const toEvent = ({ at, price, category }: Generated): CountedEvent =>
    order(start + at, { price, category });

  it('gives identical buckets and aggregates in any order, in memory and in the database', () => {
    fc.assert(
      fc.property(eventsAndShuffle, ([original, shuffled]) => {
        const zone = 'Asia/Shanghai';
        const inOrder = bucketsOf(spec, original.map(toEvent), zone);
        const reordered = bucketsOf(spec, shuffled.map(toEvent), zone);
        expect(normalized(reordered)).toEqual(normalized(inOrder));

        const active = [counter(spec, 'f1')];
        const stored = storedCounters(shuffled.map((e) => counterUpdate(active, toEvent(e), zone)));
        expect(normalized(stored.f1)).toEqual(normalized(inOrder));

        const days = windowDateKeys(new Date(start + 6 * DAY_MS), 7, zone);
        for (const aggregate of [
          'count',
          'sum',
          'min',
          'max',
          'distinct',
          'first',
          'last',
        ] as const) {
          expect(aggregateBuckets(reordered, aggregate, days)).toBe(
            aggregateBuckets(inOrder, aggregate, days),
          );
        }
      }),
    );
  });
});

describe('counterUpdate', () => {
  const spec: CounterSpec = { event: ORDER, property: 'total' };

  it('updates every matching counter active when the event arrived', () => {
    const update = counterUpdate(
      [counter(spec, 'fa'), counter({ event: ORDER }, 'fb'), counter({ event: 'Other' }, 'fc')],
      order('2026-12-09T10:00:00Z', { total: 25 }),
      'UTC',
    );
    const t = Date.parse('2026-12-09T10:00:00Z');
    expect(update).toEqual({
      $inc: {
        'counters.fa.20261209.n': 1,
        'counters.fa.20261209.s': 25,
        'counters.fb.20261209.n': 1,
      },
      $min: {
        'counters.fa.20261209.t0': t,
        'counters.fa.20261209.mn': 25,
        'counters.fb.20261209.t0': t,
      },
      $max: {
        'counters.fa.20261209.t1': t,
        'counters.fa.20261209.mx': 25,
        'counters.fb.20261209.t1': t,
      },
      $addToSet: { 'counters.fa.20261209.v': { $each: [25] } },
    });
  });

  it('ignores counters activated after the event was received, which backfill counts instead', () => {
    const activatedLater = counter(spec, 'fa', new Date(receivedAt.getTime() + 1));
    expect(counterUpdate([activatedLater], order('2026-12-09T10:00:00Z'), 'UTC')).toBeNull();
    const activatedThen = counter(spec, 'fa', receivedAt);
    expect(counterUpdate([activatedThen], order('2026-12-09T10:00:00Z'), 'UTC')).not.toBeNull();
  });

  it('ignores events that fail a where filter', () => {
    const euros = counter(
      { event: ORDER, where: [{ property: 'currency', op: 'eq', value: 'EUR' }] },
      'fa',
    );
    expect(
      counterUpdate([euros], order('2026-12-09T10:00:00Z', { currency: 'USD' }), 'UTC'),
    ).toBeNull();
    expect(counterUpdate([euros], order('2026-12-09T10:00:00Z'), 'UTC')).toBeNull();
    expect(
      counterUpdate([euros], order('2026-12-09T10:00:00Z', { currency: 'EUR' }), 'UTC'),
    ).not.toBeNull();
  });

  it('ignores events older than any window could read', () => {
    const oldest = receivedAt.getTime() - 366 * DAY_MS;
    expect(counterUpdate([counter(spec, 'fa')], order(oldest - 1), 'UTC')).toBeNull();
    expect(counterUpdate([counter(spec, 'fa')], order(oldest), 'UTC')).not.toBeNull();
  });

  it('agrees with addToBuckets once applied to a profile', () => {
    const events = [
      order('2026-12-09T10:00:00Z', { total: 10, sku: 'a' }),
      order('2026-12-08T09:00:00Z', { total: 2.5 }),
      order('2026-12-09T08:00:00Z', { total: 'n/a' }),
      order('2026-12-09T23:00:00Z', { total: 10 }),
      order('2026-12-07T23:00:00Z'),
    ];
    const specs: CounterSpec[] = [spec, { event: ORDER, groupBy: 'sku' }];
    const active = specs.map((each, index) => counter(each, `f${index}`));
    const stored = storedCounters(
      events.map((event) => counterUpdate(active, event, 'Asia/Tokyo')),
    );
    specs.forEach((each, index) => {
      expect(stored[`f${index}`]).toEqual(bucketsOf(each, events, 'Asia/Tokyo'));
    });
  });
});

describe('bucket updates', () => {
  const spec: CounterSpec = { event: ORDER, property: 'total', groupBy: 'category' };
  const first = [
    order('2026-12-09T10:00:00Z', { total: 10, category: 'shoes' }),
    order('2026-12-08T10:00:00Z', { total: 3, category: 'bags' }),
  ];
  const second = [
    order('2026-12-09T07:00:00Z', { total: 1, category: 'shoes' }),
    order('2026-12-09T12:00:00Z', { total: 'x', category: 'home.garden' }),
  ];

  it('merges one profile counter into another as if all events had been counted there', () => {
    const stored = storedCounters([
      bucketsUpdate('f', bucketsOf(spec, first)),
      bucketsUpdate('f', bucketsOf(spec, second)),
    ]);
    expect(normalized(stored.f)).toEqual(normalized(bucketsOf(spec, [...first, ...second])));
  });

  it('merges two updates into one with the same effect as both', () => {
    const a = bucketsUpdate('f', bucketsOf(spec, first));
    const b = bucketsUpdate('f', bucketsOf(spec, second));
    expect(normalized(storedCounters([mergeUpdates(a, b)]).f)).toEqual(
      normalized(storedCounters([a, b]).f),
    );
  });

  it('lists the paths of buckets dated before the oldest kept day', () => {
    const buckets = bucketsOf({ event: ORDER }, [
      order('2026-11-01T10:00:00Z'),
      order('2026-12-05T10:00:00Z'),
      order('2026-12-06T10:00:00Z'),
    ]);
    expect(staleBucketPaths('f', buckets, '20261206')).toEqual([
      'counters.f.20261101',
      'counters.f.20261205',
    ]);
  });
});

describe('aggregates', () => {
  const days = ['20261209', '20261208', '20261207'];

  it('reads no events as 0 for count, sum and distinct, and null for min, max, first and last', () => {
    const results = (['count', 'sum', 'distinct', 'min', 'max', 'first', 'last'] as const).map(
      (aggregate) => aggregateBuckets(undefined, aggregate, days),
    );
    expect(results).toEqual([0, 0, 0, null, null, null, null]);
  });

  it('sums, bounds and counts distinct values over the window only', () => {
    const buckets = bucketsOf({ event: ORDER, property: 'sku' }, [
      order('2026-12-09T10:00:00Z', { sku: 1 }),
      order('2026-12-08T10:00:00Z', { sku: '1' }),
      order('2026-12-07T10:00:00Z', { sku: 1 }),
      order('2026-12-07T11:00:00Z', { sku: 40 }),
      order('2026-12-01T10:00:00Z', { sku: 99 }),
    ]);
    expect(aggregateBuckets(buckets, 'count', days)).toBe(4);
    expect(aggregateBuckets(buckets, 'sum', days)).toBe(42);
    expect(aggregateBuckets(buckets, 'min', days)).toBe(1);
    expect(aggregateBuckets(buckets, 'max', days)).toBe(40);
    expect(aggregateBuckets(buckets, 'distinct', days)).toBe(3);
    expect(aggregateBuckets(buckets, 'first', days)).toBe('2026-12-07T10:00:00.000Z');
    expect(aggregateBuckets(buckets, 'last', days)).toBe('2026-12-09T10:00:00.000Z');
  });

  it('counts events whose property is missing or not a number, without summing them', () => {
    const buckets = bucketsOf({ event: ORDER, property: 'total' }, [
      order('2026-12-09T10:00:00Z', { total: '12' }),
      order('2026-12-09T11:00:00Z'),
    ]);
    expect(aggregateBuckets(buckets, 'count', days)).toBe(2);
    expect(aggregateBuckets(buckets, 'sum', days)).toBe(0);
    expect(aggregateBuckets(buckets, 'max', days)).toBeNull();
    expect(aggregateBuckets(buckets, 'distinct', days)).toBe(1);
  });

  it('scores affinity categories with half-life decay by age, decoding their names', () => {
    const buckets = bucketsOf({ event: ORDER, groupBy: 'category' }, [
      order('2026-12-09T10:00:00Z', { category: 'shoes' }),
      order('2026-12-07T10:00:00Z', { category: 'shoes' }),
      order('2026-12-07T10:00:00Z', { category: 'home.garden' }),
      order('2026-12-07T10:00:00Z', { category: 'home.garden' }),
      order('2026-12-09T10:00:00Z', { category: ['not', 'a', 'scalar'] }),
    ]);
    expect(affinityScores(buckets, days, 2)).toEqual(
      new Map([
        ['shoes', 1.5],
        ['home.garden', 1],
      ]),
    );
  });
});

describe('matchesSpec', () => {
  it('matches the event name and every property filter', () => {
    const spec: CounterSpec = {
      event: ORDER,
      where: [
        { property: 'total', op: 'gte', value: 100 },
        { property: 'shipping.country', op: 'in', value: ['FR', 'DE'] },
      ],
    };
    const now = new Date();
    expect(matchesSpec(spec, ORDER, { total: 120, shipping: { country: 'FR' } }, now)).toBe(true);
    expect(matchesSpec(spec, ORDER, { total: 120, shipping: { country: 'US' } }, now)).toBe(false);
    expect(
      matchesSpec(spec, 'Order Refunded', { total: 120, shipping: { country: 'FR' } }, now),
    ).toBe(false);
    expect(matchesSpec({ event: ORDER }, ORDER, undefined, now)).toBe(true);
  });
});
