import { JOURNEY_TASK_QUEUE } from '@junction/core';

/**
 * The queue journey runs and schedule fires go to: `JUNCTION_JOURNEY_TASK_QUEUE`, or the
 * default. The API (which starts runs) and the worker (which polls) must agree, so both read it
 * here; separate stacks sharing one Temporal namespace keep apart by setting it.
 */
export function journeyTaskQueue(env: NodeJS.ProcessEnv = process.env): string {
  return env.JUNCTION_JOURNEY_TASK_QUEUE?.trim() || JOURNEY_TASK_QUEUE;
}
