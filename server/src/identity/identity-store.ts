import type { Identifier } from '@junction/core';
import type { Collections, IdentityDoc, ProfileDoc } from '@junction/core/store';

import { duplicateIndexes } from '../db/bulk.js';

export function identityDocId(workspaceId: string, type: string, value: string): string {
  return `${workspaceId}:${type}:${value}`;
}

export function identityKeys(workspaceId: string, ids: Identifier[]): string[] {
  return ids.map((id) => identityDocId(workspaceId, id.type, id.value));
}

/**
 * Owners of identities by `_id`, in one round trip: our FerretDB build pushes `$in` to its
 * index, and a batch size above the number of keys spares a `getMore` (FerretDB keeps a cursor
 * open when a batch comes back full).
 */
export async function readOwners(db: Collections, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const docs = await db.identities
    .find({ _id: { $in: keys } }, { projection: { profileId: 1 }, batchSize: keys.length + 1 })
    .toArray();
  return new Map(docs.map((doc) => [doc._id, doc.profileId] as const));
}

/** Longest chain of `mergedInto` followed before giving up on a (corrupt) cycle. */
const MAX_MERGE_HOPS = 20;

/**
 * Live profiles by id: a profile merged into another is replaced by the one it ended in, so an
 * identity that still points at a merged profile (a merge in flight) resolves to the survivor.
 */
export async function loadLiveProfiles(
  db: Collections,
  workspaceId: string,
  ids: string[],
): Promise<Map<string, ProfileDoc>> {
  const live = new Map<string, ProfileDoc>();
  let pending = [...new Set(ids)].map((id) => ({ asked: id, id }));
  for (let hop = 0; pending.length > 0 && hop < MAX_MERGE_HOPS; hop++) {
    const ids = [...new Set(pending.map((p) => p.id))];
    const docs = await db.profiles
      .find({ _id: { $in: ids } }, { batchSize: ids.length + 1 })
      .toArray();
    const byId = new Map(docs.map((doc) => [doc._id, doc]));
    const next: typeof pending = [];
    for (const { asked, id } of pending) {
      const doc = byId.get(id);
      if (!doc || doc.workspaceId !== workspaceId) continue;
      if (doc.mergedInto) next.push({ asked, id: doc.mergedInto });
      else live.set(asked, doc);
    }
    pending = next;
  }
  return live;
}

/** Inserts identity claims at once; returns the keys another request won, with the winner. */
export async function insertClaims(
  db: Collections,
  workspaceId: string,
  claims: Map<string, { id: Identifier; profileId: string }>,
  now: Date,
): Promise<Map<string, string>> {
  if (claims.size === 0) return new Map();
  const docs: IdentityDoc[] = [...claims].map(([key, { id, profileId }]) => ({
    _id: key,
    workspaceId,
    type: id.type,
    value: id.value,
    profileId,
    createdAt: now,
  }));
  try {
    await db.identities.insertMany(docs, { ordered: false });
    return new Map();
  } catch (error) {
    const lost = duplicateIndexes(error);
    if (!lost) throw error;
    return readOwners(
      db,
      docs.filter((_, index) => lost.has(index)).map((doc) => doc._id),
    );
  }
}

export function newProfile(
  workspaceId: string,
  profileId: string,
  identities: Identifier[],
  now: Date,
): ProfileDoc {
  return {
    _id: profileId,
    workspaceId,
    traits: {},
    identities,
    createdAt: now,
    updatedAt: now,
  };
}
