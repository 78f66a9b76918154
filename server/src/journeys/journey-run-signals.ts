import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Collection, Filter } from 'mongodb';

import type { JourneyRunDoc } from '@junction/core/store';
import {
  journeyControlSignal,
  journeyMigrateSignal,
  type JourneyControlSignal,
} from '@junction/workflows/journey-queries';

import type { Logger } from '../logger.js';

/** How many runs were told, and how many had already ended in Temporal. */
export interface SignalReport {
  signalled: number;
  gone: number;
}

/** Signals sent at once; enough to be quick, few enough not to flood the Temporal frontend. */
const CONCURRENCY = 20;

/**
 * Tells a journey's active runs (found through `journey_runs`) that the journey was paused,
 * resumed or stopped, or that they should move to a newer version.
 * TODO(journeys): a journey with hundreds of thousands of waiting people makes these calls
 * outlast an HTTP request; hand the fan-out to a workflow (or a Temporal batch operation).
 */
export class JourneyRunSignals {
  constructor(
    private readonly runs: Collection<JourneyRunDoc>,
    private readonly temporal: Client,
    private readonly log: Logger,
  ) {}

  async control(
    workspaceId: string,
    journeyId: string,
    action: JourneyControlSignal['action'],
  ): Promise<SignalReport> {
    const ids = await this.activeRuns({ workspaceId, journeyId, status: 'active' });
    return this.send(ids, (handle) => handle.signal(journeyControlSignal, { v: 1, action }));
  }

  /** Signals the active runs on versions older than `toVersion` to move to it. */
  async migrate(workspaceId: string, journeyId: string, toVersion: number): Promise<SignalReport> {
    const ids = await this.activeRuns({
      workspaceId,
      journeyId,
      status: 'active',
      version: { $lt: toVersion },
    });
    return this.send(ids, (handle) => handle.signal(journeyMigrateSignal, { v: 1, toVersion }));
  }

  private async activeRuns(filter: Filter<JourneyRunDoc>): Promise<string[]> {
    const docs = await this.runs.find(filter, { projection: { _id: 1 } }).toArray();
    return docs.map((doc) => doc._id);
  }

  private async send(
    runIds: string[],
    signal: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>,
  ): Promise<SignalReport> {
    const report: SignalReport = { signalled: 0, gone: 0 };
    for (let start = 0; start < runIds.length; start += CONCURRENCY) {
      const batch = runIds.slice(start, start + CONCURRENCY);
      await Promise.all(
        batch.map(async (runId) => {
          try {
            await signal(this.temporal.workflow.getHandle(runId));
            report.signalled++;
          } catch (error) {
            // The run ended before its document said so; there is nothing left to tell.
            if (!(error instanceof WorkflowNotFoundError)) throw error;
            report.gone++;
            this.log.debug({ runId }, 'journey run already ended');
          }
        }),
      );
    }
    return report;
  }
}
