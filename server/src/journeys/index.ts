// Journey entry for every process: triggers, re-entry rules, event delivery and schedules.
import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';

import { audienceCollections, collections, journeyCollections } from '@junction/core/store';

import type { Logger } from '../logger.js';
import { EventRouting } from './event-routing.js';
import { JourneyEntries } from './journey-entries.js';
import { JourneySchedules } from './journey-schedules.js';
import { LiveJourneys } from './triggers-cache.js';
import { JourneyTriggers } from './triggers.js';

export { EventRouting, type RoutedEvent } from './event-routing.js';
export {
  JourneyEntries,
  type EntryRefusal,
  type EntryRequest,
  type EntryResult,
  type JourneyChangeListener,
} from './journey-entries.js';
export {
  EARLIEST_TIME_ZONE,
  JourneySchedules,
  journeyScheduleId,
  scheduleSpec,
} from './journey-schedules.js';
export { entryTrigger, LiveJourneys } from './triggers-cache.js';
export { JourneyTriggers, type TriggeringEvent } from './triggers.js';
export { journeyTaskQueue } from './task-queue.js';
export type { NodeStats } from './journey-reports.js';

export interface Journeys {
  /** Enters people; `invalidate` / `journeyChanged` after lifecycle changes. */
  entries: JourneyEntries;
  /** Ingestion's and segment membership's side: flags, entries and event delivery. */
  triggers: JourneyTriggers;
  schedules: JourneySchedules;
  /** Cached definitions and triggers, shared by the parts above. */
  live: LiveJourneys;
}

/** Journey entry wired once per process; the API and the workers build the same one. */
export function createJourneys(deps: { db: Db; temporal: Client; log: Logger }): Journeys {
  const db = {
    ...collections(deps.db),
    ...journeyCollections(deps.db),
    ...audienceCollections(deps.db),
  };
  const live = new LiveJourneys(db);
  const schedules = new JourneySchedules(db, deps.temporal, live, deps.log);
  const entries = new JourneyEntries(db, deps.temporal, live, deps.log, [schedules]);
  const routing = new EventRouting(db, deps.temporal, live, deps.log);
  const triggers = new JourneyTriggers(db, live, entries, routing, deps.log);
  return { entries, triggers, schedules, live };
}
