import type { Aggregate } from './condition.js';
import type { CounterBucket } from './context.js';

/** An aggregate over the first `count` buckets of `selected`, the buckets of one window. */
export type WindowAggregate = (
  selected: readonly CounterBucket[],
  count: number,
) => number | string | null;

// Evaluation is synchronous, so one Set serves every distinct count in turn.
const seen = new Set<unknown>();

/**
 * `aggregateBuckets` without its intermediate arrays. Buckets come today first, as there, and
 * fold with the same operations, so even float sums agree to the bit.
 */
export function compileAggregate(aggregate: Aggregate): WindowAggregate {
  switch (aggregate) {
    case 'count':
      return (selected, count) => {
        let total = 0;
        for (let index = 0; index < count; index++) total += selected[index]!.n;
        return total;
      };
    case 'sum':
      return (selected, count) => {
        let total = 0;
        for (let index = 0; index < count; index++) total += selected[index]!.s ?? 0;
        return total;
      };
    case 'min':
      return (selected, count) => extreme(selected, count, 'mn', Math.min);
    case 'max':
      return (selected, count) => extreme(selected, count, 'mx', Math.max);
    case 'distinct':
      return distinct;
    case 'first':
      return (selected, count) => isoTime(extreme(selected, count, 't0', Math.min));
    case 'last':
      return (selected, count) => isoTime(extreme(selected, count, 't1', Math.max));
  }
}

function extreme(
  selected: readonly CounterBucket[],
  count: number,
  field: 'mn' | 'mx' | 't0' | 't1',
  pick: (a: number, b: number) => number,
): number | null {
  // Folding from the identity with Math.min/Math.max equals one variadic call, -0 included.
  let result = pick === Math.min ? Infinity : -Infinity;
  let found = false;
  for (let index = 0; index < count; index++) {
    const value = selected[index]![field];
    if (value === undefined) continue;
    result = pick(result, value);
    found = true;
  }
  return found ? result : null;
}

function distinct(selected: readonly CounterBucket[], count: number): number {
  seen.clear();
  for (let index = 0; index < count; index++) {
    const values = selected[index]!.v;
    if (values) for (const value of values) seen.add(value);
  }
  const size = seen.size;
  seen.clear();
  return size;
}

function isoTime(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}
