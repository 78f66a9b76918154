import { CONNECTOR_TASK_QUEUE } from '@junction/core';

/**
 * The task queue connector runs go to: `JUNCTION_CONNECTOR_TASK_QUEUE`, or the default. The API
 * (which creates schedules) and the worker (which polls) must agree, so both read it here.
 */
export function connectorTaskQueue(env: NodeJS.ProcessEnv = process.env): string {
  return env.JUNCTION_CONNECTOR_TASK_QUEUE?.trim() || CONNECTOR_TASK_QUEUE;
}
