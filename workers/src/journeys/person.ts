import { isValidTimeZone } from '@junction/core';
import type { Collections, ProfileDoc } from '@junction/core/store';
import { loadLiveProfiles } from '@junction/server';

/**
 * The person a run is about, as they are now: a profile merged into another since the run
 * started resolves to the survivor, so sends and updates reach the live document.
 */
export async function loadPerson(
  db: Collections,
  workspaceId: string,
  profileId: string,
): Promise<ProfileDoc | null> {
  return (await loadLiveProfiles(db, workspaceId, [profileId])).get(profileId) ?? null;
}

/** The person's own time zone trait (`timezone`, or `time_zone`), when it names an IANA zone. */
export function ownTimeZone(profile: Pick<ProfileDoc, 'traits'> | null): string | null {
  // Both names are stored as they are: they hold no character that key encoding escapes.
  for (const name of ['timezone', 'time_zone']) {
    const value = profile?.traits?.[name];
    if (typeof value === 'string' && isValidTimeZone(value)) return value;
  }
  return null;
}
