import { decodeValue, encodeKey } from '../storage-keys.js';
import type { Predicate } from './condition.js';

const DAY_MS = 86_400_000;
const ISO_DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

/** Whether one value satisfies a predicate; comparisons never coerce types. */
export function testPredicate(predicate: Predicate, value: unknown, now: Date): boolean {
  switch (predicate.op) {
    case 'exists':
      return value !== undefined && value !== null;
    case 'not_exists':
      return value === undefined || value === null;
    case 'eq':
      return value === predicate.value;
    case 'neq':
      return value !== predicate.value;
    case 'in':
      return isListed(value, predicate.value);
    case 'not_in':
      return !isListed(value, predicate.value);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return isFiniteNumber(value) && compare(predicate.op, value, predicate.value);
    case 'contains':
      return contains(value, predicate.value);
    case 'not_contains':
      return !contains(value, predicate.value);
    case 'starts_with':
      return typeof value === 'string' && value.startsWith(predicate.value);
    case 'before':
    case 'after':
      return compareDate(predicate.op, asDate(value), Date.parse(predicate.value));
    case 'within_last_days':
    case 'more_than_days_ago':
      return testAge(predicate.op, asDate(value), predicate.value, now);
    default: {
      const unknownPredicate: never = predicate;
      return unknownPredicate;
    }
  }
}

/** A Date, or a string starting with an ISO date that parses; anything else is no date. */
export function asDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string' || !ISO_DATE_PREFIX.test(value)) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}

/**
 * The value at a dotted path. `encoded` reads stored traits, whose keys are escaped and whose
 * nested arrays are wrapped; the value comes back decoded.
 */
export function readPath(
  source: Record<string, unknown> | undefined,
  path: string,
  encoded: boolean,
): unknown {
  let current: unknown = source;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    const key = encoded ? encodeKey(segment) : segment;
    // Own keys only, so a path like `constructor` never reaches the prototype.
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return encoded ? decodeValue(current) : current;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isListed(value: unknown, list: (string | number)[]): boolean {
  return (typeof value === 'string' || typeof value === 'number') && list.includes(value);
}

function compare(op: 'gt' | 'gte' | 'lt' | 'lte', value: number, operand: number): boolean {
  if (op === 'gt') return value > operand;
  if (op === 'gte') return value >= operand;
  if (op === 'lt') return value < operand;
  return value <= operand;
}

function contains(value: unknown, operand: string | number | boolean): boolean {
  if (typeof value === 'string') return typeof operand === 'string' && value.includes(operand);
  if (Array.isArray(value)) return value.some((item) => item === operand);
  return false;
}

function compareDate(op: 'before' | 'after', date: Date | null, operand: number): boolean {
  if (date === null) return false;
  return op === 'before' ? date.getTime() < operand : date.getTime() > operand;
}

function testAge(
  op: 'within_last_days' | 'more_than_days_ago',
  date: Date | null,
  days: number,
  now: Date,
): boolean {
  if (date === null) return false;
  const time = date.getTime();
  const boundary = now.getTime() - days * DAY_MS;
  return op === 'within_last_days' ? boundary <= time && time <= now.getTime() : time < boundary;
}
