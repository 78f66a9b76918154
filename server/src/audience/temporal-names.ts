/** Temporal task queue that audience jobs (backfills, nightly runs, sweeps) run on. */
export const AUDIENCE_TASK_QUEUE = 'junction-audience';

/**
 * The queue audience jobs go to: `JUNCTION_AUDIENCE_TASK_QUEUE`, or the default. The API (which
 * starts jobs and creates schedules) and the worker (which polls) must agree, so both read it here.
 */
export function audienceTaskQueue(env: NodeJS.ProcessEnv = process.env): string {
  return env.JUNCTION_AUDIENCE_TASK_QUEUE?.trim() || AUDIENCE_TASK_QUEUE;
}

export function audienceNightlyScheduleId(workspaceId: string): string {
  return `audience-nightly-${workspaceId}`;
}

export function audienceSweepScheduleId(workspaceId: string): string {
  return `audience-sweep-${workspaceId}`;
}

/** One workflow per job, so starting the same job twice is refused by Temporal. */
export function audienceBackfillWorkflowId(workspaceId: string, jobId: string): string {
  return `audience-backfill:${workspaceId}:${jobId}`;
}

/** Base id of scheduled runs; Temporal appends each scheduled start's time. */
export function audienceNightlyWorkflowId(workspaceId: string): string {
  return `audience-nightly:${workspaceId}`;
}

export function audienceSweepWorkflowId(workspaceId: string): string {
  return `audience-sweep:${workspaceId}`;
}
