import { encodeObject, type IdentifyMessage, type TrackMessage } from '@junction/core';
import { type Collections, type EventDoc } from '@junction/core/store';

import { bulkWriteInChunks, duplicateIndexes } from '../db/bulk.js';
import { HttpError } from '../http/errors.js';
import { parsePendingEntry, pendingEntry, type JourneyRuns } from '../journeys/journey-runs.js';
import { newId } from '../workspaces/credentials.js';

import { resolveProfiles } from './profiles.js';

export type IngestItem =
  { type: 'identify'; message: IdentifyMessage } | { type: 'track'; message: TrackMessage };

export interface IngestResult {
  messageId: string;
  status: 'stored' | 'duplicate';
}

export function eventDocId(workspaceId: string, messageId: string): string {
  return `${workspaceId}:${messageId}`;
}

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
 * Stores identify and track messages exactly once per `messageId`, applies traits, and enters
 * people into live journeys. Order matters for retries: traits and the event are written
 * before runs start, and an event keeps `pendingJourneys` until its runs have started, so a
 * client retry after a failure (a duplicate) finishes the job instead of being dropped.
 */
export class Ingestor {
  constructor(
    private readonly db: Collections,
    private readonly runs: JourneyRuns,
  ) {}

  async ingest(
    workspaceId: string,
    items: IngestItem[],
    batchSentAt?: string,
  ): Promise<IngestResult[]> {
    const receivedAt = new Date();
    const messageIds = items.map((item) => item.message.messageId ?? newId('msg'));
    const docIds = messageIds.map((id) => eventDocId(workspaceId, id));

    // The first occurrence of a messageId in the batch is the one stored; later ones are duplicates.
    const fresh: number[] = [];
    const seen = new Set<string>();
    docIds.forEach((id, index) => {
      if (!seen.has(id)) fresh.push(index);
      seen.add(id);
    });

    const profileIds = await resolveProfiles(
      this.db,
      workspaceId,
      fresh.map((index) => items[index]!.message),
      receivedAt,
    );
    const times = { receivedAt, batchSentAt };
    const docs: EventDoc[] = [];
    for (const [n, index] of fresh.entries()) {
      const ids = { _id: docIds[index]!, messageId: messageIds[index]! };
      docs.push(await this.toEventDoc(workspaceId, items[index]!, ids, profileIds[n]!, times));
    }

    // Traits first: `$set` is idempotent, so a retried identify (stored as a duplicate below)
    // still leaves its traits applied even if the first attempt failed in between.
    await this.applyTraits(docs, receivedAt);
    const { inserted, duplicateIds } = await this.insertEvents(docs);
    const previous = await this.loadDuplicates(duplicateIds);

    for (const doc of [...inserted, ...previous]) await this.enterJourneys(workspaceId, doc);

    const insertedIds = new Set(inserted.map((doc) => doc._id));
    const reported = new Set<string>();
    return docIds.map((id, index) => {
      const first = insertedIds.has(id) && !reported.has(id);
      reported.add(id);
      return { messageId: messageIds[index]!, status: first ? 'stored' : 'duplicate' };
    });
  }

  private async toEventDoc(
    workspaceId: string,
    item: IngestItem,
    { _id, messageId }: { _id: string; messageId: string },
    profileId: string,
    times: { receivedAt: Date; batchSentAt: string | undefined },
  ): Promise<EventDoc> {
    const { message } = item;
    const sentAt = message.sentAt ?? times.batchSentAt;
    const doc: EventDoc = {
      _id,
      workspaceId,
      messageId,
      type: item.type,
      profileId,
      timestamp: correctedTimestamp(times.receivedAt, message.timestamp, sentAt),
      receivedAt: times.receivedAt,
    };
    if (message.userId) doc.userId = message.userId;
    if (message.anonymousId) doc.anonymousId = message.anonymousId;
    if (sentAt) doc.sentAt = new Date(sentAt);
    if (message.context) doc.context = encodeObject(message.context);
    if (item.type === 'identify') {
      if (item.message.traits) doc.traits = encodeObject(item.message.traits);
    } else {
      doc.event = item.message.event;
      if (item.message.properties) doc.properties = encodeObject(item.message.properties);
      const journeys = await this.runs.journeysFor(workspaceId, item.message.event);
      if (journeys.length > 0) doc.pendingJourneys = journeys.map(pendingEntry);
    }
    return doc;
  }

  /**
   * Each journey entry is removed from the event once its run has started, so a retry after a
   * partial failure starts only what is missing and never re-enters a finished run.
   */
  private async enterJourneys(
    workspaceId: string,
    doc: Pick<EventDoc, '_id' | 'profileId' | 'pendingJourneys'>,
  ): Promise<void> {
    for (const entry of doc.pendingJourneys ?? []) {
      try {
        await this.runs.start(workspaceId, doc.profileId, doc._id, parsePendingEntry(entry));
      } catch (error) {
        throw new HttpError(
          503,
          'journeys_unavailable',
          'the event is stored but its journeys could not start; retry the same message',
          undefined,
          { cause: error },
        );
      }
      await this.db.events.updateOne({ _id: doc._id }, { $pull: { pendingJourneys: entry } });
    }
  }

  private async applyTraits(docs: EventDoc[], now: Date): Promise<void> {
    const updates = docs
      .filter((doc) => doc.type === 'identify' && doc.traits && Object.keys(doc.traits).length > 0)
      .map((doc) => {
        const set: Record<string, unknown> = { updatedAt: now };
        for (const [key, value] of Object.entries(doc.traits!)) set[`traits.${key}`] = value;
        return { updateOne: { filter: { _id: doc.profileId }, update: { $set: set } } };
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

  /** Stored copies of duplicates, read one by `_id` at a time (an indexed lookup everywhere). */
  private async loadDuplicates(
    ids: string[],
  ): Promise<Pick<EventDoc, '_id' | 'profileId' | 'pendingJourneys'>[]> {
    const docs = await Promise.all(
      ids.map((_id) =>
        this.db.events.findOne({ _id }, { projection: { profileId: 1, pendingJourneys: 1 } }),
      ),
    );
    return docs.filter((doc) => doc !== null);
  }
}
