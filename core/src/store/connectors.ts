import type { Collection, Db } from 'mongodb';

import type { PostgresSource } from '../connectors/postgres-source.js';
import type { ConnectorSchedule } from '../connectors/schedule.js';
import type { ImportMapping } from '../imports/mapping.js';

/**
 * The last cursor value imported, in PostgreSQL's own text form, with the column's type (as
 * `pg_typeof` names it). The value goes back to PostgreSQL as text and is compared there in the
 * column's type, so numbers, timestamps and text keep their own ordering.
 */
export interface ConnectorCursor {
  value: string;
  type: string;
}

/** What went wrong, with what was being done; the connection password never appears. */
export interface ConnectorError {
  code: string;
  message: string;
  at: Date;
  runId: string;
  attempt: number;
  context: { host: string; database: string; cursor: string | null; pageSize: number };
}

export interface ConnectorRunCounts {
  pages: number;
  rows: number;
  stored: number;
  duplicates: number;
  rejected: number;
}

/** One sync run; `runId` is the Temporal run id of its `connectorSync` workflow. */
export interface ConnectorRun extends ConnectorRunCounts {
  runId: string;
  status: 'running' | 'succeeded' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  cursorBefore: string | null;
  cursorAfter: string | null;
  error: string | null;
  /** Up to a few rows the mapping refused, with why. */
  rejectedRows: { row: number; cursor: string; code: string; field: string; message: string }[];
}

/** `_id` is a new id; the Temporal Schedule id is derived from it (`connectorScheduleId`). */
export interface ConnectorDoc {
  _id: string;
  workspaceId: string;
  name: string;
  source: PostgresSource;
  mapping: ImportMapping;
  schedule: ConnectorSchedule;
  status: 'active' | 'paused';
  cursor: ConnectorCursor | null;
  /** Totals over every run. */
  totals: Omit<ConnectorRunCounts, 'pages'> & { runs: number };
  /** The run in progress or the latest one; `runs` keeps finished runs, newest first. */
  lastRun: ConnectorRun | null;
  runs: ConnectorRun[];
  lastError: ConnectorError | null;
  createdAt: Date;
  updatedAt: Date;
}

/** How many finished runs a connector keeps. */
export const CONNECTOR_RUN_HISTORY = 20;

export function connectorCollection(db: Db): Collection<ConnectorDoc> {
  return db.collection('connectors');
}
