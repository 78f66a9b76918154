import { ActivityFailure, log, proxyActivities, workflowInfo } from '@temporalio/workflow';

import type { ConnectorPageResult, ConnectorSyncInput } from '@junction/core';

import { NON_RETRYABLE, type ConnectorActivities } from './activities.js';

const { startConnectorRun, finishConnectorRun } = proxyActivities<ConnectorActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds', maximumAttempts: 10 },
});

// An unreachable source is retried a few times within the run, then the run fails and the
// schedule's next run tries again: no tight loop against a database that is down.
const { pullPostgresPage } = proxyActivities<ConnectorActivities>({
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 4,
    nonRetryableErrorTypes: [NON_RETRYABLE.connectorMissing, NON_RETRYABLE.sourceRejected],
  },
});

/** Pages one run may import; a source with more rows continues on the next run. */
const MAX_PAGES_PER_RUN = 1_000;

export type ConnectorSyncResult = Omit<ConnectorPageResult, 'done'> & {
  pages: number;
  done: boolean;
};

/**
 * One sync run of a database connector, started by its Temporal Schedule: pulls pages after
 * the stored cursor until the source has no newer rows. Every page is stored before the cursor
 * moves, so a run that dies part-way resumes from the last stored page.
 */
export async function connectorSync(input: ConnectorSyncInput): Promise<ConnectorSyncResult> {
  const run = {
    workspaceId: input.workspaceId,
    connectorId: input.connectorId,
    runId: workflowInfo().runId,
  };
  const totals: ConnectorSyncResult = {
    pages: 0,
    rows: 0,
    stored: 0,
    duplicates: 0,
    rejected: 0,
    done: false,
  };
  await startConnectorRun(run);
  try {
    while (!totals.done && totals.pages < MAX_PAGES_PER_RUN) {
      const page = await pullPostgresPage(run);
      totals.pages += 1;
      totals.rows += page.rows;
      totals.stored += page.stored;
      totals.duplicates += page.duplicates;
      totals.rejected += page.rejected;
      totals.done = page.done;
    }
  } catch (error) {
    await finishConnectorRun({ ...run, error: failureMessage(error) });
    throw error;
  }
  await finishConnectorRun({ ...run, error: null });
  log.info('connector sync finished', { connectorId: input.connectorId, ...totals });
  return totals;
}

function failureMessage(error: unknown): string {
  const failure = error instanceof ActivityFailure && error.cause ? error.cause : error;
  return failure instanceof Error ? failure.message : String(failure);
}
