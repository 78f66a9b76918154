import { ApplicationFailure } from '@temporalio/activity';

import type { JourneyDefinition } from '@junction/core';
import { journeyVersionDocId, type Collections } from '@junction/core/store';
import { NON_RETRYABLE } from '@junction/workflows/activities';

/** Versions kept per process; the oldest loaded goes first when more are needed. */
const MAX_CACHED_VERSIONS = 1_000;

/**
 * Loads a published journey version. Versions never change once published, so each is read
 * from the database once per process and then served from memory.
 */
export function createLoadJourneyVersion(db: Collections) {
  const cache = new Map<string, JourneyDefinition>();
  return async function loadJourneyVersion(ref: {
    workspaceId: string;
    journeyId: string;
    version: number;
  }): Promise<JourneyDefinition> {
    const cacheKey = `${ref.workspaceId}:${journeyVersionDocId(ref.journeyId, ref.version)}`;
    const cached = cache.get(cacheKey);
    if (cached) return cached;
    const doc = await db.journeyVersions.findOne({
      _id: journeyVersionDocId(ref.journeyId, ref.version),
      workspaceId: ref.workspaceId,
    });
    if (!doc) {
      throw ApplicationFailure.nonRetryable(
        `journey ${ref.journeyId} has no version ${ref.version}`,
        NON_RETRYABLE.journeyVersionMissing,
      );
    }
    if (cache.size >= MAX_CACHED_VERSIONS) cache.delete(cache.keys().next().value!);
    cache.set(cacheKey, doc.definition);
    return doc.definition;
  };
}
