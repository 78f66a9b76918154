// The audience runtime: tag and segment evaluation in real time, by sweep and in batch jobs.
import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';

import { audienceCollections, collections } from '@junction/core/store';

import type { Logger } from '../logger.js';
import { AudienceBackfills } from './backfills.js';
import { AudienceSchedules } from './audience-schedules.js';
import { DueQueue } from './due-queue.js';
import type { MembershipEventHook } from './membership-events.js';
import { AudienceWriter } from './profile-writer.js';
import { AudienceRefresher } from './refresher.js';
import { AudienceStateStore } from './state-store.js';
import { AudienceSweeper } from './sweeper.js';
import { audienceTaskQueue } from './temporal-names.js';

export { AudienceBackfills, type AudienceTarget } from './backfills.js';
export { addFilledBuckets, unsetCounterPaths, type BucketFill } from './counter-writes.js';
export {
  IngestAudience,
  type CountableEvent,
  type IngestAudienceRuntime,
} from './ingest-audience.js';
export {
  membershipEvents,
  membershipMessageId,
  SEGMENT_ENTERED,
  SEGMENT_EXITED,
} from './membership-events.js';
export { audienceProfile, EVALUATED_PROJECTION, type EvaluatedProfile } from './profile-changes.js';
export {
  addTotals,
  AudienceWriter,
  compileEvaluator,
  emptyTotals,
  readEvaluatedProfiles,
  type AudienceEvaluator,
  type EvaluationTotals,
} from './profile-writer.js';
export { AudienceRefresher } from './refresher.js';
export {
  AudienceStateStore,
  DEFAULT_TIME_ZONE,
  hasAudience,
  type LoadedAudience,
} from './state-store.js';
export { AudienceSweeper, type SweepTotals } from './sweeper.js';
export {
  AUDIENCE_TASK_QUEUE,
  audienceNightlyScheduleId,
  audienceSweepScheduleId,
  audienceTaskQueue,
} from './temporal-names.js';

export interface Audience {
  state: AudienceStateStore;
  refresher: AudienceRefresher;
  backfills: AudienceBackfills;
  sweeper: AudienceSweeper;
  /** Shared by batch jobs, so they write results exactly as refreshes do. */
  writer: AudienceWriter;
}

/** The audience runtime wired once per process; the API and the workers build the same one. */
export function createAudience(deps: {
  db: Db;
  temporal: Client;
  log: Logger;
  /** Enters and signals journeys on `segment entered/exited`; absent, nothing reacts. */
  journeys?: MembershipEventHook;
}): Audience {
  const db = { ...collections(deps.db), ...audienceCollections(deps.db) };
  const taskQueue = audienceTaskQueue();
  const state = new AudienceStateStore(db, new AudienceSchedules(deps.temporal, taskQueue));
  const due = new DueQueue(db.audienceDue);
  const writer = new AudienceWriter(db, due, deps.journeys);
  const refresher = new AudienceRefresher(db, state, writer);
  return {
    state,
    refresher,
    backfills: new AudienceBackfills(db, deps.temporal, taskQueue, deps.log),
    sweeper: new AudienceSweeper(db, due, refresher),
    writer,
  };
}
