import type { Collections } from '@junction/core/store';
import type { ConnectorActivities, JourneyActivities } from '@junction/workflows/activities';

import type { Logger } from '../logger.js';
import { createCallWebhook } from './call-webhook.js';
import { createLoadJourneyVersion } from './load-journey-version.js';
import { createConnectorActivities, type ConnectorActivityDeps } from './pull-postgres.js';

export interface ActivityDeps extends Pick<ConnectorActivityDeps, 'runLog' | 'ingestor'> {
  db: Collections;
  log: Logger;
}

/** Every activity a journey run or connector sync can call, built from real clients. */
export function createActivities(deps: ActivityDeps): JourneyActivities & ConnectorActivities {
  return {
    loadJourneyVersion: createLoadJourneyVersion(deps.db),
    callWebhook: createCallWebhook(deps),
    ...createConnectorActivities(deps),
  };
}
