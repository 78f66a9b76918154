import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleSpec,
} from '@temporalio/client';

import {
  connectorScheduleId,
  connectorSyncWorkflowId,
  durationToMs,
  type ConnectorSchedule,
  type ConnectorSyncInput,
} from '@junction/core';
import type { ConnectorDoc } from '@junction/core/store';

import { HttpError } from '../http/errors.js';

function specOf(schedule: ConnectorSchedule): ScheduleSpec {
  if (schedule.type === 'interval') return { intervals: [{ every: durationToMs(schedule.every) }] };
  return {
    cronExpressions: [schedule.expression],
    ...(schedule.timeZone && { timezone: schedule.timeZone }),
  };
}

/** Temporal refused the schedule itself (e.g. a cron it cannot read): the client's mistake. */
function scheduleError(error: unknown): HttpError {
  if (error instanceof TypeError) {
    return new HttpError(400, 'invalid_request', 'the schedule is not valid', [
      { code: 'invalid_schedule', path: ['schedule'], message: error.message },
    ]);
  }
  return new HttpError(503, 'temporal_unavailable', 'the schedule could not be saved; retry', [], {
    cause: error,
  });
}

/**
 * Each connector's Temporal Schedule, which starts its `connectorSync` runs. A run still going
 * when the next is due is skipped, never run twice at once.
 */
export class ConnectorSchedules {
  constructor(
    private readonly temporal: Client,
    private readonly taskQueue: string,
  ) {}

  async create(doc: ConnectorDoc): Promise<void> {
    const input: ConnectorSyncInput = { v: 1, workspaceId: doc.workspaceId, connectorId: doc._id };
    try {
      await this.temporal.schedule.create({
        scheduleId: connectorScheduleId(doc.workspaceId, doc._id),
        spec: specOf(doc.schedule),
        action: {
          type: 'startWorkflow',
          workflowType: 'connectorSync',
          workflowId: connectorSyncWorkflowId(doc.workspaceId, doc._id),
          taskQueue: this.taskQueue,
          args: [input],
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
        state: { paused: doc.status === 'paused' },
      });
    } catch (error) {
      throw scheduleError(error);
    }
  }

  /** Starts a run now, unless one is already going. */
  async trigger(workspaceId: string, connectorId: string): Promise<void> {
    await this.handle(workspaceId, connectorId).trigger(ScheduleOverlapPolicy.SKIP);
  }

  async pause(workspaceId: string, connectorId: string): Promise<void> {
    await this.handle(workspaceId, connectorId).pause('paused through the API');
  }

  async resume(workspaceId: string, connectorId: string): Promise<void> {
    await this.handle(workspaceId, connectorId).unpause('resumed through the API');
  }

  /** Deletes the schedule; one already gone is fine. Runs in progress finish on their own. */
  async delete(workspaceId: string, connectorId: string): Promise<void> {
    try {
      await this.handle(workspaceId, connectorId).delete();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }

  private handle(workspaceId: string, connectorId: string) {
    return this.temporal.schedule.getHandle(connectorScheduleId(workspaceId, connectorId));
  }
}
