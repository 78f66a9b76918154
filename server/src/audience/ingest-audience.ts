import {
  counterUpdate,
  decodeObject,
  mergeUpdates,
  type ActiveCounter,
  type CounterUpdate,
} from '@junction/core';
import type { Collections, EventDoc } from '@junction/core/store';

import { bulkWriteInChunks } from '../db/bulk.js';
import type { AudienceRefresher } from './refresher.js';
import { hasAudience, type AudienceStateStore, type LoadedAudience } from './state-store.js';

/** What ingestion needs of the audience runtime. */
export interface IngestAudienceRuntime {
  state: Pick<AudienceStateStore, 'load'>;
  refresher: Pick<AudienceRefresher, 'refresh'>;
}

/** A stored event as ingestion reads it back: enough to count it again if it is pending. */
export type CountableEvent = Pick<
  EventDoc,
  '_id' | 'profileId' | 'type' | 'event' | 'properties' | 'timestamp' | 'receivedAt'
> & { countersPending?: boolean | undefined };

/**
 * The audience side of one ingest batch: counts new `track` events into the profiles' counters
 * and re-evaluates the people the batch changed, before the API answers.
 *
 * Counting is exactly-once without transactions: an event some counter counts is stored with
 * `countersPending`, the counters are written, then the flag is removed; a retried message whose
 * stored event still has the flag is counted then. A crash between the counter write and the
 * flag's removal can count one event twice: the only window left.
 */
export class IngestAudience {
  private constructor(
    private readonly db: Collections,
    private readonly runtime: IngestAudienceRuntime,
    private readonly workspaceId: string,
    private readonly audience: LoadedAudience,
    private readonly active: ActiveCounter[],
  ) {}

  /** `null` when the workspace has no tags or segments: ingestion then does no audience work. */
  static async begin(
    db: Collections,
    runtime: IngestAudienceRuntime,
    workspaceId: string,
  ): Promise<IngestAudience | null> {
    const audience = await runtime.state.load(workspaceId);
    if (!hasAudience(audience)) return null;
    const active = [...audience.counters.values()];
    return new IngestAudience(db, runtime, workspaceId, audience, active);
  }

  /** Flags a new event that a counter will count, before it is stored. */
  mark(doc: EventDoc): void {
    if (this.updateFor(doc)) doc.countersPending = true;
  }

  /**
   * Counts the flagged events among `events` (new ones and stored ones a retry brought back),
   * clears their flags, and re-evaluates everyone the events are about: their counters, traits
   * or identities (a merge included) may have changed, and a new person gets their first values.
   */
  async finish(events: CountableEvent[]): Promise<void> {
    const pending = events.filter((event) => event.countersPending);
    const byProfile = new Map<string, CounterUpdate>();
    for (const event of pending) {
      const update = this.updateFor(event);
      if (!update) continue;
      const earlier = byProfile.get(event.profileId);
      byProfile.set(event.profileId, earlier ? mergeUpdates(earlier, update) : update);
    }
    const operations = [...byProfile].map(([profileId, update]) => ({
      updateOne: { filter: { _id: profileId }, update },
    }));
    await bulkWriteInChunks(this.db.profiles, operations, { ordered: false });
    if (pending.length > 0) {
      await this.db.events.updateMany(
        { _id: { $in: pending.map((event) => event._id) } },
        { $unset: { countersPending: '' } },
      );
    }
    const profileIds = events.map((event) => event.profileId);
    await this.runtime.refresher.refresh(this.workspaceId, profileIds, {
      audience: this.audience,
    });
  }

  private updateFor(event: CountableEvent): CounterUpdate | null {
    if (event.type !== 'track' || event.event === undefined) return null;
    const counted = {
      event: event.event,
      properties: event.properties ? decodeObject(event.properties) : undefined,
      timestamp: event.timestamp,
      receivedAt: event.receivedAt,
    };
    return counterUpdate(this.active, counted, this.audience.timeZone);
  }
}
