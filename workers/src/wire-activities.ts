import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';

import {
  audienceCollections,
  collections,
  connectorCollection,
  journeyCollections,
} from '@junction/core/store';
import { createAudience } from '@junction/server/audience';
import { ConnectorRunLog } from '@junction/server/connectors';
import { createIngestor } from '@junction/server/ingest';
import { createJourneys, type Journeys } from '@junction/server/journeys';

import { createActivities } from './activities/index.js';
import { defaultChannelAdapters } from './channels/index.js';
import type { Logger } from './logger.js';

/**
 * Every activity wired to real clients, as a worker process serves them, with the journey entry
 * they share (ingestion and jumps enter people through it).
 */
export function wireActivities(deps: { db: Db; temporal: Client; log: Logger }) {
  const { db, temporal, log } = deps;
  const journeys: Journeys = createJourneys({ db, temporal, log });
  const audience = createAudience({ db, temporal, log, journeys: journeys.triggers });
  const activities = createActivities({
    db: collections(db),
    journeys: journeyCollections(db),
    audienceDb: audienceCollections(db),
    audience,
    entries: journeys.entries,
    channels: defaultChannelAdapters(),
    log,
    runLog: new ConnectorRunLog(connectorCollection(db)),
    ingestor: createIngestor({ db, temporal, log, audience, journeys }),
  });
  return { activities, journeys };
}
