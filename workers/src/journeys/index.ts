export { createJourneyActivities } from './journey-activities.js';
export type {
  JourneyActivityDeps,
  JourneyEntrant,
  JourneyEntryRequest,
  JourneyEntryResult,
} from './journey-deps.js';
export { SEND_FAILURE } from './send-message.js';
export { SUPPRESSION } from './contact-policy.js';
