import { z } from 'zod';

import { ImportMapping } from '../imports/mapping.js';
import { ConnectorSchedule } from './schedule.js';

/** Letters, digits and _ within PostgreSQL's 63-byte limit; quoted exactly as written. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Leading whitespace and `--` or `/* *\/` comments, which may precede the statement. */
const LEADING_NOISE = /^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/;

/** True when the text is one query that reads: it starts with SELECT, WITH, VALUES or TABLE. */
export function isSelectQuery(query: string): boolean {
  const body = query.replace(LEADING_NOISE, '');
  return /^(select|with|values|table)\b/i.test(body);
}

/** A trailing `;` would break the subquery the connector wraps the query in. */
function withoutTrailingSemicolons(query: string): string {
  return query.replace(/[\s;]+$/, '');
}

export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not an identifier: ${name}`);
  return `"${name}"`;
}

const PostgresUrl = z
  .string()
  .trim()
  .max(2048)
  .refine(
    (url) => {
      try {
        const parsed = new URL(url);
        return ['postgres:', 'postgresql:'].includes(parsed.protocol) && parsed.hostname !== '';
      } catch {
        return false;
      }
    },
    {
      message: 'a postgres://user:password@host:port/database URL',
      params: { code: 'invalid_connection_url' },
    },
  );

/** The database side of a PostgreSQL connector: where to read, what, and how to page. */
export const PostgresSource = z.object({
  type: z.literal('postgres'),
  /** Stored as given (the password too, to connect); answered and logged with it redacted. */
  url: PostgresUrl,
  /**
   * A query that reads rows, wrapped as a subquery and run in a read-only transaction:
   * `SELECT * FROM (<query>) AS src WHERE <cursor> > $1 ORDER BY <cursor> LIMIT $2`.
   */
  query: z
    .string()
    .max(20_000)
    .transform(withoutTrailingSemicolons)
    .refine((query) => query.trim() !== '', {
      message: 'the query is empty',
      params: { code: 'query_required' },
    })
    .refine(isSelectQuery, {
      message: 'the query must be one SELECT (or WITH … SELECT) statement',
      params: { code: 'not_a_select' },
    }),
  /**
   * The column, as the query's result names it, whose values only grow: an id sequence or an
   * `updated_at`. Each run imports rows with a value above the last one imported.
   */
  cursorColumn: z.string().refine((name) => IDENTIFIER.test(name), {
    message: 'a column name: letters, digits and _, not starting with a digit',
    params: { code: 'invalid_cursor_column' },
  }),
  pageSize: z.number().int().min(1).max(10_000).default(1_000),
});
export type PostgresSource = z.infer<typeof PostgresSource>;

/** A connector as the API creates it: a source, how its rows map to messages, and when to run. */
export const ConnectorDefinition = z.object({
  name: z.string().trim().min(1).max(200),
  source: PostgresSource,
  mapping: ImportMapping,
  schedule: ConnectorSchedule,
});
export type ConnectorDefinition = z.infer<typeof ConnectorDefinition>;
export type ConnectorDefinitionInput = z.input<typeof ConnectorDefinition>;

/** The name the page query gives the cursor's text form, kept out of the mapped row. */
export const CURSOR_TEXT_COLUMN = '__junction_cursor';
export const CURSOR_TYPE_COLUMN = '__junction_cursor_type';

/**
 * The SQL for one page. The cursor is compared in PostgreSQL in the column's own type, with
 * the previous value sent back in PostgreSQL's own text form, so numbers, timestamps (with
 * their microseconds) and text all compare exactly. Rows with a null cursor are never read.
 */
export function pageQuery(
  source: Pick<PostgresSource, 'query' | 'cursorColumn'>,
  after: 'start' | 'after' | 'equal',
): string {
  const cursor = `src.${quoteIdentifier(source.cursorColumn)}`;
  const where = {
    start: `${cursor} IS NOT NULL`,
    after: `${cursor} > $1`,
    equal: `${cursor} = $1`,
  }[after];
  const limit = after === 'start' ? '$1' : '$2';
  return [
    `SELECT src.*, ${cursor}::text AS ${CURSOR_TEXT_COLUMN},`,
    `pg_typeof(${cursor})::text AS ${CURSOR_TYPE_COLUMN}`,
    `FROM (${source.query}\n) AS src WHERE ${where} ORDER BY ${cursor} LIMIT ${limit}`,
  ].join(' ');
}
