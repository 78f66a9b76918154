import { z } from 'zod';

/** What one imported row describes: a person (an `identify`) or something they did (a `track`). */
export const ImportKind = z.enum(['profiles', 'events']);
export type ImportKind = z.infer<typeof ImportKind>;

export const ImportFormat = z.enum(['csv', 'ndjson']);
export type ImportFormat = z.infer<typeof ImportFormat>;

/**
 * Cleaning steps, applied in order to a column's value. `email` lower-cases and checks the
 * address, `phone` writes E.164 (`+` and digits), `date` an ISO 8601 date-time in UTC, `day` an
 * ISO 8601 calendar date; `number`, `integer` and `boolean` turn text into those types.
 */
export const CleanRule = z.enum([
  'trim',
  'lowercase',
  'uppercase',
  'email',
  'phone',
  'date',
  'day',
  'number',
  'integer',
  'boolean',
]);
export type CleanRule = z.infer<typeof CleanRule>;

/**
 * Where a column's value goes. `trait` and `property` set one key (`name`, or the column name);
 * `traits` and `properties` spread an object value (an NDJSON field) into them; `identifier`
 * adds `context.externalIds` entry of type `name`; `ignore` drops the column.
 */
export const ImportTarget = z.enum([
  'userId',
  'anonymousId',
  'messageId',
  'timestamp',
  'event',
  'identifier',
  'trait',
  'traits',
  'property',
  'properties',
  'ignore',
]);
export type ImportTarget = z.infer<typeof ImportTarget>;

/** Targets that take one value per row, so at most one column may name each. */
const SINGLE_TARGETS: ImportTarget[] = ['userId', 'anonymousId', 'messageId', 'timestamp', 'event'];
const EVENT_ONLY_TARGETS: ImportTarget[] = ['event', 'property', 'properties'];

export const ColumnMapping = z.object({
  /** The CSV header, NDJSON top-level key or database column the value is read from. */
  column: z.string().min(1).max(256),
  to: ImportTarget,
  /** Trait or property key, or identifier type; the column name when left out. */
  name: z.string().trim().min(1).max(256).optional(),
  clean: z.array(CleanRule).max(10).default(['trim']),
  /** A row whose value is empty after cleaning is rejected instead of skipping the field. */
  required: z.boolean().default(false),
});
export type ColumnMapping = z.infer<typeof ColumnMapping>;

/**
 * How rows become tracking messages. The mapping is source-agnostic: file imports and database
 * connectors share it. `dedupe` decides what makes two rows the same when no `messageId` column
 * is mapped: `row` (the default) hashes the row number with the built message, so an unchanged
 * file re-imports as duplicates while identical rows inside one file all count; `content` hashes
 * the message alone, so identical rows count once wherever they appear.
 */
export const ImportMapping = z
  .object({
    kind: ImportKind,
    columns: z.array(ColumnMapping).min(1).max(500),
    /** Event name for every row of an events import that maps no `event` column. */
    event: z.string().trim().min(1).max(200).optional(),
    dedupe: z.enum(['row', 'content']).default('row'),
    /** Calling code (digits) given to phone numbers written without one, e.g. `86` or `1`. */
    phoneCountryCode: z
      .string()
      .regex(/^[1-9]\d{0,2}$/, 'one to three digits, not starting with 0')
      .optional(),
  })
  .superRefine((mapping, ctx) => {
    const seen = new Set<ImportTarget>();
    mapping.columns.forEach((column, index) => {
      const path = ['columns', index, 'to'];
      if (SINGLE_TARGETS.includes(column.to) && seen.has(column.to)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `only one column may map to ${column.to}`,
          params: { code: 'duplicate_target' },
        });
      }
      seen.add(column.to);
      if (mapping.kind === 'profiles' && EVENT_ONLY_TARGETS.includes(column.to)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `${column.to} is only for events imports`,
          params: { code: 'target_not_allowed' },
        });
      }
      if (column.to === 'identifier' && !column.name) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', index, 'name'],
          message: 'name the identifier type, e.g. email or member_number',
          params: { code: 'identifier_type_required' },
        });
      }
    });
    if (mapping.kind === 'events' && !seen.has('event') && !mapping.event) {
      ctx.addIssue({
        code: 'custom',
        path: ['event'],
        message: 'map a column to event or give a constant event name',
        params: { code: 'event_required' },
      });
    }
  });
export type ImportMapping = z.infer<typeof ImportMapping>;
/** A mapping as written by a user, before defaults are filled in. */
export type ImportMappingInput = z.input<typeof ImportMapping>;

/** A problem with one row: its 1-based number, a stable code and the column it concerns. */
export interface ImportIssue {
  row: number;
  code: string;
  /** The source column, or the message field when no single column is to blame. */
  field: string;
  message: string;
}
