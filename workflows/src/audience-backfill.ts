import { log } from '@temporalio/workflow';

import type { AudienceEvaluationTotals } from './activities.js';
import { audiencePasses, runAudienceJob } from './audience-job.js';

/** Input of `audienceBackfill`; `v` versions the shape for running workflows. */
export interface AudienceBackfillInput {
  v: 1;
  workspaceId: string;
  /** The job document the API created before starting the workflow. */
  jobId: string;
}

/**
 * Fills a workspace's new counters with the events that arrived before them, then evaluates
 * every profile, so a new or changed tag or segment holds for everyone, not only the people
 * who send an event next.
 */
export async function audienceBackfill(
  input: AudienceBackfillInput,
): Promise<AudienceEvaluationTotals> {
  const job = { workspaceId: input.workspaceId, jobId: input.jobId };
  const totals = await runAudienceJob(job, async () => {
    await audiencePasses.fillAudienceCounters(job);
    return audiencePasses.evaluateAudienceProfiles({ ...job, pruneCounters: false });
  });
  log.info('audience backfill finished', { ...job, ...totals });
  return totals;
}
