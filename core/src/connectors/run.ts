/** Temporal task queue that connector workers poll, unless a deployment names another. */
export const CONNECTOR_TASK_QUEUE = 'junction-connectors';

/** One Temporal Schedule per connector; its id is derived, so the API never stores it. */
export function connectorScheduleId(workspaceId: string, connectorId: string): string {
  return `connector:${workspaceId}:${connectorId}`;
}

/** Base id of a connector's sync runs; Temporal appends each scheduled start's time. */
export function connectorSyncWorkflowId(workspaceId: string, connectorId: string): string {
  return `connector-sync:${workspaceId}:${connectorId}`;
}

/** Input of the `connectorSync` workflow. `v` versions the shape for running workflows. */
export interface ConnectorSyncInput {
  v: 1;
  workspaceId: string;
  connectorId: string;
}

/** One sync run of one connector: the workflow's input plus its Temporal run id. */
export interface ConnectorRunRef {
  workspaceId: string;
  connectorId: string;
  runId: string;
}

/** What one page pull did; `done` is true when the source had no more rows after the cursor. */
export interface ConnectorPageResult {
  done: boolean;
  rows: number;
  stored: number;
  duplicates: number;
  rejected: number;
}
