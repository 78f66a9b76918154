import type { Collection } from 'mongodb';

import type { AudienceDueDoc } from '@junction/core/store';

import { bulkWriteInChunks } from '../db/bulk.js';

/** Due times are grouped into five-minute slots; the sweep runs once per slot. */
export const SLOT_MS = 5 * 60_000;
/** Each slot is split into this many documents, so no one document grows without bound. */
export const DUE_SHARDS = 16;
// Slots read per query: 60 slots (five hours) of all shards, well under FerretDB's limits.
const SLOTS_PER_READ = 60;

/** The slot a due time falls in: rounded up, so the sweep never evaluates a person too early. */
export function dueSlot(at: Date): number {
  return Math.ceil(at.getTime() / SLOT_MS) * SLOT_MS;
}

/** The last slot that has started at `now`. */
export function lastSlotAt(now: Date): number {
  return Math.floor(now.getTime() / SLOT_MS) * SLOT_MS;
}

export function dueShard(profileId: string): number {
  // FNV-1a: cheap, stable across processes, and spreads ids evenly.
  let hash = 0x811c9dc5;
  for (let index = 0; index < profileId.length; index++) {
    hash ^= profileId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % DUE_SHARDS;
}

export function dueDocId(workspaceId: string, slot: number, shard: number): string {
  return `${workspaceId}:${slot}:${shard}`;
}

/**
 * Who is due for re-evaluation when, by slot: written by every evaluation that found a
 * time-relative condition, read by the sweep by `_id`, so it never scans profiles.
 */
export class DueQueue {
  constructor(private readonly due: Collection<AudienceDueDoc>) {}

  async enqueue(workspaceId: string, entries: { profileId: string; at: Date }[]): Promise<void> {
    const byDoc = new Map<string, { slot: number; profileIds: string[] }>();
    for (const { profileId, at } of entries) {
      const slot = dueSlot(at);
      const id = dueDocId(workspaceId, slot, dueShard(profileId));
      const doc = byDoc.get(id) ?? { slot, profileIds: [] };
      doc.profileIds.push(profileId);
      byDoc.set(id, doc);
    }
    const updates = [...byDoc].map(([_id, { slot, profileIds }]) => ({
      updateOne: {
        filter: { _id },
        update: {
          $addToSet: { profileIds: { $each: profileIds } },
          $setOnInsert: { workspaceId, slot },
        },
        upsert: true,
      },
    }));
    await bulkWriteInChunks(this.due, updates, { ordered: false });
  }

  /** The due documents of consecutive slots from `first` through `last`, a few hours at a time. */
  async *slots(
    workspaceId: string,
    first: number,
    last: number,
  ): AsyncGenerator<{ docs: AudienceDueDoc[]; through: number }> {
    for (let start = first; start <= last; start += SLOTS_PER_READ * SLOT_MS) {
      const ids: string[] = [];
      const end = Math.min(last, start + (SLOTS_PER_READ - 1) * SLOT_MS);
      for (let slot = start; slot <= end; slot += SLOT_MS) {
        for (let shard = 0; shard < DUE_SHARDS; shard++)
          ids.push(dueDocId(workspaceId, slot, shard));
      }
      const docs = await this.due
        .find({ _id: { $in: ids } }, { batchSize: ids.length + 1 })
        .toArray();
      yield { docs, through: end };
    }
  }

  /**
   * Takes the swept people out of the slot documents, then drops the documents left empty.
   * Someone queued into a slot while it was being swept stays there for the next sweep.
   */
  async remove(docIds: string[], profileIds: string[]): Promise<void> {
    if (docIds.length === 0) return;
    await this.due.updateMany({ _id: { $in: docIds } }, { $pullAll: { profileIds } });
    await this.due.deleteMany({ _id: { $in: docIds }, profileIds: { $size: 0 } });
  }
}
