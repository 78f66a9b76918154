/** Temporal task queue that journey workers poll. */
export const JOURNEY_TASK_QUEUE = 'junction-journeys';

/**
 * One run per (journey, person) at a time: the workflow id is derived from both, so a repeated
 * trigger cannot start a second concurrent run.
 */
export function journeyRunWorkflowId(
  workspaceId: string,
  journeyId: string,
  profileId: string,
): string {
  return `journey:${workspaceId}:${journeyId}:${profileId}`;
}

/** Search attributes every journey run carries, registered on the Temporal namespace. */
export const JOURNEY_SEARCH_ATTRIBUTES = {
  workspaceId: 'JunctionWorkspaceId',
  journeyId: 'JunctionJourneyId',
  journeyVersion: 'JunctionJourneyVersion',
  profileId: 'JunctionProfileId',
} as const;

/** Input of the `journeyRun` workflow. `v` versions the shape for running workflows. */
export interface JourneyRunInput {
  v: 1;
  workspaceId: string;
  journeyId: string;
  version: number;
  profileId: string;
  /** The event that entered the person, as stored (`workspace:messageId`). */
  entryEventId: string;
}

/** Idempotency key of one node's side effect in one run. */
export function sideEffectKey(input: JourneyRunInput, nodeId: string): string {
  return `${input.journeyId}:v${input.version}:${input.profileId}:${input.entryEventId}:${nodeId}`;
}
