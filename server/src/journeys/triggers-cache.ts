import {
  JourneyDefinition,
  listenedEvents,
  triggerMatches,
  type EntryTrigger,
  type MatchedEvent,
} from '@junction/core';
import { journeyVersionDocId, type Collections } from '@junction/core/store';

import { SEGMENT_ENTERED, SEGMENT_EXITED } from '../audience/membership-events.js';

interface TriggeredJourney {
  journeyId: string;
  trigger: EntryTrigger;
}

/** What one workspace's journeys react to. */
interface WorkspaceJourneys {
  /** Live journeys entered by an event trigger, by event name. */
  byEvent: Map<string, TriggeredJourney[]>;
  /** Live journeys entered by a segment trigger, by membership event name. */
  bySegmentEvent: Map<string, TriggeredJourney[]>;
  /** Live or paused journeys whose runs (on any version) listen for an event, by name. */
  listeners: Map<string, string[]>;
}

/** Where an event comes from: a tracking call, or a segment membership change. */
export type EventSource = 'tracked' | 'membership';

function add<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Which journeys an event enters people into and which journeys' runs listen for it, read once
 * per workspace and cached for `ttlMs` so that ingestion does not read journeys per event. A
 * lifecycle change in this process invalidates at once; other processes catch up within `ttlMs`.
 * Published versions are immutable, so their definitions are cached for good.
 */
export class LiveJourneys {
  private readonly workspaces = new Map<
    string,
    { journeys: Promise<WorkspaceJourneys>; expires: number }
  >();
  private readonly definitions = new Map<string, JourneyDefinition | null>();

  constructor(
    private readonly db: Collections,
    private readonly ttlMs = 1_000,
  ) {}

  invalidate(workspaceId: string): void {
    this.workspaces.delete(workspaceId);
  }

  /**
   * Live journeys whose entry trigger this event satisfies. Tracked events match event triggers
   * only: a client cannot fake a segment entry by sending a `segment entered` event itself.
   */
  async triggeredBy(
    workspaceId: string,
    event: MatchedEvent,
    source: EventSource,
  ): Promise<string[]> {
    const journeys = await this.load(workspaceId);
    const index = source === 'tracked' ? journeys.byEvent : journeys.bySegmentEvent;
    return (index.get(event.event) ?? [])
      .filter(({ trigger }) => triggerMatches(trigger, event))
      .map(({ journeyId }) => journeyId);
  }

  /** Journeys whose runs may be waiting for this event name; no reads when cached. */
  async listenersOf(workspaceId: string, event: string): Promise<string[]> {
    return (await this.load(workspaceId)).listeners.get(event) ?? [];
  }

  /** A published version's definition, `null` when there is no such version. */
  async definition(journeyId: string, version: number): Promise<JourneyDefinition | null> {
    const id = journeyVersionDocId(journeyId, version);
    if (!this.definitions.has(id)) await this.loadDefinitions([id]);
    return this.definitions.get(id) ?? null;
  }

  private load(workspaceId: string): Promise<WorkspaceJourneys> {
    const cached = this.workspaces.get(workspaceId);
    if (cached && cached.expires > Date.now()) return cached.journeys;
    // The promise is cached, so concurrent requests of one workspace share one read.
    const journeys = this.read(workspaceId);
    const entry = { journeys, expires: Date.now() + this.ttlMs };
    this.workspaces.set(workspaceId, entry);
    journeys.catch(() => {
      if (this.workspaces.get(workspaceId) === entry) this.workspaces.delete(workspaceId);
    });
    return journeys;
  }

  private async read(workspaceId: string): Promise<WorkspaceJourneys> {
    const journeys = await this.db.journeys
      .find(
        { workspaceId, status: { $in: ['live', 'paused'] } },
        { projection: { status: 1, liveVersion: 1, latestVersion: 1 } },
      )
      .toArray();
    const ids = journeys.flatMap((journey) => {
      const newest = Math.max(journey.latestVersion ?? 0, journey.liveVersion ?? 0);
      return Array.from({ length: newest }, (_, n) => journeyVersionDocId(journey._id, n + 1));
    });
    await this.loadDefinitions(ids.filter((id) => !this.definitions.has(id)));

    const result: WorkspaceJourneys = {
      byEvent: new Map(),
      bySegmentEvent: new Map(),
      listeners: new Map(),
    };
    for (const journey of journeys) {
      const listened = new Set<string>();
      const newest = Math.max(journey.latestVersion ?? 0, journey.liveVersion ?? 0);
      for (let version = 1; version <= newest; version++) {
        const definition = this.definitions.get(journeyVersionDocId(journey._id, version));
        if (definition) listenedEvents(definition).forEach((name) => listened.add(name));
      }
      listened.forEach((name) => add(result.listeners, name, journey._id));
      if (journey.status !== 'live' || journey.liveVersion === null) continue;
      const live = this.definitions.get(journeyVersionDocId(journey._id, journey.liveVersion));
      const trigger = live && entryTrigger(live);
      if (trigger) indexTrigger(result, { journeyId: journey._id, trigger });
    }
    return result;
  }

  private async loadDefinitions(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const docs = await this.db.journeyVersions
      .find({ _id: { $in: ids } }, { projection: { definition: 1 }, batchSize: ids.length + 1 })
      .toArray();
    const found = new Map(docs.map((doc) => [doc._id, doc.definition]));
    for (const id of ids) {
      const parsed = JourneyDefinition.safeParse(found.get(id));
      // A missing version may still be being published: only found ones are kept for good.
      if (found.has(id)) this.definitions.set(id, parsed.success ? parsed.data : null);
    }
  }
}

/** The trigger of a definition's entry node. */
export function entryTrigger(definition: JourneyDefinition): EntryTrigger | null {
  const entry = definition.nodes.find((node) => node.type === 'entry');
  return entry?.type === 'entry' ? entry.trigger : null;
}

function indexTrigger(into: WorkspaceJourneys, triggered: TriggeredJourney): void {
  const { trigger } = triggered;
  if (trigger.kind === 'event') add(into.byEvent, trigger.event, triggered);
  if (trigger.kind === 'segment') {
    add(
      into.bySegmentEvent,
      trigger.on === 'entered' ? SEGMENT_ENTERED : SEGMENT_EXITED,
      triggered,
    );
  }
}
