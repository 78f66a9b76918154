import { counterSpecId, type ActiveCounter, type CounterSpec } from '@junction/core';
import type { StoredCounter } from '@junction/core/store';

/** How the workspace's counters change: entries to add, ids to drop, and the new ones. */
export interface CounterChanges {
  added: Record<string, StoredCounter>;
  dropped: string[];
  activated: ActiveCounter[];
}

/**
 * Keeps the counters still needed as they are, activates the new ones on a fresh profile field
 * (so a counter dropped and needed again never reads the old, no longer updated buckets), and
 * drops the rest.
 */
export function reconcileCounters(
  current: Record<string, StoredCounter>,
  needed: CounterSpec[],
  now: Date,
): CounterChanges {
  const changes: CounterChanges = { added: {}, dropped: [], activated: [] };
  const neededIds = new Set<string>();
  for (const spec of needed) {
    const id = counterSpecId(spec);
    neededIds.add(id);
    if (current[id] || changes.added[id]) continue;
    const counter = { spec, field: `${id}_${now.getTime().toString(36)}`, activatedAt: now };
    changes.added[id] = counter;
    changes.activated.push(counter);
  }
  changes.dropped = Object.keys(current).filter((id) => !neededIds.has(id));
  return changes;
}

export function activeCounters(stored: Record<string, StoredCounter>): Map<string, ActiveCounter> {
  return new Map(
    Object.entries(stored).map(([id, { spec, field, activatedAt }]) => [
      id,
      { spec, field, activatedAt },
    ]),
  );
}
