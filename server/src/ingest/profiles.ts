import {
  isDuplicateKey,
  type Collections,
  type IdentityDoc,
  type ProfileDoc,
} from '@junction/core/store';

import { newId } from '../workspaces/credentials.js';
import { bulkWriteInChunks, duplicateIndexes } from '../db/bulk.js';

export interface IdentityRef {
  userId?: string | null | undefined;
  anonymousId?: string | null | undefined;
}

interface Identifier {
  type: 'user_id' | 'anonymous_id';
  value: string;
}

interface Claim {
  id: Identifier;
  profileId: string;
}

export function identityDocId(workspaceId: string, type: string, value: string): string {
  return `${workspaceId}:${type}:${value}`;
}

function identifiersOf(ref: IdentityRef): Identifier[] {
  const ids: Identifier[] = [];
  if (ref.userId) ids.push({ type: 'user_id', value: ref.userId });
  if (ref.anonymousId) ids.push({ type: 'anonymous_id', value: ref.anonymousId });
  return ids;
}

/**
 * Maps each message's identifiers to one profile id, creating profiles for people seen for the
 * first time. A batch costs one read of known identities, one insert of new ones and one write
 * of new profiles. A new identity is claimed by inserting its `_id`; when another request
 * claimed it first, this batch adopts that request's profile, so both end on the same person.
 */
export async function resolveProfiles(
  db: Collections,
  workspaceId: string,
  refs: IdentityRef[],
  now: Date,
): Promise<string[]> {
  const idsOf = refs.map(identifiersOf);
  const keysOf = idsOf.map((ids) => ids.map((id) => identityDocId(workspaceId, id.type, id.value)));
  const owners = await readOwners(db, [...new Set(keysOf.flat())]);

  // TODO(identity): when a message's identifiers belong to different profiles they should
  // merge; until the identity graph lands, the first identifier (userId) wins.
  const claims = new Map<string, Claim>();
  const fresh = new Set<string>();
  const ownerOf = (key: string) => owners.get(key) ?? claims.get(key)?.profileId;
  idsOf.forEach((ids, i) => {
    let profileId = keysOf[i]!.map(ownerOf).find((owner) => owner !== undefined);
    if (!profileId) {
      profileId = newId('prf');
      fresh.add(profileId);
    }
    ids.forEach((id, n) => {
      const key = keysOf[i]![n]!;
      if (ownerOf(key) === undefined) claims.set(key, { id, profileId });
    });
  });

  for (const [key, winner] of await insertClaims(db, workspaceId, claims, now)) {
    owners.set(key, winner);
    claims.delete(key);
  }
  const profileIds = keysOf.map((keys) => keys.map(ownerOf).find((owner) => owner !== undefined)!);
  await repointOrphanClaims(db, keysOf, profileIds, claims);

  const identitiesOf = new Map<string, Identifier[]>();
  for (const { id, profileId } of claims.values()) {
    identitiesOf.set(profileId, [...(identitiesOf.get(profileId) ?? []), id]);
  }
  if (identitiesOf.size > 0) await writeProfiles(db, workspaceId, identitiesOf, fresh, now);
  return profileIds;
}

/** Owners of identities by `_id`, in one round trip (our FerretDB build pushes `$in` to its index). */
async function readOwners(db: Collections, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const docs = await db.identities
    .find({ _id: { $in: keys } }, { projection: { profileId: 1 }, batchSize: keys.length })
    .toArray();
  return new Map(docs.map((doc) => [doc._id, doc.profileId] as const));
}

/** Inserts all claims at once; returns the keys another request won, with the winner. */
async function insertClaims(
  db: Collections,
  workspaceId: string,
  claims: Map<string, Claim>,
  now: Date,
): Promise<Map<string, string>> {
  if (claims.size === 0) return new Map();
  const docs: IdentityDoc[] = [...claims].map(([key, { id, profileId }]) => ({
    _id: key,
    workspaceId,
    ...id,
    profileId,
    createdAt: now,
  }));
  try {
    await db.identities.insertMany(docs, { ordered: false });
    return new Map();
  } catch (error) {
    const lost = duplicateIndexes(error);
    if (!lost) throw error;
    const keys = docs.filter((_, index) => lost.has(index)).map((doc) => doc._id);
    return readOwners(db, keys);
  }
}

/**
 * When a message's first identifier was won by another request but a later one was claimed
 * here, that later identity points at a profile nobody uses: move it to the winner's profile.
 */
async function repointOrphanClaims(
  db: Collections,
  keysOf: string[][],
  profileIds: string[],
  claims: Map<string, Claim>,
): Promise<void> {
  for (const [i, keys] of keysOf.entries()) {
    for (const key of keys) {
      const claim = claims.get(key);
      if (!claim || claim.profileId === profileIds[i]) continue;
      await db.identities.updateOne(
        { _id: key, profileId: claim.profileId },
        { $set: { profileId: profileIds[i]! } },
      );
      claim.profileId = profileIds[i]!;
    }
  }
}

/**
 * New people's profiles are inserted in one command; identities that join an existing profile
 * (or a profile another request is creating) are added by an idempotent upsert.
 */
async function writeProfiles(
  db: Collections,
  workspaceId: string,
  identitiesOf: Map<string, Identifier[]>,
  fresh: Set<string>,
  now: Date,
): Promise<void> {
  const created: ProfileDoc[] = [...identitiesOf]
    .filter(([profileId]) => fresh.has(profileId))
    .map(([profileId, identities]) => ({
      _id: profileId,
      workspaceId,
      traits: {},
      identities,
      createdAt: now,
      updatedAt: now,
    }));
  const toUpsert = new Set([...identitiesOf.keys()].filter((profileId) => !fresh.has(profileId)));
  if (created.length > 0) {
    try {
      await db.profiles.insertMany(created, { ordered: false });
    } catch (error) {
      const raced = duplicateIndexes(error);
      if (!raced) throw error;
      created.filter((_, index) => raced.has(index)).forEach((doc) => toUpsert.add(doc._id));
    }
  }
  if (toUpsert.size > 0) await upsertIdentities(db, workspaceId, identitiesOf, toUpsert, now);
}

/** Upserts can race each other on a new `_id`; they are idempotent, so the loser runs again. */
async function upsertIdentities(
  db: Collections,
  workspaceId: string,
  identitiesOf: Map<string, Identifier[]>,
  profileIds: Set<string>,
  now: Date,
): Promise<void> {
  const write = () =>
    bulkWriteInChunks(
      db.profiles,
      [...profileIds].map((profileId) => ({
        updateOne: {
          filter: { _id: profileId },
          update: {
            $setOnInsert: { workspaceId, createdAt: now },
            $set: { updatedAt: now },
            $addToSet: { identities: { $each: identitiesOf.get(profileId) ?? [] } },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  try {
    await write();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await write();
  }
}
