import type { Predicate } from './condition.js';
import { DAY_MS } from './expiry.js';

const ISO_DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

export type ValueTest = (value: unknown) => boolean;

/**
 * `asDate` as epoch ms without allocating a Date: `NaN` when the value is no date. Evaluation
 * reads dates per profile, so this stays allocation-free; it must agree with `asDate`.
 */
export function dateTime(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string' || !ISO_DATE_PREFIX.test(value)) return NaN;
  return Date.parse(value);
}

/** `testPredicate` with its operand prepared once for a fixed `now`: lists become Sets. */
export function compilePredicate(predicate: Predicate, now: Date): ValueTest {
  switch (predicate.op) {
    case 'exists':
      return (value) => value !== undefined && value !== null;
    case 'not_exists':
      return (value) => value === undefined || value === null;
    case 'eq': {
      const operand = predicate.value;
      return (value) => value === operand;
    }
    case 'neq': {
      const operand = predicate.value;
      return (value) => value !== operand;
    }
    case 'in':
    case 'not_in': {
      const listed = new Set<unknown>(predicate.value);
      const expected = predicate.op === 'in';
      return (value) =>
        ((typeof value === 'string' || typeof value === 'number') && listed.has(value)) ===
        expected;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return compileComparison(predicate.op, predicate.value);
    case 'contains':
    case 'not_contains':
      return compileContains(predicate.value, predicate.op === 'contains');
    case 'starts_with': {
      const prefix = predicate.value;
      return (value) => typeof value === 'string' && value.startsWith(prefix);
    }
    case 'before': {
      const operand = Date.parse(predicate.value);
      return (value) => dateTime(value) < operand;
    }
    case 'after': {
      const operand = Date.parse(predicate.value);
      return (value) => dateTime(value) > operand;
    }
    case 'within_last_days':
    case 'more_than_days_ago':
      return compileAge(predicate.op, predicate.value, now.getTime());
  }
}

function compileComparison(op: 'gt' | 'gte' | 'lt' | 'lte', operand: number): ValueTest {
  const isNumber = (value: unknown): value is number =>
    typeof value === 'number' && Number.isFinite(value);
  if (op === 'gt') return (value) => isNumber(value) && value > operand;
  if (op === 'gte') return (value) => isNumber(value) && value >= operand;
  if (op === 'lt') return (value) => isNumber(value) && value < operand;
  return (value) => isNumber(value) && value <= operand;
}

function compileContains(operand: string | number | boolean, expected: boolean): ValueTest {
  const substring = typeof operand === 'string' ? operand : undefined;
  return (value) => {
    if (typeof value === 'string') {
      return (substring !== undefined && value.includes(substring)) === expected;
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        if (value[index] === operand) return expected;
      }
    }
    return !expected;
  };
}

function compileAge(
  op: 'within_last_days' | 'more_than_days_ago',
  days: number,
  now: number,
): ValueTest {
  const boundary = now - days * DAY_MS;
  // NaN (no date) fails every comparison, as testPredicate's missing date does.
  if (op === 'within_last_days') {
    return (value) => {
      const time = dateTime(value);
      return boundary <= time && time <= now;
    };
  }
  return (value) => dateTime(value) < boundary;
}
