import { decodeObject, type EntryKind } from '@junction/core';
import type { Collections, EventDoc } from '@junction/core/store';

import type { MembershipEventHook } from '../audience/membership-events.js';
import type { Logger } from '../logger.js';
import type { EventRouting, RoutedEvent } from './event-routing.js';
import type { JourneyEntries } from './journey-entries.js';
import type { EventSource, LiveJourneys } from './triggers-cache.js';
import type { MatchedEvent } from '@junction/core';

/** A stored event as entry and delivery read it back. */
export type TriggeringEvent = RoutedEvent & Pick<EventDoc, 'pendingJourneys' | 'signalsPending'>;

/**
 * Journeys' side of storing events, for ingestion and for segment membership changes alike.
 * Both follow the same exactly-once pattern: before an event is stored it is flagged with what
 * is left to do (`pendingJourneys` to enter, `signalsPending` to deliver); once stored, each
 * part is done and its flag removed, so a retry of the same event finishes only what is left.
 */
export class JourneyTriggers implements MembershipEventHook {
  constructor(
    private readonly db: Pick<Collections, 'events'>,
    private readonly live: LiveJourneys,
    private readonly entries: Pick<JourneyEntries, 'enter'>,
    private readonly routing: Pick<EventRouting, 'route'>,
    private readonly log: Logger,
  ) {}

  /** Flags a new event with the journeys it enters and whether runs are listening for it. */
  async flag(
    workspaceId: string,
    doc: EventDoc,
    source: EventSource,
    properties: MatchedEvent['properties'],
  ): Promise<void> {
    if (doc.type !== 'track' || doc.event === undefined) return;
    const event = { event: doc.event, properties };
    const journeys = await this.live.triggeredBy(workspaceId, event, source);
    if (journeys.length > 0) doc.pendingJourneys = journeys;
    if ((await this.live.listenersOf(workspaceId, doc.event)).length > 0) doc.signalsPending = true;
  }

  /** Delivers the flagged events to the runs waiting for them, then clears their flags. */
  async deliver(workspaceId: string, events: TriggeringEvent[]): Promise<void> {
    const flagged = events.filter((event) => event.signalsPending);
    if (flagged.length === 0) return;
    await this.routing.route(workspaceId, flagged);
    await this.db.events.updateMany(
      { _id: { $in: flagged.map((event) => event._id) } },
      { $unset: { signalsPending: '' } },
    );
  }

  /**
   * Enters the person into each journey the stored event still lists, removing each once its
   * run has started or the entry was refused: a retry never enters a journey twice.
   */
  async enterPending(workspaceId: string, doc: TriggeringEvent, kind: EntryKind): Promise<void> {
    for (const pending of doc.pendingJourneys ?? []) {
      // Events stored before entries were by journey alone remember `journeyId@version`.
      const journeyId = pending.split('@')[0]!;
      await this.entries.enter({
        workspaceId,
        journeyId,
        profileId: doc.profileId,
        entryId: doc._id,
        entry: { kind, eventId: doc._id, at: new Date().toISOString() },
      });
      await this.db.events.updateOne({ _id: doc._id }, { $pull: { pendingJourneys: pending } });
    }
  }

  async beforeStore(workspaceId: string, events: EventDoc[]): Promise<void> {
    for (const doc of events) {
      await this.flag(workspaceId, doc, 'membership', decodeObject(doc.properties ?? {}));
    }
  }

  // TODO(journeys): a membership event whose entry or delivery failed keeps its flags, but
  // nothing retries it: the change that produced it is written, so no retry produces it again.
  // A resumer that pages events with `pendingJourneys`/`signalsPending` would close this.
  async afterStore(workspaceId: string, events: EventDoc[]): Promise<void> {
    try {
      await this.deliver(workspaceId, events);
      for (const doc of events) await this.enterPending(workspaceId, doc, 'segment');
    } catch (err) {
      this.log.error({ err, workspaceId }, 'segment membership journeys failed');
    }
  }
}
