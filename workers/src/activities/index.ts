import type { AudienceCollections, Collections, JourneyCollections } from '@junction/core/store';
import type { Audience } from '@junction/server/audience';
import type { JourneyScheduleActivities } from '@junction/workflows';
import type {
  AudienceActivities,
  ConnectorActivities,
  JourneyActivities,
} from '@junction/workflows/activities';

import { createAudienceActivities } from '../audience/audience-activities.js';
import type { ChannelAdapters } from '../channels/index.js';
import { createJourneyActivities, type JourneyEntrant } from '../journeys/index.js';
import { createScheduleActivities } from '../journeys/schedule-activities.js';
import type { Logger } from '../logger.js';
import { createConnectorActivities, type ConnectorActivityDeps } from './pull-postgres.js';

export interface ActivityDeps extends Pick<ConnectorActivityDeps, 'runLog' | 'ingestor'> {
  db: Collections;
  journeys: JourneyCollections;
  audienceDb: AudienceCollections;
  audience: Pick<Audience, 'state' | 'writer' | 'sweeper' | 'refresher'>;
  entries: JourneyEntrant;
  channels: ChannelAdapters;
  log: Logger;
}

/** Every activity a journey run, connector sync or audience job can call, from real clients. */
export function createActivities(
  deps: ActivityDeps,
): JourneyActivities & JourneyScheduleActivities & ConnectorActivities & AudienceActivities {
  return {
    ...createJourneyActivities(deps),
    ...createScheduleActivities(deps),
    ...createConnectorActivities(deps),
    ...createAudienceActivities(deps),
  };
}
