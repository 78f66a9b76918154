import { encodeObject } from '../storage-keys.js';
import type { Predicate } from './condition.js';
import { asDate, readPath, testPredicate } from './predicate.js';

const now = new Date('2026-06-15T12:00:00Z');
const DAY_MS = 86_400_000;
const holds = (predicate: Predicate, value: unknown) => testPredicate(predicate, value, now);

describe('predicates', () => {
  it('exists for any value but undefined and null, and not_exists for those two', () => {
    for (const value of [0, '', false, [], {}]) {
      expect(holds({ op: 'exists' }, value)).toBe(true);
      expect(holds({ op: 'not_exists' }, value)).toBe(false);
    }
    for (const value of [undefined, null]) {
      expect(holds({ op: 'exists' }, value)).toBe(false);
      expect(holds({ op: 'not_exists' }, value)).toBe(true);
    }
  });

  it('compares eq by type and value without coercion, and never equals an array', () => {
    expect(holds({ op: 'eq', value: 'pro' }, 'pro')).toBe(true);
    expect(holds({ op: 'eq', value: 1 }, '1')).toBe(false);
    expect(holds({ op: 'eq', value: true }, 'true')).toBe(false);
    expect(holds({ op: 'eq', value: 'a' }, ['a'])).toBe(false);
    expect(holds({ op: 'eq', value: 'a' }, undefined)).toBe(false);
  });

  it('holds every negation on a missing value', () => {
    for (const value of [undefined, null]) {
      expect(holds({ op: 'neq', value: 'pro' }, value)).toBe(true);
      expect(holds({ op: 'not_in', value: ['pro'] }, value)).toBe(true);
      expect(holds({ op: 'not_contains', value: 'pro' }, value)).toBe(true);
    }
    expect(holds({ op: 'neq', value: 'pro' }, 'pro')).toBe(false);
    expect(holds({ op: 'neq', value: 1 }, '1')).toBe(true);
  });

  it('matches in for listed strings and numbers only', () => {
    expect(holds({ op: 'in', value: ['pro', 2] }, 'pro')).toBe(true);
    expect(holds({ op: 'in', value: ['pro', 2] }, 2)).toBe(true);
    expect(holds({ op: 'in', value: ['2'] }, 2)).toBe(false);
    expect(holds({ op: 'in', value: ['pro'] }, ['pro'])).toBe(false);
    expect(holds({ op: 'not_in', value: ['pro'] }, 'free')).toBe(true);
    expect(holds({ op: 'not_in', value: ['pro'] }, 'pro')).toBe(false);
  });

  it('compares numbers only, never numeric strings or infinities', () => {
    expect(holds({ op: 'gt', value: 10 }, 11)).toBe(true);
    expect(holds({ op: 'gt', value: 10 }, 10)).toBe(false);
    expect(holds({ op: 'gte', value: 10 }, 10)).toBe(true);
    expect(holds({ op: 'lt', value: 10 }, 9.5)).toBe(true);
    expect(holds({ op: 'lt', value: 10 }, 10)).toBe(false);
    expect(holds({ op: 'lte', value: 10 }, 10)).toBe(true);
    expect(holds({ op: 'gt', value: 10 }, '11')).toBe(false);
    expect(holds({ op: 'gt', value: 10 }, Infinity)).toBe(false);
    expect(holds({ op: 'lt', value: 10 }, NaN)).toBe(false);
    expect(holds({ op: 'lt', value: 10 }, undefined)).toBe(false);
  });

  it('finds a substring in a string or an equal element in a list', () => {
    expect(holds({ op: 'contains', value: 'gmail' }, 'ada@gmail.com')).toBe(true);
    expect(holds({ op: 'contains', value: 'yahoo' }, 'ada@gmail.com')).toBe(false);
    expect(holds({ op: 'contains', value: 1 }, 'a1')).toBe(false);
    expect(holds({ op: 'contains', value: 'vip' }, ['new', 'vip'])).toBe(true);
    expect(holds({ op: 'contains', value: 1 }, ['1'])).toBe(false);
    expect(holds({ op: 'contains', value: 'x' }, 42)).toBe(false);
    expect(holds({ op: 'not_contains', value: 'vip' }, ['new'])).toBe(true);
    expect(holds({ op: 'not_contains', value: 'vip' }, ['vip'])).toBe(false);
  });

  it('matches starts_with on strings only', () => {
    expect(holds({ op: 'starts_with', value: '+33' }, '+33612345678')).toBe(true);
    expect(holds({ op: 'starts_with', value: '+33' }, '+44')).toBe(false);
    expect(holds({ op: 'starts_with', value: '1' }, 123)).toBe(false);
  });

  it('orders dates strictly with before and after, and ignores anything not a date', () => {
    const operand = '2026-01-01T00:00:00Z';
    expect(holds({ op: 'before', value: operand }, '2025-12-31')).toBe(true);
    expect(holds({ op: 'before', value: operand }, new Date(operand))).toBe(false);
    expect(holds({ op: 'after', value: operand }, new Date(operand))).toBe(false);
    expect(holds({ op: 'after', value: operand }, '2026-01-01T00:00:01+00:00')).toBe(true);
    expect(holds({ op: 'before', value: operand }, 0)).toBe(false);
    expect(holds({ op: 'before', value: operand }, 'yesterday')).toBe(false);
    expect(holds({ op: 'after', value: operand }, undefined)).toBe(false);
  });

  it('counts within_last_days and more_than_days_ago in exact 24-hour days', () => {
    const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const within7 = { op: 'within_last_days', value: 7 } as const;
    const olderThan7 = { op: 'more_than_days_ago', value: 7 } as const;
    expect(holds(within7, daysAgo(7))).toBe(true);
    expect(holds(olderThan7, daysAgo(7))).toBe(false);
    expect(holds(within7, new Date(daysAgo(7).getTime() - 1))).toBe(false);
    expect(holds(olderThan7, new Date(daysAgo(7).getTime() - 1))).toBe(true);
    expect(holds(within7, now)).toBe(true);
    expect(holds(within7, new Date(now.getTime() + 1))).toBe(false);
    expect(holds(within7, daysAgo(3).toISOString())).toBe(true);
    expect(holds(within7, undefined)).toBe(false);
    expect(holds(olderThan7, undefined)).toBe(false);
  });
});

describe('asDate', () => {
  it('reads Dates and strings that start with an ISO date, and nothing else', () => {
    expect(asDate('2026-06-01')?.toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(asDate('2026-06-01T08:00:00+02:00')?.toISOString()).toBe('2026-06-01T06:00:00.000Z');
    expect(asDate(new Date(5))?.getTime()).toBe(5);
    expect(asDate(new Date(NaN))).toBeNull();
    expect(asDate('2026-13-45')).toBeNull();
    expect(asDate('June 1, 2026')).toBeNull();
    expect(asDate(1_780_000_000_000)).toBeNull();
  });
});

describe('readPath', () => {
  it('reads nested stored traits through escaped keys and unwraps nested arrays', () => {
    const traits = encodeObject({
      address: { city: 'Lyon', 'zip.code': '69001' },
      $score: 3,
      grid: [[1, 2], [3]],
    });
    expect(readPath(traits, 'address.city', true)).toBe('Lyon');
    expect(readPath(traits, '$score', true)).toBe(3);
    expect(readPath(traits, 'grid', true)).toEqual([[1, 2], [3]]);
    expect(readPath(traits, 'address', true)).toEqual({ city: 'Lyon', 'zip.code': '69001' });
  });

  it('reads event properties as sent when not encoded', () => {
    const properties = { order: { total: 42 }, '%a': 1 };
    expect(readPath(properties, 'order.total', false)).toBe(42);
    expect(readPath(properties, '%a', false)).toBe(1);
  });

  it('is undefined for missing paths, scalars on the way and inherited keys', () => {
    const source = { plan: 'pro', list: ['a'] };
    expect(readPath(source, 'plan.name', false)).toBeUndefined();
    expect(readPath(source, 'list.0', false)).toBeUndefined();
    expect(readPath(source, 'constructor', false)).toBeUndefined();
    expect(readPath(source, 'toString', true)).toBeUndefined();
    expect(readPath(undefined, 'plan', true)).toBeUndefined();
  });
});
