import type { RunRef } from '@junction/workflows/activities';

import type { JourneyActivityDeps } from './journey-deps.js';
import { loadPerson, ownTimeZone } from './person.js';

/**
 * The clock local times are read on for this person: their `timezone` (or `time_zone`) trait
 * when it names an IANA zone, else the workspace's audience time zone (UTC by default).
 */
export function createPersonTimeZone(deps: Pick<JourneyActivityDeps, 'db' | 'audience'>) {
  return async function personTimeZone(ref: RunRef): Promise<string> {
    const person = await loadPerson(deps.db, ref.workspaceId, ref.profileId);
    return ownTimeZone(person) ?? (await deps.audience.state.timeZone(ref.workspaceId));
  };
}
