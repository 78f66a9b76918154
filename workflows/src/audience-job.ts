import { ActivityFailure, proxyActivities } from '@temporalio/workflow';

import type { AudienceActivities, AudienceJobRef } from './activities.js';

// Passes over every profile or event heartbeat as they go, so a stuck worker is noticed within a
// minute and the retry resumes from the last heartbeat instead of the start.
export const audiencePasses = proxyActivities<AudienceActivities>({
  startToCloseTimeout: '4 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 5 },
});

export const audienceBookkeeping = proxyActivities<AudienceActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds', maximumAttempts: 10 },
});

/** Runs a job's steps and records how it ended on its document, failures included. */
export async function runAudienceJob<T>(job: AudienceJobRef, steps: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await steps();
  } catch (error) {
    await audienceBookkeeping.finishAudienceJob({ ...job, error: failureMessage(error) });
    throw error;
  }
  await audienceBookkeeping.finishAudienceJob({ ...job, error: null });
  return result;
}

function failureMessage(error: unknown): string {
  const failure = error instanceof ActivityFailure && error.cause ? error.cause : error;
  return failure instanceof Error ? failure.message : String(failure);
}
