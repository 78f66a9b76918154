import { encodeObject, SEGMENT_ENTERED, SEGMENT_EXITED } from '@junction/core';
import type { EventDoc } from '@junction/core/store';
import type { Collection } from 'mongodb';

import { duplicateIndexes } from '../db/bulk.js';
import type { MembershipChange } from './profile-changes.js';
import type { LoadedAudience } from './state-store.js';

export { SEGMENT_ENTERED, SEGMENT_EXITED };

const INSERTS_PER_COMMAND = 500;

/**
 * The message id of a membership event: one per membership start or end, so a retried write
 * inserts the same `_id` and the duplicate is dropped.
 */
export function membershipMessageId(
  direction: 'entered' | 'exited',
  segment: string,
  profileId: string,
  since: Date,
): string {
  return `segment-${direction}:${segment}:${profileId}:${since.getTime()}`;
}

/**
 * `segment entered` / `segment exited` events for one profile's changes, stored as track events
 * at the evaluation time. A segment that no longer exists ends memberships without an event:
 * it was deleted, nobody left it.
 */
export function membershipEvents(
  workspaceId: string,
  profileId: string,
  changes: { entered: MembershipChange[]; exited: MembershipChange[] },
  audience: LoadedAudience,
  now: Date,
): EventDoc[] {
  const events: EventDoc[] = [];
  const add = (direction: 'entered' | 'exited', { segment, since }: MembershipChange) => {
    const live = audience.segments.get(segment);
    if (!live) return;
    const messageId = membershipMessageId(direction, segment, profileId, since);
    events.push({
      _id: `${workspaceId}:${messageId}`,
      workspaceId,
      messageId,
      type: 'track',
      event: direction === 'entered' ? SEGMENT_ENTERED : SEGMENT_EXITED,
      profileId,
      properties: encodeObject({
        segment_key: segment,
        segment_name: live.definition.name,
        segment_version: live.version,
      }),
      context: { library: { name: 'junction-audience' } },
      timestamp: now,
      receivedAt: now,
    });
  };
  changes.entered.forEach((change) => add('entered', change));
  changes.exited.forEach((change) => add('exited', change));
  return events;
}

/**
 * What journeys do with membership events: flag the new ones before they are stored (entries
 * to make, runs to signal), then act on them once stored. Never throws from `afterStore`.
 */
export interface MembershipEventHook {
  beforeStore(workspaceId: string, events: EventDoc[]): Promise<void>;
  afterStore(workspaceId: string, events: EventDoc[]): Promise<void>;
}

export async function insertMembershipEvents(
  events: Collection<EventDoc>,
  docs: EventDoc[],
): Promise<void> {
  for (let start = 0; start < docs.length; start += INSERTS_PER_COMMAND) {
    try {
      await events.insertMany(docs.slice(start, start + INSERTS_PER_COMMAND), { ordered: false });
    } catch (error) {
      if (!duplicateIndexes(error)) throw error;
    }
  }
}
