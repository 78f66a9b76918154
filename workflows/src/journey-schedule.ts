import { continueAsNew, log, proxyActivities, workflowInfo } from '@temporalio/workflow';

/** Input of `journeySchedule`, started by a journey's schedule (`journey-schedule-<id>`). */
export interface JourneyScheduleInput {
  v: 1;
  workspaceId: string;
  journeyId: string;
  /** Set by continue-as-new: the fire being worked through and where it got to. */
  resume?: { fireTime: string; after: string | null; totals: JourneyScheduleTotals };
}

export interface JourneyScheduleTotals {
  considered: number;
  entered: number;
  refused: number;
}

/** One page of the scheduled audience entered; `next` is where the next page starts. */
export interface ScheduledPage extends JourneyScheduleTotals {
  next: string | null;
}

/** The activity a schedule fire calls, page after page. */
export interface JourneyScheduleActivities {
  /**
   * Enters the next page of the journey's scheduled audience (the segment's members, or every
   * live profile), in profile id order after `after`, each with entry id
   * `schedule:<fireTime>:<profileId>` so that a retried page enters nobody twice.
   */
  enterScheduledPage(input: {
    workspaceId: string;
    journeyId: string;
    fireTime: string;
    after: string | null;
  }): Promise<ScheduledPage>;
}

const { enterScheduledPage } = proxyActivities<JourneyScheduleActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 20 },
});

// Keeps a fire over a large audience well inside one history's limits.
const PAGES_PER_RUN = 500;

/**
 * One fire of a scheduled journey: enters its audience page by page. The fire time is the
 * schedule's, so every page (and a continued run) names the same entries.
 */
export async function journeySchedule(input: JourneyScheduleInput): Promise<JourneyScheduleTotals> {
  const { workspaceId, journeyId } = input;
  const fireTime = input.resume?.fireTime ?? scheduledTime();
  const totals = input.resume?.totals ?? { considered: 0, entered: 0, refused: 0 };
  let after = input.resume?.after ?? null;
  for (let page = 0; page < PAGES_PER_RUN; page++) {
    const result = await enterScheduledPage({ workspaceId, journeyId, fireTime, after });
    totals.considered += result.considered;
    totals.entered += result.entered;
    totals.refused += result.refused;
    if (result.next === null) {
      log.info('journey schedule fired', { workspaceId, journeyId, fireTime, ...totals });
      return totals;
    }
    after = result.next;
  }
  return continueAsNew<typeof journeySchedule>({
    ...input,
    resume: { fireTime, after, totals },
  });
}

/** When the schedule meant this fire to happen; the start time for a run started by hand. */
function scheduledTime(): string {
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes
    .getAll()
    .find((pair) => pair.key.name === 'TemporalScheduledStartTime')?.value;
  const at = scheduled instanceof Date ? scheduled : info.startTime;
  return at.toISOString();
}
