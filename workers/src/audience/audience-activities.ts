import type { AudienceCollections, Collections } from '@junction/core/store';
import { isDuplicateKey } from '@junction/core/store';
import type { Audience } from '@junction/server/audience';
import type { AudienceActivities, AudienceJobRef } from '@junction/workflows/activities';

import type { Logger } from '../logger.js';
import { createEvaluateAudienceProfiles } from './evaluate-profiles.js';
import { createFillAudienceCounters } from './fill-counters.js';
import { createRetrainAudienceModels } from './retrain-models.js';

export interface AudienceActivityDeps {
  db: Collections;
  audienceDb: AudienceCollections;
  audience: Pick<Audience, 'state' | 'writer' | 'sweeper'>;
  log: Logger;
}

/** The activities of audience jobs: backfills, nightly runs and sweeps. */
export function createAudienceActivities(deps: AudienceActivityDeps): AudienceActivities {
  const { db, audienceDb, audience, log } = deps;
  return {
    async openAudienceJob(job: AudienceJobRef & { kind: 'nightly' }): Promise<void> {
      const now = new Date();
      try {
        await audienceDb.audienceJobs.insertOne({
          _id: job.jobId,
          workspaceId: job.workspaceId,
          kind: job.kind,
          target: 'all',
          status: 'running',
          total: await db.profiles.countDocuments({ workspaceId: job.workspaceId }),
          processed: 0,
          changed: 0,
          eventsRead: 0,
          startedAt: now,
          updatedAt: now,
        });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    },
    fillAudienceCounters: createFillAudienceCounters(deps),
    retrainAudienceModels: createRetrainAudienceModels(deps),
    evaluateAudienceProfiles: createEvaluateAudienceProfiles(deps),
    async finishAudienceJob(job: AudienceJobRef & { error: string | null }): Promise<void> {
      const now = new Date();
      const status = job.error === null ? 'completed' : 'failed';
      await audienceDb.audienceJobs.updateOne(
        { _id: job.jobId },
        {
          $set: { status, updatedAt: now, finishedAt: now, ...(job.error && { error: job.error }) },
        },
      );
      log.info({ workspaceId: job.workspaceId, jobId: job.jobId, status }, 'audience job finished');
    },
    async sweepAudience({ workspaceId }: { workspaceId: string }) {
      return audience.sweeper.sweep(workspaceId);
    },
  };
}
