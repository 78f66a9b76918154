import { DUPLICATE_KEY, isDuplicateKey } from '@junction/core/store';

/**
 * Indexes of the documents an unordered bulk insert refused as duplicates, or undefined when
 * the error is anything else (which the caller must rethrow).
 */
export function duplicateIndexes(error: unknown): Set<number> | undefined {
  if (typeof error !== 'object' || error === null || !('writeErrors' in error)) {
    return isDuplicateKey(error) ? new Set([0]) : undefined;
  }
  const { writeErrors } = error;
  const list = (Array.isArray(writeErrors) ? writeErrors : [writeErrors]) as {
    code?: number;
    index: number;
  }[];
  if (list.some((e) => e.code !== DUPLICATE_KEY)) return undefined;
  return new Set(list.map((e) => e.index));
}
