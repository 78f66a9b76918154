import { encodeObject } from '@junction/core';
import type { EventDoc } from '@junction/core/store';
import type { Collection } from 'mongodb';

import { duplicateIndexes } from '../db/bulk.js';
import type { MembershipChange } from './profile-changes.js';
import type { LoadedAudience } from './state-store.js';

export const SEGMENT_ENTERED = 'segment entered';
export const SEGMENT_EXITED = 'segment exited';

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

// TODO(audience): membership events do not start journeys yet; journeys entered on segment
// entry or exit need them routed through journey entry as ingested events are.
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
