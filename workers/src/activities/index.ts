import type { AudienceCollections, Collections } from '@junction/core/store';
import type { Audience } from '@junction/server/audience';
import type {
  AudienceActivities,
  ConnectorActivities,
  JourneyActivities,
} from '@junction/workflows/activities';

import { createAudienceActivities } from '../audience/audience-activities.js';
import type { Logger } from '../logger.js';
import { createCallWebhook } from './call-webhook.js';
import { createLoadJourneyVersion } from './load-journey-version.js';
import { createConnectorActivities, type ConnectorActivityDeps } from './pull-postgres.js';

export interface ActivityDeps extends Pick<ConnectorActivityDeps, 'runLog' | 'ingestor'> {
  db: Collections;
  audienceDb: AudienceCollections;
  audience: Pick<Audience, 'state' | 'writer' | 'sweeper'>;
  log: Logger;
}

/** Every activity a journey run, connector sync or audience job can call, from real clients. */
export function createActivities(
  deps: ActivityDeps,
): JourneyActivities & ConnectorActivities & AudienceActivities {
  return {
    loadJourneyVersion: createLoadJourneyVersion(deps.db),
    callWebhook: createCallWebhook(deps),
    ...createConnectorActivities(deps),
    ...createAudienceActivities(deps),
  };
}
