import { ApplicationFailure, Context } from '@temporalio/activity';
import pg from 'pg';

import {
  connectorRowToMessage,
  CURSOR_TEXT_COLUMN,
  CURSOR_TYPE_COLUMN,
  pageQuery,
  redactPassword,
  type ConnectorPageResult,
  type ConnectorRunRef,
  type ImportIssue,
  type PostgresSource,
  type TrackingMessage,
} from '@junction/core';
import type { ConnectorCursor, ConnectorDoc, ConnectorRun } from '@junction/core/store';
import type { ConnectorRunLog } from '@junction/server/connectors';
import type { Ingestor } from '@junction/server/ingest';
import { NON_RETRYABLE, type ConnectorActivities } from '@junction/workflows/activities';

import type { Logger } from '../logger.js';

export interface ConnectorActivityDeps {
  runLog: ConnectorRunLog;
  ingestor: Pick<Ingestor, 'ingest'>;
  log: Logger;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

type Row = Record<string, unknown>;

/** Messages handed to the ingestor at once; a page can hold up to 10,000 rows. */
const INGEST_CHUNK = 500;
/** Rows sharing the page's last cursor value that are read with it, as a multiple of a page. */
const MAX_TIES_PER_PAGE = 10;

/** A failure with a stable code, recorded on the connector before the activity fails. */
class SourceFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const { builtins } = pg.types;
const toIso = (text: string) => {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
};

/**
 * Values as the mapping's cleaners expect them: timestamps as ISO 8601 text (a `timestamp`
 * without time zone is UTC), dates as `YYYY-MM-DD`, 64-bit integers as numbers when exact.
 */
const PARSERS = new Map<number, (text: string) => unknown>([
  [builtins.TIMESTAMP, (text) => toIso(`${text.replace(' ', 'T')}Z`)],
  [builtins.TIMESTAMPTZ, toIso],
  [builtins.DATE, (text) => text],
  [builtins.INT8, (text) => (Number.isSafeInteger(Number(text)) ? Number(text) : text)],
]);

function typeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  return PARSERS.get(oid) ?? (pg.types.getTypeParser(oid, format) as (value: string) => unknown);
}

interface SourcePage {
  rows: Row[];
  /** True when the page was full, so more rows may follow. */
  more: boolean;
}

/**
 * Reads one page after `cursor` in a read-only snapshot. When the page is full, every row that
 * shares its last cursor value is read too, so a page boundary never splits equal values and
 * `> cursor` on the next page skips nothing.
 */
async function readPage(
  source: PostgresSource,
  cursor: ConnectorCursor | null,
  timeouts: { connectMs: number; statementMs: number },
): Promise<SourcePage> {
  const client = new pg.Client({
    connectionString: source.url,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    application_name: 'junction-connector',
    types: { getTypeParser: typeParser as typeof pg.types.getTypeParser },
  });
  // A server that drops the connection later emits 'error'; the query's own failure reports it.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const first = cursor
      ? await client.query<Row>(pageQuery(source, 'after'), [cursor.value, source.pageSize])
      : await client.query<Row>(pageQuery(source, 'start'), [source.pageSize]);
    let rows = first.rows;
    const more = rows.length === source.pageSize;
    if (more) {
      const last = String(rows.at(-1)?.[CURSOR_TEXT_COLUMN]);
      const maxTies = source.pageSize * MAX_TIES_PER_PAGE;
      const ties = await client.query<Row>(pageQuery(source, 'equal'), [last, maxTies + 1]);
      if (ties.rows.length > maxTies) {
        throw new SourceFailure(
          'cursor_not_selective',
          `more than ${maxTies} rows share the cursor value ${last}: choose a cursor column whose values rarely repeat`,
          false,
        );
      }
      rows = [...rows.filter((row) => row[CURSOR_TEXT_COLUMN] !== last), ...ties.rows];
    }
    await client.query('COMMIT');
    return { rows, more };
  } finally {
    await client.end().catch(() => undefined);
  }
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
]);

/** Sorts a failure into what a retry can fix (the network) and what it cannot (the definition). */
function classify(error: unknown): SourceFailure {
  if (error instanceof SourceFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === 'object' && error && 'code' in error ? String(error.code) : '';
  if (UNREACHABLE.has(code) || /connection terminated|timeout expired/i.test(message))
    return new SourceFailure('source_unreachable', `cannot reach the database: ${message}`, true);
  if (code.startsWith('28') || code === '3D000')
    return new SourceFailure(
      'source_auth_failed',
      `the database refused the login: ${message}`,
      false,
    );
  if (['42', '22', '25', '0A'].some((sqlClass) => code.startsWith(sqlClass)))
    return new SourceFailure('source_query_failed', `the query failed: ${message}`, false);
  if (code === '57014')
    return new SourceFailure('source_timeout', `the query took too long: ${message}`, true);
  if (code.startsWith('08') || code.startsWith('57P'))
    return new SourceFailure('source_unreachable', `the database is unavailable: ${message}`, true);
  return new SourceFailure('source_error', message, true);
}

function errorContext(doc: ConnectorDoc) {
  let host = '';
  let database = '';
  try {
    const url = new URL(doc.source.url);
    host = `${url.hostname}:${url.port || '5432'}`;
    database = decodeURIComponent(url.pathname.slice(1));
  } catch {
    // The URL was checked when the connector was created; an unreadable one has no context.
  }
  return { host, database, cursor: doc.cursor?.value ?? null, pageSize: doc.source.pageSize };
}

interface RowMessage {
  message: TrackingMessage;
  row: number;
  cursor: string;
}

/** Maps rows to messages; rows the mapping refuses become examples with their cursor value. */
function toMessages(doc: ConnectorDoc, rows: Row[]) {
  const items: RowMessage[] = [];
  const rejectedRows: ConnectorRun['rejectedRows'] = [];
  rows.forEach((row, index) => {
    const cursor = String(row[CURSOR_TEXT_COLUMN]);
    const values = { ...row };
    delete values[CURSOR_TEXT_COLUMN];
    delete values[CURSOR_TYPE_COLUMN];
    const source = { connectorId: doc._id, cursorText: cursor };
    const result = connectorRowToMessage(values, doc.mapping, index + 1, source);
    if (result.ok) items.push({ message: result.message, row: index + 1, cursor });
    else result.issues.forEach((issue: ImportIssue) => rejectedRows.push({ ...issue, cursor }));
  });
  return { items, rejectedRows, rejected: rows.length - items.length };
}

export function createPullPostgresPage(deps: ConnectorActivityDeps) {
  const timeouts = {
    connectMs: deps.connectTimeoutMs ?? 10_000,
    statementMs: deps.statementTimeoutMs ?? 120_000,
  };

  async function fail(ref: ConnectorRunRef, doc: ConnectorDoc, failure: SourceFailure) {
    const message = redactPassword(failure.message, doc.source.url);
    const { attempt } = Context.current().info;
    const { connectorId, workspaceId } = ref;
    deps.log.warn(
      { workspaceId, connectorId, code: failure.code, attempt },
      'connector run failed',
    );
    await deps.runLog.recordError(ref, {
      code: failure.code,
      message,
      at: new Date(),
      runId: ref.runId,
      attempt,
      context: errorContext(doc),
    });
    const type = failure.retryable ? 'SourceUnavailable' : NON_RETRYABLE.sourceRejected;
    return ApplicationFailure.create({ message, type, nonRetryable: !failure.retryable });
  }

  async function ingest(ref: ConnectorRunRef, items: RowMessage[]) {
    const counts = { stored: 0, duplicates: 0, rejected: 0 };
    const rejectedRows: ConnectorRun['rejectedRows'] = [];
    for (let start = 0; start < items.length; start += INGEST_CHUNK) {
      const chunk = items.slice(start, start + INGEST_CHUNK);
      const messages = chunk.map((item) => item.message);
      const results = await deps.ingestor.ingest(ref.workspaceId, messages, {
        source: 'connector',
      });
      results.forEach((result, index) => {
        if (result.status !== 'rejected') {
          counts[result.status === 'stored' ? 'stored' : 'duplicates'] += 1;
          return;
        }
        counts.rejected += 1;
        const { row, cursor } = chunk[index]!;
        const { code, message } = result;
        rejectedRows.push({ row, cursor, code, field: result.path.join('.'), message });
      });
    }
    return { counts, rejectedRows };
  }

  /**
   * Imports the rows after the stored cursor, then moves the cursor past them. The cursor moves
   * only once the page is stored; a retry after a crash in between reads the same rows again,
   * and their derived message ids make the second ingest store nothing new.
   */
  return async function pullPostgresPage(ref: ConnectorRunRef): Promise<ConnectorPageResult> {
    const doc = await deps.runLog.load(ref);
    if (!doc) {
      throw ApplicationFailure.nonRetryable(
        'the connector was deleted',
        NON_RETRYABLE.connectorMissing,
      );
    }
    let page: SourcePage;
    try {
      page = await readPage(doc.source, doc.cursor, timeouts);
    } catch (error) {
      throw await fail(ref, doc, classify(error));
    }
    const mapped = toMessages(doc, page.rows);
    let ingested: Awaited<ReturnType<typeof ingest>>;
    try {
      ingested = await ingest(ref, mapped.items);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw await fail(ref, doc, new SourceFailure('ingest_failed', message, true));
    }
    const { counts } = ingested;
    const rejected = mapped.rejected + counts.rejected;
    const last = page.rows.at(-1);
    const cursor = last
      ? { value: String(last[CURSOR_TEXT_COLUMN]), type: String(last[CURSOR_TYPE_COLUMN]) }
      : null;
    const recorded = await deps.runLog.recordPage(ref, doc, {
      cursor,
      rows: page.rows.length,
      stored: counts.stored,
      duplicates: counts.duplicates,
      rejected,
      rejectedRows: [...mapped.rejectedRows, ...ingested.rejectedRows],
    });
    if (!recorded) {
      deps.log.warn({ connectorId: ref.connectorId }, 'connector cursor moved by another run');
    }
    return {
      done: !recorded || !page.more,
      rows: page.rows.length,
      stored: counts.stored,
      duplicates: counts.duplicates,
      rejected,
    };
  };
}

/** The activities of a connector sync run, built from the run log, the ingestor and a logger. */
export function createConnectorActivities(deps: ConnectorActivityDeps): ConnectorActivities {
  return {
    async startConnectorRun(ref) {
      if (!(await deps.runLog.start(ref))) {
        throw ApplicationFailure.nonRetryable(
          'the connector was deleted',
          NON_RETRYABLE.connectorMissing,
        );
      }
    },
    pullPostgresPage: createPullPostgresPage(deps),
    async finishConnectorRun({ error, ...ref }) {
      await deps.runLog.finish(ref, error);
    },
  };
}
