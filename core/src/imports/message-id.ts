import type { ImportMapping } from './mapping.js';
import { sha256Hex } from './sha256.js';

/** JSON with object keys sorted, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value);
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map(
        (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
      );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A row's `messageId` when no column provides one: the same built message (and, under the
 * `row` dedupe, at the same row number) always gets the same id, so importing a file again
 * stores nothing new, while a corrected mapping that changes the messages does import them.
 */
export function importMessageId(
  mapping: Pick<ImportMapping, 'kind' | 'dedupe'>,
  rowNumber: number,
  content: unknown,
): string {
  return messageIdOfJson(mapping, rowNumber, canonicalJson(content));
}

/** `importMessageId` for content already written by `canonicalJson`. */
export function messageIdOfJson(
  mapping: Pick<ImportMapping, 'kind' | 'dedupe'>,
  rowNumber: number,
  json: string,
): string {
  const position = mapping.dedupe === 'row' ? String(rowNumber) : '';
  return `imp-${sha256Hex(`${mapping.kind}\n${position}\n${json}`).slice(0, 40)}`;
}
