// The ingestion entry point for processes other than the API, e.g. connector workers.
import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';

import { collections } from '@junction/core/store';

import { createAudience } from '../audience/index.js';
import type { IngestAudienceRuntime } from '../audience/ingest-audience.js';
import { createIdentity } from '../identity/index.js';
import { createJourneys, type Journeys } from '../journeys/index.js';
import type { Logger } from '../logger.js';
import { Ingestor } from './ingest-messages.js';

export { Ingestor, type IngestOptions, type IngestResult } from './ingest-messages.js';

/**
 * An Ingestor wired as the API wires it: identity resolution, journey entry and the audience
 * runtime included. Pass the process's audience runtime to share its cache.
 */
export function createIngestor(deps: {
  db: Db;
  temporal: Client;
  log: Logger;
  audience?: IngestAudienceRuntime;
  /** The process's journey entry, to share its caches; built here when absent. */
  journeys?: Journeys;
}): Ingestor {
  const db = collections(deps.db);
  const journeys = deps.journeys ?? createJourneys(deps);
  const audience = deps.audience ?? createAudience({ ...deps, journeys: journeys.triggers });
  return new Ingestor(db, createIdentity(db).resolver, journeys.triggers, audience);
}
