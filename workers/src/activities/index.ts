import type { Collections } from '@junction/core/store';
import type { JourneyActivities } from '@junction/workflows/activities';

import type { Logger } from '../logger.js';
import { createCallWebhook } from './call-webhook.js';
import { createLoadJourneyVersion } from './load-journey-version.js';

export interface ActivityDeps {
  db: Collections;
  log: Logger;
}

/** Every activity a journey run can call, built from real clients (or test doubles). */
export function createActivities(deps: ActivityDeps): JourneyActivities {
  return {
    loadJourneyVersion: createLoadJourneyVersion(deps.db),
    callWebhook: createCallWebhook(deps),
  };
}
