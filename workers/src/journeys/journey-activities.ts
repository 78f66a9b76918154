import type { JourneyActivities } from '@junction/workflows/activities';

import { createCallWebhook } from '../activities/call-webhook.js';
import { createLoadJourneyVersion } from '../activities/load-journey-version.js';
import { createEvaluateSplit } from './evaluate-split.js';
import type { JourneyActivityDeps } from './journey-deps.js';
import { createJumpToJourney } from './jump-to-journey.js';
import { createPersonTimeZone } from './person-time-zone.js';
import { createRecordRunProgress } from './record-run-progress.js';
import { createSendMessage } from './send-message.js';
import { createUpdateProfile } from './update-profile.js';

/** Every activity a journey run calls, built from real clients. */
export function createJourneyActivities(deps: JourneyActivityDeps): JourneyActivities {
  return {
    loadJourneyVersion: createLoadJourneyVersion(deps.db),
    recordRunProgress: createRecordRunProgress(deps.journeys),
    personTimeZone: createPersonTimeZone(deps),
    evaluateSplit: createEvaluateSplit(deps),
    sendMessage: createSendMessage(deps),
    callWebhook: createCallWebhook(deps),
    updateProfile: createUpdateProfile(deps),
    jumpToJourney: createJumpToJourney(deps),
  };
}
