import { ApplicationFailure } from '@temporalio/activity';

import type { JourneyDefinition } from '@junction/core';
import { journeyVersionDocId, type Collections } from '@junction/core/store';
import { NON_RETRYABLE } from '@junction/workflows/activities';

export function createLoadJourneyVersion(db: Collections) {
  return async function loadJourneyVersion(ref: {
    workspaceId: string;
    journeyId: string;
    version: number;
  }): Promise<JourneyDefinition> {
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
    return doc.definition;
  };
}
