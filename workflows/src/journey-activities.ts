import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

import { NON_RETRYABLE, type JourneyActivities } from './activities.js';

// Reads and bookkeeping are short and idempotent: local activities save a task round trip each.
export const { loadJourneyVersion, recordRunProgress, personTimeZone, evaluateSplit } =
  proxyLocalActivities<JourneyActivities>({
    startToCloseTimeout: '10 seconds',
    retry: {
      maximumInterval: '1 minute',
      nonRetryableErrorTypes: [NON_RETRYABLE.journeyVersionMissing],
    },
  });

// Side effects reach other systems; their keys make every retry safe.
export const { sendMessage, updateProfile, jumpToJourney } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 12,
  },
});

export const { callWebhook } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 12,
    nonRetryableErrorTypes: [NON_RETRYABLE.webhookRejected],
  },
});

/** The first input's runs loaded their version with a regular activity; see `run-start.ts`. */
export const { loadJourneyVersion: loadJourneyVersionRemote } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '10 seconds',
  retry: {
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [NON_RETRYABLE.journeyVersionMissing],
  },
});
