import type {
  AnyBulkWriteOperation,
  BulkWriteOptions,
  BulkWriteResult,
  Collection,
  Document,
} from 'mongodb';
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

/**
 * FerretDB v1 holds one SQLite connection per matched statement until an update command ends,
 * and deadlocks once about 100 are held at once across concurrent commands. Updates therefore
 * go out in small commands, and at most a few such commands run at once per process; on
 * MongoDB this costs a few extra round trips.
 */
export const MAX_UPDATES_PER_COMMAND = 20;
const MAX_COMMANDS_IN_FLIGHT = 3;

let inFlight = 0;
const waiting: (() => void)[] = [];

async function withCommandSlot<T>(run: () => Promise<T>): Promise<T> {
  while (inFlight >= MAX_COMMANDS_IN_FLIGHT) {
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  inFlight++;
  try {
    return await run();
  } finally {
    inFlight--;
    waiting.shift()?.();
  }
}

/** Writes in commands of `MAX_UPDATES_PER_COMMAND`; the result of each, in order. */
export async function bulkWriteInChunks<T extends Document>(
  collection: Collection<T>,
  operations: AnyBulkWriteOperation<T>[],
  options: BulkWriteOptions,
): Promise<{ operations: AnyBulkWriteOperation<T>[]; result: BulkWriteResult }[]> {
  const results = [];
  for (let start = 0; start < operations.length; start += MAX_UPDATES_PER_COMMAND) {
    const chunk = operations.slice(start, start + MAX_UPDATES_PER_COMMAND);
    results.push({
      operations: chunk,
      result: await withCommandSlot(() => collection.bulkWrite(chunk, options)),
    });
  }
  return results;
}
