import {
  encodeObject,
  type Identifier,
  type SourceKind,
  type TrackingMessage,
} from '@junction/core';
import { type Collections, type EventDoc } from '@junction/core/store';

import {
  IngestAudience,
  type CountableEvent,
  type IngestAudienceRuntime,
} from '../audience/ingest-audience.js';
import { bulkWriteInChunks, duplicateIndexes } from '../db/bulk.js';
import { HttpError } from '../http/errors.js';
import { assertNever } from '../assert-never.js';
import type { JourneyTriggers } from '../journeys/triggers.js';
import { newId } from '../workspaces/credentials.js';

import type { IdentityResolver } from '../identity/resolver.js';

export interface IngestOptions {
  /** What sent the messages: decides whether they may merge known people. */
  source: SourceKind;
  /** A batch's `sentAt`, for messages without their own. */
  batchSentAt?: string | undefined;
}

export type IngestResult =
  | { messageId: string; status: 'stored' | 'duplicate' }
  | { messageId: string; status: 'rejected'; code: string; path: string[]; message: string };

/** A stored event as a retry reads it back: what is left to do for it. */
type StoredEvent = CountableEvent & Pick<EventDoc, 'pendingJourneys' | 'signalsPending'>;

export function eventDocId(workspaceId: string, messageId: string): string {
  return `${workspaceId}:${messageId}`;
}

const STORED_PROJECTION = {
  profileId: 1,
  pendingJourneys: 1,
  signalsPending: 1,
  countersPending: 1,
  type: 1,
  event: 1,
  properties: 1,
  timestamp: 1,
  receivedAt: 1,
} as const;

/**
 * Segment's clock-skew correction: the client's clock is off by `sentAt - receivedAt`, so the
 * event happened at `receivedAt - (sentAt - timestamp)` on the server's clock.
 */
export function correctedTimestamp(receivedAt: Date, timestamp?: string, sentAt?: string): Date {
  if (!timestamp) return receivedAt;
  const at = Date.parse(timestamp);
  if (!sentAt) return new Date(at);
  return new Date(receivedAt.getTime() - (Date.parse(sentAt) - at));
}

/**
 * Stores tracking messages exactly once per `messageId`, resolves each to one person, applies
 * traits, delivers events to the journey runs waiting for them and enters people into live
 * journeys. Order matters for retries: traits and the event are written before runs are
 * reached, and an event keeps `signalsPending` and `pendingJourneys` until that is done, so a
 * client retry after a failure (a duplicate) finishes the job instead of being dropped. With an audience runtime, the events' counters and the people's tags and segments
 * are updated before the answer too.
 */
export class Ingestor {
  constructor(
    private readonly db: Collections,
    private readonly identities: IdentityResolver,
    private readonly journeys: Pick<JourneyTriggers, 'flag' | 'deliver' | 'enterPending'>,
    private readonly audience?: IngestAudienceRuntime,
  ) {}

  async ingest(
    workspaceId: string,
    messages: TrackingMessage[],
    options: IngestOptions,
  ): Promise<IngestResult[]> {
    const receivedAt = new Date();
    const messageIds = messages.map((message) => message.messageId ?? newId('msg'));
    const docIds = messageIds.map((id) => eventDocId(workspaceId, id));

    // The first occurrence of a messageId in the batch is the one stored; later ones are duplicates.
    const firsts: number[] = [];
    const seen = new Set<string>();
    docIds.forEach((id, index) => {
      if (!seen.has(id)) firsts.push(index);
      seen.add(id);
    });
    // Messages already stored are not resolved or applied again: a stored event proves its
    // profile changes were written, since they are written before the event.
    const stored = await this.loadStored(firsts.map((index) => docIds[index]!));
    const fresh = firsts.filter((index) => !stored.has(docIds[index]!));
    // Read after `receivedAt` is taken: a counter activated before it is known here, and one
    // activated after it leaves these events to its backfill.
    const audience = this.audience
      ? await IngestAudience.begin(this.db, this.audience, workspaceId)
      : null;

    const { outcomes: resolved, joined } = await this.identities.resolve(
      workspaceId,
      fresh.map((index) => ({ message: messages[index]!, messageId: messageIds[index]! })),
      { source: options.source, now: receivedAt },
    );
    const rejected = new Map<number, Extract<IngestResult, { status: 'rejected' }>>();
    const times = { receivedAt, batchSentAt: options.batchSentAt };
    const docs: EventDoc[] = [];
    for (const [n, index] of fresh.entries()) {
      const outcome = resolved[n]!;
      if ('rejected' in outcome) {
        rejected.set(index, {
          messageId: messageIds[index]!,
          status: 'rejected',
          ...outcome.rejected,
        });
        continue;
      }
      const ids = { _id: docIds[index]!, messageId: messageIds[index]! };
      docs.push(
        await this.toEventDoc(workspaceId, messages[index]!, ids, outcome.profileId, times),
      );
    }
    // Flagged before they are stored, so that a retry knows which events still need counting.
    if (audience) docs.forEach((doc) => audience.mark(doc));

    // Profile changes first: `$set` is idempotent, so a retried identify whose first attempt
    // failed before its event was stored applies them again, and one that was stored skips them.
    await this.applyProfileChanges(docs, joined, receivedAt);
    const { inserted, duplicateIds } = await this.insertEvents(docs);
    const raced = await this.loadStored(duplicateIds);
    // Everyone the batch is about, including the people of retried messages, whose first
    // attempt may have stopped short of this.
    await audience?.finish([...inserted, ...stored.values(), ...raced.values()]);

    // A stored event keeps its flags until done: a retry finishes the job.
    await this.actOnJourneys(workspaceId, [...inserted, ...stored.values(), ...raced.values()]);

    const insertedIds = new Set(inserted.map((doc) => doc._id));
    const reported = new Set<string>();
    return docIds.map((id, index): IngestResult => {
      const refusal = rejected.get(index);
      if (refusal) return refusal;
      const first = insertedIds.has(id) && !reported.has(id);
      reported.add(id);
      return { messageId: messageIds[index]!, status: first ? 'stored' : 'duplicate' };
    });
  }

  private async toEventDoc(
    workspaceId: string,
    message: TrackingMessage,
    { _id, messageId }: { _id: string; messageId: string },
    profileId: string,
    times: { receivedAt: Date; batchSentAt: string | undefined },
  ): Promise<EventDoc> {
    const sentAt = message.sentAt ?? times.batchSentAt;
    const doc: EventDoc = {
      _id,
      workspaceId,
      messageId,
      type: message.type,
      profileId,
      timestamp: correctedTimestamp(times.receivedAt, message.timestamp, sentAt),
      receivedAt: times.receivedAt,
    };
    if (message.userId) doc.userId = message.userId;
    if (message.anonymousId) doc.anonymousId = message.anonymousId;
    if (sentAt) doc.sentAt = new Date(sentAt);
    if (message.context) doc.context = encodeObject(message.context);
    switch (message.type) {
      case 'identify':
        if (message.traits) doc.traits = encodeObject(message.traits);
        break;
      case 'track': {
        doc.event = message.event;
        if (message.properties) doc.properties = encodeObject(message.properties);
        await this.journeys.flag(workspaceId, doc, 'tracked', message.properties);
        break;
      }
      case 'page':
      case 'screen':
        if (message.name) doc.name = message.name;
        if (message.category) doc.category = message.category;
        if (message.properties) doc.properties = encodeObject(message.properties);
        break;
      case 'group':
        doc.groupId = message.groupId;
        if (message.traits) doc.traits = encodeObject(message.traits);
        break;
      case 'alias':
        doc.previousId = message.previousId;
        break;
      default:
        assertNever(message);
    }
    return doc;
  }

  /**
   * Delivers the events to runs waiting for them first, then enters new journeys, so a run
   * never receives the event that entered it.
   */
  private async actOnJourneys(workspaceId: string, events: StoredEvent[]): Promise<void> {
    try {
      await this.journeys.deliver(workspaceId, events);
      for (const doc of events) await this.journeys.enterPending(workspaceId, doc, 'event');
    } catch (error) {
      throw new HttpError(
        503,
        'journeys_unavailable',
        'the event is stored but its journeys could not be reached; retry the same message',
        undefined,
        { cause: error },
      );
    }
  }

  /**
   * One write per changed profile: identify traits, a group call's group, and identities the
   * batch linked to it.
   */
  private async applyProfileChanges(
    docs: EventDoc[],
    joined: Map<string, Identifier[]>,
    now: Date,
  ): Promise<void> {
    const changes = new Map<string, { set: Record<string, unknown>; groups: string[] }>();
    const changeOf = (profileId: string) => {
      let change = changes.get(profileId);
      if (!change) changes.set(profileId, (change = { set: {}, groups: [] }));
      return change;
    };
    for (const doc of docs) {
      if (doc.type === 'group' && doc.groupId) changeOf(doc.profileId).groups.push(doc.groupId);
      if (doc.type !== 'identify' || !doc.traits) continue;
      const { set } = changeOf(doc.profileId);
      for (const [key, value] of Object.entries(doc.traits)) set[`traits.${key}`] = value;
    }
    for (const profileId of joined.keys()) changeOf(profileId);
    const updates = [...changes].map(([profileId, { set, groups }]) => {
      const addToSet: Record<string, unknown> = {};
      const identities = joined.get(profileId);
      if (identities) addToSet.identities = { $each: identities };
      if (groups.length > 0) addToSet.groupIds = { $each: groups };
      const update: Record<string, unknown> = { $set: { ...set, updatedAt: now } };
      if (Object.keys(addToSet).length > 0) update.$addToSet = addToSet;
      return { updateOne: { filter: { _id: profileId }, update } };
    });
    await bulkWriteInChunks(this.db.profiles, updates, { ordered: true });
  }

  /**
   * Inserts first and lets the `_id` refuse duplicates: no read before the write, which on
   * FerretDB's SQLite backend would scan the events collection for an `$in`.
   */
  private async insertEvents(
    docs: EventDoc[],
  ): Promise<{ inserted: EventDoc[]; duplicateIds: string[] }> {
    if (docs.length === 0) return { inserted: [], duplicateIds: [] };
    try {
      await this.db.events.insertMany(docs, { ordered: false });
      return { inserted: docs, duplicateIds: [] };
    } catch (error) {
      const duplicates = duplicateIndexes(error);
      if (!duplicates) throw error;
      return {
        inserted: docs.filter((_, index) => !duplicates.has(index)),
        duplicateIds: docs.filter((_, index) => duplicates.has(index)).map((doc) => doc._id),
      };
    }
  }

  /** Stored copies of already stored messages, in one read by `_id`. */
  private async loadStored(ids: string[]): Promise<Map<string, StoredEvent>> {
    if (ids.length === 0) return new Map();
    const docs = await this.db.events
      .find<StoredEvent>(
        { _id: { $in: ids } },
        { projection: STORED_PROJECTION, batchSize: ids.length + 1 },
      )
      .toArray();
    return new Map(docs.map((doc) => [doc._id, doc]));
  }
}
