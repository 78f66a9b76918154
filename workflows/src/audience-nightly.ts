import { log, workflowInfo } from '@temporalio/workflow';

import type { AudienceEvaluationTotals } from './activities.js';
import { audienceBookkeeping, audiencePasses, runAudienceJob } from './audience-job.js';

/** Input of `audienceNightly`, started by the workspace's nightly schedule. */
export interface AudienceNightlyInput {
  v: 1;
  workspaceId: string;
  /** Set when the API started the run and created its job; a scheduled run creates its own. */
  jobId?: string;
}

/**
 * The T+1 batch: fills counters still unfilled, retrains classifier tags that are due, then
 * evaluates every profile and drops counter buckets no window can read any more.
 */
export async function audienceNightly(
  input: AudienceNightlyInput,
): Promise<AudienceEvaluationTotals> {
  // Derived from the run, so a retried open finds its own job instead of creating another.
  const jobId = input.jobId ?? `nightly_${workflowInfo().runId}`;
  const job = { workspaceId: input.workspaceId, jobId };
  if (!input.jobId) await audienceBookkeeping.openAudienceJob({ ...job, kind: 'nightly' });
  const totals = await runAudienceJob(job, async () => {
    await audiencePasses.fillAudienceCounters(job);
    const models = await audiencePasses.retrainAudienceModels(job);
    log.info('audience models retrained', { ...job, ...models });
    return audiencePasses.evaluateAudienceProfiles({ ...job, pruneCounters: true });
  });
  log.info('audience nightly run finished', { ...job, ...totals });
  return totals;
}
