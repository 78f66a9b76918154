export { journeyRun, type JourneyRunResult } from './journey-run.js';
export {
  currentPositionQuery,
  journeyControlSignal,
  journeyEventSignal,
  journeyMigrateSignal,
  type JourneyControlSignal,
  type JourneyEventSignal,
  type JourneyMigrateSignal,
  type JourneyPosition,
} from './journey-queries.js';
export type {
  JourneyActivities,
  MessageOutcome,
  MessageSend,
  RunProgress,
  RunRef,
  SplitEvaluation,
  WebhookCall,
  WebhookOutcome,
} from './activities.js';
export { NON_RETRYABLE } from './activities.js';
export { connectorSync, type ConnectorSyncResult } from './connector-sync.js';
export { audienceBackfill, type AudienceBackfillInput } from './audience-backfill.js';
export { audienceNightly, type AudienceNightlyInput } from './audience-nightly.js';
export { audienceSweep, type AudienceSweepInput } from './audience-sweep.js';
export {
  journeySchedule,
  type JourneyScheduleActivities,
  type JourneyScheduleInput,
  type JourneyScheduleTotals,
  type ScheduledPage,
} from './journey-schedule.js';
export type {
  AudienceActivities,
  AudienceEvaluationTotals,
  AudienceJobRef,
  AudienceSweepTotals,
} from './activities.js';
