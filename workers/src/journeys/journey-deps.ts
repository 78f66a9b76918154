import type { EntryKind } from '@junction/core';
import type { Collections, JourneyCollections } from '@junction/core/store';
import type { Audience } from '@junction/server/audience';

import type { ChannelAdapters } from '../channels/index.js';
import type { Logger } from '../logger.js';

/** One entry into a journey, as the server's `JourneyEntries.enter` takes it. */
export interface JourneyEntryRequest {
  workspaceId: string;
  journeyId: string;
  profileId: string;
  entryId: string;
  entry: { kind: EntryKind; at: string; eventId?: string; notBefore?: string };
}

export type JourneyEntryResult =
  { entered: true; runId: string } | { entered: false; reason: string };

/** Enters people into journeys under each journey's entry rules (re-entry, cap, status). */
export interface JourneyEntrant {
  enter(request: JourneyEntryRequest): Promise<JourneyEntryResult>;
}

/** The real clients journey activities are built from. */
export interface JourneyActivityDeps {
  db: Collections;
  journeys: JourneyCollections;
  audience: Pick<Audience, 'state' | 'refresher'>;
  entries: JourneyEntrant;
  channels: ChannelAdapters;
  log: Logger;
  /** The clock contact policies read; tests pin it. */
  now?: () => Date;
}

/** `_id` of a workspace's channel or template. */
export function resourceId(workspaceId: string, key: string): string {
  return `${workspaceId}:${key}`;
}
