import { z } from 'zod';

/** How many items one page holds: 50 unless asked, never more than 200. */
export const PageLimit = z.coerce.number().int().min(1).max(200).default(50);
export type PageLimit = z.infer<typeof PageLimit>;

/**
 * Where the next page starts: the sort key of the last item returned. Opaque to clients
 * (base64url JSON), so the sort can change without breaking the contract.
 */
export interface Cursor {
  at: Date | null;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  const parts = [cursor.at?.toISOString() ?? null, cursor.id];
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(text: string): Cursor | null {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parts) || parts.length !== 2) return null;
  const [at, id] = parts as unknown[];
  if (typeof id !== 'string' || id.length === 0 || id.length > 200) return null;
  if (at === null) return { at: null, id };
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return null;
  return { at: new Date(at), id };
}

/** A cursor query parameter; a bad one is a 400 with the parameter's path. */
export const CursorParam = z
  .string()
  .max(400)
  .transform((text, ctx) => {
    const cursor = decodeCursor(text);
    if (cursor) return cursor;
    ctx.addIssue({
      code: 'custom',
      message: 'not a cursor this API returned',
      params: { code: 'invalid_cursor' },
    });
    return z.NEVER;
  });

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** `before` on a newest-first list: an ISO date (everything earlier) or a `next` cursor. */
export const BeforeParam = z
  .string()
  .max(400)
  .transform((text, ctx): Cursor | Date => {
    if (ISO_DATE.test(text) && !Number.isNaN(Date.parse(text))) return new Date(text);
    const cursor = decodeCursor(text);
    if (cursor?.at) return cursor;
    ctx.addIssue({
      code: 'custom',
      message: 'expected an ISO 8601 date or a cursor this API returned',
      params: { code: 'invalid_cursor' },
    });
    return z.NEVER;
  });

/**
 * The filter for items strictly after `before` in a (`field` desc, `_id` desc) order: ties on
 * the time are broken by `_id`, so a page boundary never skips or repeats an item.
 */
export function olderThan(field: string, before: Cursor | Date | undefined) {
  if (before === undefined) return {};
  if (before instanceof Date) return { [field]: { $lt: before } };
  return {
    $or: [{ [field]: { $lt: before.at } }, { [field]: before.at, _id: { $lt: before.id } }],
  };
}

/** Splits one extra fetched item off into the `next` cursor. */
export function pageOf<T extends { _id: string }>(
  docs: T[],
  limit: number,
  at: (doc: T) => Date | null,
): { items: T[]; next: string | null } {
  if (docs.length <= limit) return { items: docs, next: null };
  const items = docs.slice(0, limit);
  const last = items[items.length - 1]!;
  return { items, next: encodeCursor({ at: at(last), id: last._id }) };
}
