import type { RunRef } from '@junction/workflows/activities';

import type { JourneyActivityDeps } from './journey-deps.js';

/**
 * Enters the person into another journey under that journey's own rules (status, re-entry,
 * entry cap). The entry id derives from the side effect's key, so a retry is the same entry.
 */
export function createJumpToJourney(deps: Pick<JourneyActivityDeps, 'entries' | 'log'>) {
  return async function jumpToJourney(
    input: RunRef & { key: string; nodeId: string; targetJourneyId: string },
  ): Promise<{ entered: boolean; reason?: string }> {
    const result = await deps.entries.enter({
      workspaceId: input.workspaceId,
      journeyId: input.targetJourneyId,
      profileId: input.profileId,
      entryId: `jump:${input.key}`,
      entry: { kind: 'jump', at: new Date().toISOString() },
    });
    if (result.entered) return { entered: true };
    deps.log.info(
      { key: input.key, targetJourneyId: input.targetJourneyId, reason: result.reason },
      'journey jump refused',
    );
    return { entered: false, reason: result.reason };
  };
}
