import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
  type ScheduleSpec,
} from '@temporalio/client';

import type { AudienceNightlyInput, AudienceSweepInput } from '@junction/workflows';

import { HttpError } from '../http/errors.js';
import {
  audienceNightlyScheduleId,
  audienceNightlyWorkflowId,
  audienceSweepScheduleId,
  audienceSweepWorkflowId,
} from './temporal-names.js';

function nightlySpec(timeZone: string): ScheduleSpec {
  return { calendars: [{ hour: 2, minute: 0, comment: 'T+1 audience run' }], timezone: timeZone };
}

const SWEEP_SPEC: ScheduleSpec = { intervals: [{ every: '5 minutes' }] };

/**
 * The two schedules each workspace with an audience has: the nightly run at 02:00 in its time
 * zone, and the sweep every five minutes. Saved once per process and time zone; a schedule
 * that exists is left alone, or moved to the new time zone.
 */
export class AudienceSchedules {
  private readonly ensured = new Map<string, string>();

  constructor(
    private readonly temporal: Client,
    private readonly taskQueue: string,
  ) {}

  async ensure(workspaceId: string, timeZone: string): Promise<void> {
    if (this.ensured.get(workspaceId) === timeZone) return;
    try {
      await this.ensureNightly(workspaceId, timeZone);
      await this.ensureSweep(workspaceId);
    } catch (error) {
      const message = 'the nightly and sweep schedules could not be saved; retry';
      throw new HttpError(503, 'audience_schedules_unavailable', message, undefined, {
        cause: error,
      });
    }
    this.ensured.set(workspaceId, timeZone);
  }

  private async ensureNightly(workspaceId: string, timeZone: string): Promise<void> {
    const handle = this.temporal.schedule.getHandle(audienceNightlyScheduleId(workspaceId));
    try {
      const description = await handle.describe();
      if (description.spec.timezone === timeZone) return;
      await handle.update((previous) => ({ ...previous, spec: nightlySpec(timeZone) }));
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
      const input: AudienceNightlyInput = { v: 1, workspaceId };
      await this.create({
        scheduleId: audienceNightlyScheduleId(workspaceId),
        spec: nightlySpec(timeZone),
        action: {
          type: 'startWorkflow',
          workflowType: 'audienceNightly',
          workflowId: audienceNightlyWorkflowId(workspaceId),
          taskQueue: this.taskQueue,
          args: [input],
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
      });
    }
  }

  private async ensureSweep(workspaceId: string): Promise<void> {
    const input: AudienceSweepInput = { v: 1, workspaceId };
    await this.create({
      scheduleId: audienceSweepScheduleId(workspaceId),
      spec: SWEEP_SPEC,
      action: {
        type: 'startWorkflow',
        workflowType: 'audienceSweep',
        workflowId: audienceSweepWorkflowId(workspaceId),
        taskQueue: this.taskQueue,
        args: [input],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    });
  }

  /** Creates a schedule; one another process created first is just as good. */
  private async create(options: ScheduleOptions): Promise<void> {
    try {
      await this.temporal.schedule.create(options);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
  }
}
