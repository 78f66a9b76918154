import type { CleanRule } from './mapping.js';

export type Cleaned = { value: unknown } | { code: string; message: string };

export interface CleanOptions {
  /** Calling code for phone numbers written without one. */
  phoneCountryCode?: string | undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0']);

/** Empty cells and nulls carry no value: the field is left out of the message. */
export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value === '');
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function fail(code: string, message: string): Cleaned {
  return { code, message };
}

function cleanPhone(value: unknown, countryCode: string | undefined): Cleaned {
  const raw = text(value)?.trim();
  if (raw === undefined) return fail('invalid_phone', 'expected a phone number');
  const international = raw.startsWith('+') || raw.startsWith('00');
  let digits = raw.replace(/^(\+|00)/, '').replace(/[\s().\-/]/g, '');
  if (!international && countryCode) digits = countryCode + digits.replace(/^0+/, '');
  if (!/^\d{6,15}$/.test(digits)) return fail('invalid_phone', `"${raw}" is not a phone number`);
  return { value: international || countryCode ? `+${digits}` : digits };
}

function cleanNumber(value: unknown, integer: boolean): Cleaned {
  const kind = integer ? 'integer' : 'number';
  let number = typeof value === 'number' || typeof value === 'bigint' ? Number(value) : NaN;
  if (typeof value === 'string') {
    // Thousands separators and spaces are common in spreadsheets: "1,234.50".
    const compact = value.trim().replace(/[\s,_]/g, '');
    number = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(compact) ? Number(compact) : NaN;
  }
  if (!Number.isFinite(number) || (integer && !Number.isInteger(number))) {
    return fail(`invalid_${kind}`, `"${String(value)}" is not ${integer ? 'an' : 'a'} ${kind}`);
  }
  return { value: number };
}

function cleanBoolean(value: unknown): Cleaned {
  if (typeof value === 'boolean') return { value };
  const word = text(value)?.trim().toLowerCase();
  if (word !== undefined && TRUE_WORDS.has(word)) return { value: true };
  if (word !== undefined && FALSE_WORDS.has(word)) return { value: false };
  return fail('invalid_boolean', `"${String(value)}" is not true or false`);
}

const DATE_TIME =
  /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Reads ISO 8601 (and `/`-separated) dates and date-times, and epoch seconds or milliseconds.
 * A time without an offset is taken as UTC. Impossible dates (February 30) are refused.
 */
export function parseDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d{9,13}$/.test(value.trim()))) {
    const epoch = Number(value);
    // Ten digits are seconds (until 2286), thirteen milliseconds.
    const date = new Date(Math.abs(epoch) < 1e11 ? epoch * 1000 : epoch);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  const match = typeof value === 'string' ? DATE_TIME.exec(value.trim()) : null;
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '0', zone] = match;
  const parts = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Math.round(Number(`0.${fraction}`) * 1000);
  const utc = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], ms);
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== parts[0] ||
    check.getUTCMonth() !== parts[1] - 1 ||
    check.getUTCDate() !== parts[2] ||
    parts[3] > 23
  ) {
    return undefined;
  }
  return new Date(utc - zoneOffsetMinutes(zone) * 60_000);
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
}

function cleanDate(value: unknown, calendarDay: boolean): Cleaned {
  const date = parseDate(value);
  if (!date) return fail('invalid_date', `"${String(value)}" is not a date`);
  const iso = date.toISOString();
  return { value: calendarDay ? iso.slice(0, 10) : iso };
}

function applyRule(rule: CleanRule, value: unknown, options: CleanOptions): Cleaned {
  switch (rule) {
    case 'trim':
      return { value: typeof value === 'string' ? value.trim() : value };
    case 'lowercase':
      return { value: typeof value === 'string' ? value.toLowerCase() : value };
    case 'uppercase':
      return { value: typeof value === 'string' ? value.toUpperCase() : value };
    case 'email': {
      const email = text(value)?.trim().toLowerCase();
      if (email === undefined || !EMAIL.test(email)) {
        return fail('invalid_email', `"${String(value)}" is not an email address`);
      }
      return { value: email };
    }
    case 'phone':
      return cleanPhone(value, options.phoneCountryCode);
    case 'date':
    case 'day':
      return cleanDate(value, rule === 'day');
    case 'number':
    case 'integer':
      return cleanNumber(value, rule === 'integer');
    case 'boolean':
      return cleanBoolean(value);
  }
}

/** Applies the rules in order; an empty value stays empty and is not checked. */
export function cleanValue(
  value: unknown,
  rules: CleanRule[],
  options: CleanOptions = {},
): Cleaned {
  let current = value;
  for (const rule of rules) {
    if (isEmpty(current)) return { value: undefined };
    const result = applyRule(rule, current, options);
    if (!('value' in result)) return result;
    current = result.value;
  }
  return { value: isEmpty(current) ? undefined : current };
}
