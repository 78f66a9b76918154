import type { Collection, Filter } from 'mongodb';

import type { ConnectorRunRef } from '@junction/core';
import {
  CONNECTOR_RUN_HISTORY,
  type ConnectorCursor,
  type ConnectorDoc,
  type ConnectorError,
  type ConnectorRun,
} from '@junction/core/store';

/** Rows the mapping refused that a run keeps as examples; the count covers the rest. */
const MAX_REJECTED_EXAMPLES = 20;

export interface PageRecord {
  /** The cursor after the page, or null when the page was empty. */
  cursor: ConnectorCursor | null;
  rows: number;
  stored: number;
  duplicates: number;
  rejected: number;
  rejectedRows: ConnectorRun['rejectedRows'];
}

function byRef(ref: ConnectorRunRef): Filter<ConnectorDoc> {
  return { _id: ref.connectorId, workspaceId: ref.workspaceId };
}

/**
 * A connector's run history, written by the worker as a sync run goes: one document update per
 * step, each safe to repeat when Temporal retries the activity that made it.
 */
export class ConnectorRunLog {
  constructor(private readonly connectors: Collection<ConnectorDoc>) {}

  /** The connector a run works for, or null when it was deleted. */
  load(ref: ConnectorRunRef): Promise<ConnectorDoc | null> {
    return this.connectors.findOne(byRef(ref));
  }

  /** Opens the run; false when the connector is gone. A retried start changes nothing. */
  async start(ref: ConnectorRunRef): Promise<boolean> {
    const doc = await this.load(ref);
    if (!doc) return false;
    if (doc.lastRun?.runId === ref.runId) return true;
    const now = new Date();
    const run: ConnectorRun = {
      runId: ref.runId,
      status: 'running',
      startedAt: now,
      finishedAt: null,
      cursorBefore: doc.cursor?.value ?? null,
      cursorAfter: doc.cursor?.value ?? null,
      pages: 0,
      rows: 0,
      stored: 0,
      duplicates: 0,
      rejected: 0,
      error: null,
      rejectedRows: [],
    };
    // A run that never finished (its workflow was terminated) goes to the history as failed.
    const abandoned: ConnectorRun | null =
      doc.lastRun?.status === 'running'
        ? { ...doc.lastRun, status: 'failed', finishedAt: now, error: 'the run did not finish' }
        : null;
    const runs = abandoned ? [abandoned, ...doc.runs] : doc.runs;
    await this.connectors.updateOne(byRef(ref), {
      $set: { lastRun: run, runs: runs.slice(0, CONNECTOR_RUN_HISTORY), updatedAt: now },
    });
    return true;
  }

  /**
   * Counts a stored page and moves the cursor, only if the cursor is still where this page
   * started from. False when it was not: another run moved it, and this run should stop.
   */
  async recordPage(ref: ConnectorRunRef, doc: ConnectorDoc, page: PageRecord): Promise<boolean> {
    const filter: Filter<ConnectorDoc> = {
      ...byRef(ref),
      'lastRun.runId': ref.runId,
      ...(doc.cursor ? { 'cursor.value': doc.cursor.value } : { cursor: null }),
    };
    const examples = [...(doc.lastRun?.rejectedRows ?? []), ...page.rejectedRows];
    const set: Record<string, unknown> = {
      'lastRun.rejectedRows': examples.slice(0, MAX_REJECTED_EXAMPLES),
      updatedAt: new Date(),
    };
    if (page.cursor) {
      set.cursor = page.cursor;
      set['lastRun.cursorAfter'] = page.cursor.value;
    }
    const inc: Record<string, number> = { 'lastRun.pages': 1 };
    for (const name of ['rows', 'stored', 'duplicates', 'rejected'] as const) {
      inc[`lastRun.${name}`] = page[name];
      inc[`totals.${name}`] = page[name];
    }
    const result = await this.connectors.updateOne(filter, { $set: set, $inc: inc });
    return result.matchedCount === 1;
  }

  async recordError(ref: ConnectorRunRef, error: ConnectorError): Promise<void> {
    await this.connectors.updateOne(byRef(ref), {
      $set: { lastError: error, updatedAt: new Date() },
    });
  }

  /** Closes the run and files it in the bounded history; a repeated finish changes nothing. */
  async finish(ref: ConnectorRunRef, error: string | null): Promise<void> {
    const doc = await this.load(ref);
    if (!doc?.lastRun || doc.lastRun.runId !== ref.runId || doc.lastRun.status !== 'running')
      return;
    const now = new Date();
    const run: ConnectorRun = {
      ...doc.lastRun,
      status: error ? 'failed' : 'succeeded',
      finishedAt: now,
      error,
    };
    await this.connectors.updateOne(
      { ...byRef(ref), 'lastRun.runId': ref.runId, 'lastRun.status': 'running' },
      {
        $set: {
          lastRun: run,
          runs: [run, ...doc.runs].slice(0, CONNECTOR_RUN_HISTORY),
          updatedAt: now,
        },
        $inc: { 'totals.runs': 1 },
      },
    );
  }
}
