import {
  addDays,
  localDateKey,
  MAX_WINDOW_DAYS,
  staleBucketPaths,
  type AudienceDefinitions,
} from '@junction/core';
import type { AudienceCollections, Collections } from '@junction/core/store';
import {
  compileEvaluator,
  EVALUATED_PROJECTION,
  unsetCounterPaths,
  type Audience,
  type EvaluatedProfile,
} from '@junction/server/audience';
import type { AudienceEvaluationTotals, AudienceJobRef } from '@junction/workflows/activities';

import { JobProgress } from './job-progress.js';

export interface EvaluateDeps {
  db: Collections;
  audienceDb: AudienceCollections;
  audience: Pick<Audience, 'state' | 'writer'>;
}

interface Resume extends AudienceEvaluationTotals {
  /** The last profile `_id` done, in `_id` order. */
  after: string;
}

const PROFILES_PER_PAGE = 200;

// A field of a counter activated this recently may be one the loaded state does not know yet.
const DROPPED_FIELD_AGE_MS = 86_400_000;

/** Old buckets no window reaches any more, and the fields of counters no longer kept. */
function stalePaths(
  profile: EvaluatedProfile,
  audience: AudienceDefinitions,
  loadedAt: Date,
): string[] {
  const oldestKept = addDays(localDateKey(loadedAt, audience.timeZone), -(MAX_WINDOW_DAYS + 1));
  const active = new Set([...audience.counters.values()].map((counter) => counter.field));
  return Object.entries(profile.counters ?? {}).flatMap(([field, buckets]) => {
    if (active.has(field)) return staleBucketPaths(field, buckets, oldestKept);
    const activatedAt = parseInt(field.slice(field.lastIndexOf('_') + 1), 36);
    return activatedAt < loadedAt.getTime() - DROPPED_FIELD_AGE_MS ? [`counters.${field}`] : [];
  });
}

/**
 * Evaluates every live profile of the workspace in `_id` order and writes what changed, as
 * real-time refreshes do. Heartbeats carry the last `_id` done, so a retry resumes there.
 */
export function createEvaluateAudienceProfiles({ db, audienceDb, audience }: EvaluateDeps) {
  return async function evaluateAudienceProfiles(
    job: AudienceJobRef & { pruneCounters: boolean },
  ): Promise<AudienceEvaluationTotals> {
    const { workspaceId } = job;
    const progress = new JobProgress<Resume>(audienceDb.audienceJobs, job.jobId);
    const resume = progress.resumeFrom();
    const totals: Resume = { after: '', processed: 0, changed: 0, ...resume };
    const now = new Date();
    const evaluator = compileEvaluator(await audience.state.load(workspaceId), now);
    const profiles = db.profiles.find<EvaluatedProfile>(
      { workspaceId, mergedInto: { $exists: false }, _id: { $gt: totals.after } },
      { projection: EVALUATED_PROJECTION, sort: { _id: 1 }, batchSize: PROFILES_PER_PAGE },
    );
    let page: EvaluatedProfile[] = [];
    const flush = async () => {
      const written = await audience.writer.write(workspaceId, evaluator, page);
      if (job.pruneCounters) {
        const unsets = page.map((profile) => ({
          profileId: profile._id,
          paths: stalePaths(profile, evaluator.audience, now),
        }));
        await unsetCounterPaths(db.profiles, unsets);
      }
      totals.processed += page.length;
      totals.changed += written.changed;
      totals.after = page[page.length - 1]!._id;
      page = [];
      await progress.report({ processed: totals.processed, changed: totals.changed }, totals);
    };
    for await (const profile of profiles) {
      page.push(profile);
      if (page.length >= PROFILES_PER_PAGE) await flush();
    }
    if (page.length > 0) await flush();
    await progress.report({ processed: totals.processed, changed: totals.changed }, totals, true);
    return { processed: totals.processed, changed: totals.changed };
  };
}
