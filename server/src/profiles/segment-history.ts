import type { Collection } from 'mongodb';

import { decodeObject } from '@junction/core';
import {
  audienceObjectId,
  type Collections,
  type EventDoc,
  type ProfileDoc,
  type SegmentDoc,
} from '@junction/core/store';

import { SEGMENT_ENTERED, SEGMENT_EXITED } from '../audience/index.js';
import type { Cursor } from './page.js';
import { personEvents } from './person-events.js';

export interface Membership {
  key: string;
  /** Null when the segment has since been deleted. */
  name: string | null;
  since: Date;
}

export interface MembershipChange {
  change: 'entered' | 'exited';
  segment: string;
  name: string | null;
  version: number | null;
  at: Date;
  /** The profile the event was recorded on; another id when it was merged into this one. */
  profileId: string;
}

/**
 * A person's segments: where they are now, read from the profile, and every entry and exit,
 * read from the membership events of the profile and of the profiles merged into it.
 */
export class SegmentHistory {
  constructor(
    private readonly db: Collections,
    private readonly segments: Collection<SegmentDoc>,
  ) {}

  /** Newest membership first. */
  async current(workspaceId: string, profile: ProfileDoc): Promise<Membership[]> {
    const entries = Object.entries(profile.segments ?? {});
    if (entries.length === 0) return [];
    const heads = await this.segments
      .find(
        { _id: { $in: entries.map(([key]) => audienceObjectId(workspaceId, key)) }, workspaceId },
        { projection: { key: 1, deleted: 1, 'definition.name': 1 } },
      )
      .toArray();
    const names = new Map(
      heads.map((head) => [head.key, head.deleted ? null : head.definition.name]),
    );
    return entries
      .map(([key, { since }]) => ({ key, name: names.get(key) ?? null, since }))
      .sort((a, b) => b.since.getTime() - a.since.getTime() || a.key.localeCompare(b.key));
  }

  /** Newest first, paged like the timeline. */
  async changes(
    workspaceId: string,
    profile: ProfileDoc,
    query: { limit: number; before?: Cursor | Date | undefined },
  ): Promise<{ items: MembershipChange[]; next: string | null }> {
    const match = { type: 'track', event: { $in: [SEGMENT_ENTERED, SEGMENT_EXITED] } } as const;
    const page = await personEvents(this.db.events, workspaceId, profile, match, {
      ...query,
      projection: { event: 1, properties: 1, timestamp: 1, profileId: 1 },
    });
    return { items: page.items.map(membershipChange), next: page.next };
  }
}

function membershipChange(doc: EventDoc): MembershipChange {
  const properties = decodeObject(doc.properties ?? {});
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    change: doc.event === SEGMENT_ENTERED ? 'entered' : 'exited',
    segment: text(properties.segment_key) ?? '',
    name: text(properties.segment_name),
    version: typeof properties.segment_version === 'number' ? properties.segment_version : null,
    at: doc.timestamp,
    profileId: doc.profileId,
  };
}
