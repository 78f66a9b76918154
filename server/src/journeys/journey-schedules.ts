import {
  MONTHS,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type CalendarSpec,
  type Client,
  type DayOfWeek,
  type ScheduleSpec,
} from '@temporalio/client';

import type { ScheduleTrigger, Weekday } from '@junction/core';
import type { AudienceCollections, Collections } from '@junction/core/store';
import type { JourneyScheduleInput, journeySchedule } from '@junction/workflows';

import { DEFAULT_TIME_ZONE } from '../audience/state-store.js';
import type { Logger } from '../logger.js';
import type { JourneyChangeListener } from './journey-entries.js';
import { journeyTaskQueue } from './task-queue.js';
import { entryTrigger, type LiveJourneys } from './triggers-cache.js';

/** The Temporal schedule of a journey whose entry trigger is a schedule. */
export function journeyScheduleId(journeyId: string): string {
  return `journey-schedule-${journeyId}`;
}

/**
 * The zone where a local time of day comes first (UTC+14): a schedule on each person's clock
 * fires there, and every person's run waits for the same time on their own clock.
 */
export const EARLIEST_TIME_ZONE = 'Etc/GMT-14';

const DAY_OF_WEEK: Record<Weekday, DayOfWeek> = {
  mon: 'MONDAY',
  tue: 'TUESDAY',
  wed: 'WEDNESDAY',
  thu: 'THURSDAY',
  fri: 'FRIDAY',
  sat: 'SATURDAY',
  sun: 'SUNDAY',
};

/** When a schedule trigger fires, in Temporal's terms. */
export function scheduleSpec(trigger: ScheduleTrigger, workspaceTimeZone: string): ScheduleSpec {
  const { timing } = trigger;
  if (timing.type === 'once') {
    const at = new Date(timing.at);
    const calendar: CalendarSpec = {
      year: at.getUTCFullYear(),
      month: MONTHS[at.getUTCMonth()]!,
      dayOfMonth: at.getUTCDate(),
      hour: at.getUTCHours(),
      minute: at.getUTCMinutes(),
      second: at.getUTCSeconds(),
    };
    return { calendars: [calendar], timezone: 'UTC' };
  }
  const [hour, minute] = timing.time.split(':').map(Number) as [number, number];
  if (trigger.clock === 'person') {
    // Daily: each person's weekday is checked on their own clock when the fire enters them.
    return { calendars: [{ hour, minute }], timezone: EARLIEST_TIME_ZONE };
  }
  const dayOfWeek = timing.weekdays?.map((day) => DAY_OF_WEEK[day]);
  return {
    calendars: [{ hour, minute, ...(dayOfWeek ? { dayOfWeek } : {}) }],
    timezone: workspaceTimeZone,
  };
}

/**
 * Keeps each scheduled journey's Temporal schedule in line with the journey: created or updated
 * when a version with a schedule trigger goes live, paused with the journey, deleted when the
 * journey stops or its live version has another trigger.
 */
export class JourneySchedules implements JourneyChangeListener {
  constructor(
    private readonly db: Pick<Collections, 'journeys'> & Pick<AudienceCollections, 'audienceState'>,
    private readonly temporal: Client,
    private readonly live: LiveJourneys,
    private readonly log: Logger,
  ) {}

  async journeyChanged(workspaceId: string, journeyId: string): Promise<void> {
    const journey = await this.db.journeys.findOne(
      { _id: journeyId, workspaceId },
      { projection: { status: 1, liveVersion: 1 } },
    );
    const live = journey?.liveVersion
      ? await this.live.definition(journeyId, journey.liveVersion)
      : null;
    const trigger = live && entryTrigger(live);
    const scheduled = journey?.status === 'live' || journey?.status === 'paused';
    if (!scheduled || trigger?.kind !== 'schedule') return this.remove(journeyId);
    await this.save(workspaceId, journeyId, trigger, journey?.status === 'paused');
  }

  async pause(journeyId: string): Promise<void> {
    await this.ifExists(() =>
      this.temporal.schedule.getHandle(journeyScheduleId(journeyId)).pause(),
    );
  }

  async remove(journeyId: string): Promise<void> {
    await this.ifExists(() =>
      this.temporal.schedule.getHandle(journeyScheduleId(journeyId)).delete(),
    );
  }

  private async save(
    workspaceId: string,
    journeyId: string,
    trigger: ScheduleTrigger,
    paused: boolean,
  ): Promise<void> {
    const spec = scheduleSpec(trigger, await this.timeZone(workspaceId));
    const input: JourneyScheduleInput = { v: 1, workspaceId, journeyId };
    const action = {
      type: 'startWorkflow' as const,
      workflowType: 'journeySchedule',
      workflowId: `journey-schedule:${workspaceId}:${journeyId}`,
      taskQueue: journeyTaskQueue(),
      args: [input] as Parameters<typeof journeySchedule>,
    };
    const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' };
    const scheduleId = journeyScheduleId(journeyId);
    try {
      await this.temporal.schedule.create({
        scheduleId,
        spec,
        action,
        policies,
        state: { paused },
      });
      this.log.info({ workspaceId, journeyId, scheduleId }, 'journey schedule created');
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      const handle = this.temporal.schedule.getHandle(scheduleId);
      await handle.update((previous) => ({
        ...previous,
        spec,
        action,
        policies,
        state: { paused },
      }));
      this.log.info({ workspaceId, journeyId, scheduleId, paused }, 'journey schedule updated');
    }
  }

  private async timeZone(workspaceId: string): Promise<string> {
    // TODO(journeys): a later change of the workspace's time zone leaves the schedules of
    // workspace-clock journeys on the old zone until their journey is published again.
    const state = await this.db.audienceState.findOne(
      { _id: workspaceId },
      { projection: { timeZone: 1 } },
    );
    return state?.timeZone ?? DEFAULT_TIME_ZONE;
  }

  private async ifExists(operation: () => Promise<void>): Promise<void> {
    try {
      await operation();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }
}
