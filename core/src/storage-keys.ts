import type { InputIssue } from './issues.js';

/**
 * User-supplied objects (traits, event properties) are stored under keys MongoDB and FerretDB
 * forbid or misread: `.` splits a path, a leading `$` is an operator, and FerretDB refuses an
 * array directly inside an array. Keys are escaped reversibly with `%XX` sequences, and a nested
 * array is wrapped as `{ "%a": [...] }` (a key no escaped user key can equal).
 */
const NESTED_ARRAY_KEY = '%a';
const EMPTY_KEY = '%';

export function encodeKey(key: string): string {
  if (key === '') return EMPTY_KEY;
  return key.replace(
    /[%.\0]|^\$/g,
    (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`,
  );
}

export function decodeKey(key: string): string {
  if (key === EMPTY_KEY) return '';
  return key.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export function encodeValue(value: unknown, insideArray = false): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => encodeValue(item, true));
    return insideArray ? { [NESTED_ARRAY_KEY]: items } : items;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[encodeKey(key)] = encodeValue(item);
    return out;
  }
  return value;
}

export function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => decodeNested(item));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[decodeKey(key)] = decodeValue(item);
    return out;
  }
  return value;
}

function decodeNested(item: unknown): unknown {
  if (isPlainObject(item)) {
    const keys = Object.keys(item);
    if (keys.length === 1 && keys[0] === NESTED_ARRAY_KEY)
      return decodeValue(item[NESTED_ARRAY_KEY]);
  }
  return decodeValue(item);
}

export function encodeObject(value: Record<string, unknown>): Record<string, unknown> {
  return encodeValue(value) as Record<string, unknown>;
}

export function decodeObject(value: Record<string, unknown>): Record<string, unknown> {
  return decodeValue(value) as Record<string, unknown>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export const MAX_DEPTH = 16;
export const MAX_KEY_LENGTH = 256;

/**
 * Bounds on free-form JSON that a client controls: nesting depth and key length. Deep objects
 * are a cheap way to exhaust a parser or the database, so they are refused, not truncated.
 */
export function checkFreeformShape(
  value: unknown,
  path: (string | number)[] = [],
  depth = 0,
): InputIssue[] {
  if (depth > MAX_DEPTH) {
    return [{ code: 'too_deep', path, message: `nesting deeper than ${MAX_DEPTH} levels` }];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => checkFreeformShape(item, [...path, index], depth + 1));
  }
  if (value !== null && typeof value === 'object') {
    const issues: InputIssue[] = [];
    for (const [key, item] of Object.entries(value)) {
      if (key.length > MAX_KEY_LENGTH) {
        issues.push({
          code: 'key_too_long',
          path: [...path, key],
          message: `key longer than ${MAX_KEY_LENGTH} characters`,
        });
        continue;
      }
      issues.push(...checkFreeformShape(item, [...path, key], depth + 1));
    }
    return issues;
  }
  return [];
}
