import type { Client } from '@temporalio/client';
import type { Router } from 'express';
import type { Db } from 'mongodb';

import { collections, journeyCollections } from '@junction/core/store';

import type { Logger } from '../logger.js';
import type { ProfileReader } from '../profiles/profile-reader.js';
import { JourneyLifecycle, type EntryGate } from './journey-lifecycle.js';
import { JourneyReferenceLoader } from './journey-references.js';
import { JourneyReports } from './journey-reports.js';
import { JourneyRunSignals } from './journey-run-signals.js';
import { JourneyStore } from './journey-store.js';
import { profileJourneyRoutes } from './report-routes.js';
import { journeyRoutes } from './routes.js';

export interface JourneyApiDeps {
  db: Db;
  temporal: Client;
  log: Logger;
  /** The entry cache to clear after a publish or status change. */
  entries: EntryGate;
  profiles: ProfileReader;
}

export interface JourneyApi {
  /** Mounted at `/v1/journeys`. */
  journeys: Router;
  /** Mounted at `/v1/profiles`, before the profile routes: `/:profileId/journeys`. */
  profileJourneys: Router;
}

export function createJourneyApi(deps: JourneyApiDeps): JourneyApi {
  const db = collections(deps.db);
  const journeyDb = journeyCollections(deps.db);
  const store = new JourneyStore(db);
  const lifecycle = new JourneyLifecycle({
    store,
    references: new JourneyReferenceLoader(deps.db),
    signals: new JourneyRunSignals(journeyDb.journeyRuns, deps.temporal, deps.log),
    entries: deps.entries,
    log: deps.log,
  });
  const reports = new JourneyReports({ ...db, ...journeyDb }, store);
  return {
    journeys: journeyRoutes({ store, lifecycle, reports }),
    profileJourneys: profileJourneyRoutes(reports, deps.profiles),
  };
}
