export { journeyRun, type JourneyRunResult } from './journey-run.js';
export { currentPositionQuery, type JourneyPosition } from './journey-queries.js';
export type { JourneyActivities, WebhookCall, WebhookOutcome } from './activities.js';
export { NON_RETRYABLE } from './activities.js';
export { connectorSync, type ConnectorSyncResult } from './connector-sync.js';
