import { counterSpecId, type CounterSpec } from '@junction/core';
import type { StoredCounter } from '@junction/core/store';

import { reconcileCounters } from './counter-registry.js';

const before = new Date('2025-01-01T00:00:00Z');
const now = new Date('2025-03-10T12:00:00Z');
const purchases: CounterSpec = { event: 'Order Completed' };
const views: CounterSpec = { event: 'Product Viewed', groupBy: 'category' };
const refunds: CounterSpec = { event: 'Order Refunded' };

function stored(spec: CounterSpec): [string, StoredCounter] {
  const id = counterSpecId(spec);
  return [id, { spec, field: `${id}_old`, activatedAt: before, filledAt: before }];
}

describe('reconcileCounters', () => {
  it('keeps needed counters, activates new ones on a fresh field and drops the rest', () => {
    const current = Object.fromEntries([stored(purchases), stored(refunds)]);
    const changes = reconcileCounters(current, [purchases, views], now);

    const viewsId = counterSpecId(views);
    expect(Object.keys(changes.added)).toEqual([viewsId]);
    expect(changes.added[viewsId]).toEqual({
      spec: views,
      field: `${viewsId}_${now.getTime().toString(36)}`,
      activatedAt: now,
    });
    expect(changes.activated).toEqual([changes.added[viewsId]]);
    expect(changes.dropped).toEqual([counterSpecId(refunds)]);
  });

  it('activates one counter for readers of the same events', () => {
    const changes = reconcileCounters({}, [purchases, { ...purchases }], now);
    expect(changes.activated).toHaveLength(1);
    expect(changes.dropped).toEqual([]);
  });
});
