/** Temporal task queue that journey workers poll. */
export const JOURNEY_TASK_QUEUE = 'junction-journeys';

/**
 * The workflow id of a run: one per (journey, person) at a time, so a repeated trigger cannot
 * start a second concurrent run. Journeys whose re-entry policy is `always` run each entry on
 * its own, so their ids add the entry id.
 */
export function journeyRunWorkflowId(
  workspaceId: string,
  journeyId: string,
  profileId: string,
  entryId?: string,
): string {
  const base = `journey:${workspaceId}:${journeyId}:${profileId}`;
  return entryId === undefined ? base : `${base}:${entryId}`;
}

/** Search attributes every journey run carries, registered on the Temporal namespace. */
export const JOURNEY_SEARCH_ATTRIBUTES = {
  workspaceId: 'JunctionWorkspaceId',
  journeyId: 'JunctionJourneyId',
  journeyVersion: 'JunctionJourneyVersion',
  profileId: 'JunctionProfileId',
  /** The node the person is at now; upserted as the run moves, for "who is stuck where". */
  nodeId: 'JunctionNodeId',
} as const;

export type EntryKind = 'event' | 'segment' | 'schedule' | 'api' | 'jump';

/** Input of the `journeyRun` workflow. `v` versions the shape for running workflows. */
export interface JourneyRunInput {
  v: 2;
  workspaceId: string;
  journeyId: string;
  version: number;
  profileId: string;
  /**
   * Unique per entry and stable across retries of it: the entering event's stored id
   * (`workspace:messageId`), `api:<requestId>`, `schedule:<fireTime>:<profile>`, `jump:<key>`.
   */
  entryId: string;
  entry: {
    kind: EntryKind;
    /** The stored event that entered the person, when an event did. */
    eventId?: string;
    /** ISO instant of the entry. */
    at: string;
    /** ISO instant before which the run does nothing (a schedule on the person's clock). */
    notBefore?: string;
  };
}

/** The first input shape, still accepted so runs started before v2 keep going. */
export interface JourneyRunInputV1 {
  v: 1;
  workspaceId: string;
  journeyId: string;
  version: number;
  profileId: string;
  entryEventId: string;
}

/**
 * Idempotency key of one side effect: the run (workflow id), the entry (one workflow id serves
 * a person's successive entries), the node and which visit of that node this is, so a loop that
 * comes back to a node and a later entry send again while a retry never does.
 */
export function sideEffectKey(
  run: { runId: string; entryId: string },
  nodeId: string,
  visit: number,
): string {
  return `${run.runId}:${run.entryId}:${nodeId}:${visit}`;
}
