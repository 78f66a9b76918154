import type { Collections, IdentityDoc } from '@junction/core/store';
import { isDuplicateKey } from '@junction/core/store';

import { newId } from '../workspaces/credentials.js';

export interface IdentityRef {
  userId?: string | null | undefined;
  anonymousId?: string | null | undefined;
}

interface Identifier {
  type: 'user_id' | 'anonymous_id';
  value: string;
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
 * first time. One `$in` read per batch; new identities are claimed by inserting their `_id`, so
 * two requests racing for the same new person end on the same profile.
 */
export async function resolveProfiles(
  db: Collections,
  workspaceId: string,
  refs: IdentityRef[],
  now: Date,
): Promise<string[]> {
  const wanted = new Set<string>();
  for (const ref of refs) {
    for (const id of identifiersOf(ref)) wanted.add(identityDocId(workspaceId, id.type, id.value));
  }
  const known = new Map<string, string>();
  const existing = await db.identities
    .find({ _id: { $in: [...wanted] } }, { projection: { profileId: 1 } })
    .toArray();
  for (const doc of existing) known.set(doc._id, doc.profileId);

  const touched = new Map<string, Identifier[]>();
  const profileIds: string[] = [];
  for (const ref of refs) {
    const ids = identifiersOf(ref);
    const keys = ids.map((id) => identityDocId(workspaceId, id.type, id.value));
    // TODO(identity): when userId and anonymousId resolve to different profiles they should
    // merge; until the identity graph lands, the userId's profile wins and nothing is merged.
    let profileId = keys.map((key) => known.get(key)).find((id) => id !== undefined);
    profileId ??= newId('prf');
    const claimed: Identifier[] = [];
    for (const [index, id] of ids.entries()) {
      const key = keys[index]!;
      if (known.has(key)) continue;
      const owner = await claimIdentity(db, { workspaceId, ...id, profileId, key, now });
      known.set(key, owner);
      if (owner === profileId) claimed.push(id);
      else if (index === 0) profileId = owner;
    }
    profileIds.push(profileId);
    // Only new identifiers touch the profile; a known person costs no write here.
    if (claimed.length > 0) touched.set(profileId, [...(touched.get(profileId) ?? []), ...claimed]);
  }

  if (touched.size > 0) await upsertProfiles(db, workspaceId, touched, now);
  return profileIds;
}

/**
 * Two requests that meet the same new person both upsert their profile; one of the concurrent
 * upserts can lose with a duplicate key. The upsert is idempotent, so it is simply run again.
 */
async function upsertProfiles(
  db: Collections,
  workspaceId: string,
  touched: Map<string, Identifier[]>,
  now: Date,
): Promise<void> {
  const write = () =>
    db.profiles.bulkWrite(
      [...touched].map(([profileId, ids]) => ({
        updateOne: {
          filter: { _id: profileId },
          update: {
            $setOnInsert: { workspaceId, createdAt: now },
            $set: { updatedAt: now },
            $addToSet: { identities: { $each: dedupe(ids) } },
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

async function claimIdentity(
  db: Collections,
  claim: Identifier & { workspaceId: string; profileId: string; key: string; now: Date },
): Promise<string> {
  const doc: IdentityDoc = {
    _id: claim.key,
    workspaceId: claim.workspaceId,
    type: claim.type,
    value: claim.value,
    profileId: claim.profileId,
    createdAt: claim.now,
  };
  try {
    await db.identities.insertOne(doc);
    return claim.profileId;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const winner = await db.identities.findOne(
      { _id: claim.key },
      { projection: { profileId: 1 } },
    );
    if (!winner) throw error;
    return winner.profileId;
  }
}

function dedupe(ids: Identifier[]): Identifier[] {
  const seen = new Set<string>();
  return ids.filter((id) => {
    const key = `${id.type}:${id.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
