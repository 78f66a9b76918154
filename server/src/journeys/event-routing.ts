import { WorkflowNotFoundError, type Client } from '@temporalio/client';

import { decodeObject } from '@junction/core';
import { journeyEntryId, type EventDoc, type JourneyCollections } from '@junction/core/store';
import { journeyEventSignal, type JourneyEventSignal } from '@junction/workflows';

import type { Logger } from '../logger.js';
import type { LiveJourneys } from './triggers-cache.js';

/** A stored event as routing reads it. */
export type RoutedEvent = Pick<
  EventDoc,
  '_id' | 'profileId' | 'type' | 'event' | 'properties' | 'timestamp'
>;

/**
 * Delivers a person's events to their runs that may be waiting for them (a wait, a goal, an exit
 * criterion). Events no journey listens for cost nothing beyond the cached lookup; the others
 * cost one read of the people's `journey_entries` by `_id` and one signal per active run.
 */
export class EventRouting {
  constructor(
    private readonly db: Pick<JourneyCollections, 'journeyEntries'>,
    private readonly temporal: Client,
    private readonly live: LiveJourneys,
    private readonly log: Logger,
  ) {}

  /** Signals every active run listening for these events; returns how many signals were sent. */
  async route(workspaceId: string, events: RoutedEvent[]): Promise<number> {
    const wanted: { event: RoutedEvent; entryIds: string[] }[] = [];
    for (const event of events) {
      if (event.type !== 'track' || event.event === undefined) continue;
      const journeys = await this.live.listenersOf(workspaceId, event.event);
      if (journeys.length === 0) continue;
      const entryIds = journeys.map((id) => journeyEntryId(workspaceId, id, event.profileId));
      wanted.push({ event, entryIds });
    }
    if (wanted.length === 0) return 0;

    const ids = [...new Set(wanted.flatMap(({ entryIds }) => entryIds))];
    const docs = await this.db.journeyEntries
      .find({ _id: { $in: ids } }, { projection: { active: 1 }, batchSize: ids.length + 1 })
      .toArray();
    const activeOf = new Map(docs.map((doc) => [doc._id, doc.active]));
    // Per run in event order, so a run sees a person's events as they happened.
    const byRun = new Map<string, JourneyEventSignal[]>();
    for (const { event, entryIds } of wanted) {
      for (const runId of entryIds.flatMap((id) => activeOf.get(id) ?? [])) {
        byRun.set(runId, [...(byRun.get(runId) ?? []), signalOf(event)]);
      }
    }
    const sent = await Promise.all(
      [...byRun].map(([runId, signals]) => this.signalRun(workspaceId, runId, signals)),
    );
    return sent.reduce((sum, count) => sum + count, 0);
  }

  private async signalRun(
    workspaceId: string,
    runId: string,
    signals: JourneyEventSignal[],
  ): Promise<number> {
    const handle = this.temporal.workflow.getHandle(runId);
    let sent = 0;
    for (const signal of signals) {
      try {
        await handle.signal(journeyEventSignal, signal);
        sent++;
      } catch (error) {
        // A run that ended since its entry was read has nothing left to wait for.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        this.log.debug({ workspaceId, runId }, 'journey event for a finished run dropped');
        return sent;
      }
    }
    return sent;
  }
}

function signalOf(event: RoutedEvent): JourneyEventSignal {
  return {
    v: 1,
    eventId: event._id,
    event: event.event ?? '',
    properties: decodeObject(event.properties ?? {}),
    timestamp: event.timestamp.toISOString(),
  };
}
