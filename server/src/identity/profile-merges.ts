import {
  bucketsUpdate,
  mergeTraits,
  mergeUpdates,
  type CounterUpdate,
  type Identifier,
} from '@junction/core';
import type { Collections, MergeDoc, ProfileDoc } from '@junction/core/store';

import { HttpError } from '../http/errors.js';
import { newId } from '../workspaces/credentials.js';
import type { LinkContext } from './identity-graph.js';
import { identityKeys } from './identity-store.js';

interface Cause {
  context: LinkContext;
  identifiers: Identifier[];
}

export interface Refusal {
  survivor: ProfileDoc;
  others: ProfileDoc[];
  reason: string;
  /** When an identifier over a limit started a profile of its own. */
  newProfileId?: string;
}

function causeOf({ context }: Cause): MergeDoc['cause'] {
  return { messageId: context.messageId, type: context.type, source: context.source };
}

function union<T>(...lists: (T[] | undefined)[]): T[] {
  return [...new Set(lists.flatMap((list) => list ?? []))];
}

/**
 * Applies, refuses and undoes merges. Events are not rewritten: a profile lists the profiles
 * merged into it (`mergedFrom`) and their events are read as its own, so a merge costs a few
 * single-document writes and an undo gives every event back to where it was.
 */
export class ProfileMerges {
  constructor(private readonly db: Collections) {}

  async merge(
    workspaceId: string,
    survivor: ProfileDoc,
    others: ProfileDoc[],
    cause: Cause,
  ): Promise<ProfileDoc> {
    const { now, settings } = cause.context;
    const everyone = [survivor, ...others];
    const traits = mergeTraits(everyone, settings.traitMerge);
    const mergeId = newId('mrg');
    await this.db.merges.insertOne({
      _id: mergeId,
      workspaceId,
      status: 'merged',
      survivorId: survivor._id,
      mergedIds: others.map((p) => p._id),
      identifiers: cause.identifiers,
      cause: causeOf(cause),
      before: everyone,
      traitsAfter: traits,
      createdAt: now,
    });
    const identities = union(
      ...everyone.map((p) => p.identities.map((id) => JSON.stringify(id))),
    ).map((text) => JSON.parse(text) as Identifier);
    const mergedFrom = union(
      survivor.mergedFrom,
      ...others.map((p) => [p._id, ...(p.mergedFrom ?? [])]),
    );
    const merged: ProfileDoc = {
      ...survivor,
      traits,
      identities,
      mergedFrom,
      groupIds: union(...everyone.map((p) => p.groupIds)),
      updatedAt: now,
    };
    if (merged.groupIds!.length === 0) delete merged.groupIds;
    await this.db.profiles.replaceOne({ _id: survivor._id }, merged);
    // Added, not replaced: ingestion may be counting the survivor's events meanwhile.
    const counters = mergedCounters(others);
    if (counters) await this.db.profiles.updateOne({ _id: survivor._id }, counters);
    const moved = others.flatMap((p) => identityKeys(workspaceId, p.identities));
    await this.db.identities.updateMany(
      { _id: { $in: moved } },
      { $set: { profileId: survivor._id } },
    );
    // Their tags and memberships are the survivor's now; evaluation skips merged profiles.
    await this.db.profiles.updateMany(
      { _id: { $in: others.map((p) => p._id) } },
      { $set: { mergedInto: survivor._id, updatedAt: now }, $unset: { tags: '', segments: '' } },
    );
    return merged;
  }

  async refuse(workspaceId: string, refusal: Refusal, cause: Cause): Promise<void> {
    const { survivor, others, reason, newProfileId } = refusal;
    await this.db.merges.insertOne({
      _id: newId('mrg'),
      workspaceId,
      status: 'refused',
      reason,
      survivorId: survivor._id,
      mergedIds: newProfileId ? [newProfileId] : others.map((p) => p._id),
      identifiers: cause.identifiers,
      cause: causeOf(cause),
      before: [],
      createdAt: cause.context.now,
    });
  }

  /**
   * Gives each merged profile back its identities, traits and events. Traits the survivor
   * changed after the merge are kept; the rest return to the survivor's own earlier values.
   */
  // TODO(audience): counters are not split back: the survivor keeps the restored profiles'
  // counts, and they get their counters as at the merge; recounting from events would fix both.
  async undo(workspaceId: string, mergeId: string): Promise<MergeDoc> {
    const merge = await this.db.merges.findOne({ _id: mergeId, workspaceId });
    if (!merge) throw new HttpError(404, 'merge_not_found', 'no such merge in this workspace');
    if (merge.status !== 'merged') {
      throw new HttpError(409, 'merge_not_undoable', `the merge is ${merge.status}`);
    }
    const now = new Date();
    const [before, ...restored] = merge.before;
    const survivor = await this.db.profiles.findOne({ _id: merge.survivorId, workspaceId });
    if (!before || !survivor) throw new HttpError(409, 'merge_not_undoable', 'profiles are gone');
    // Claim the undo first, so two undos of one merge cannot both run.
    const claimed = await this.db.merges.updateOne(
      { _id: mergeId, status: 'merged' },
      { $set: { status: 'undone', undoneAt: now } },
    );
    if (claimed.modifiedCount !== 1) {
      throw new HttpError(409, 'merge_not_undoable', 'the merge is already being undone');
    }

    for (const profile of restored) {
      const keys = identityKeys(workspaceId, profile.identities);
      await this.db.identities.updateMany(
        { _id: { $in: keys } },
        { $set: { profileId: profile._id } },
      );
      await this.db.profiles.replaceOne({ _id: profile._id }, { ...profile, updatedAt: now });
      await this.moveLaterEvents(workspaceId, merge, profile);
    }
    const gone = new Set(restored.flatMap((p) => [p._id, ...(p.mergedFrom ?? [])]));
    const goneIds = new Set(
      restored.flatMap((p) => p.identities.map((id) => `${id.type}\0${id.value}`)),
    );
    const ownIds = new Set(before.identities.map((id) => `${id.type}\0${id.value}`));
    await this.db.profiles.replaceOne(
      { _id: survivor._id },
      {
        ...survivor,
        traits: revertTraits(survivor.traits, before.traits, merge.traitsAfter ?? {}),
        identities: survivor.identities.filter((id) => {
          const text = `${id.type}\0${id.value}`;
          return ownIds.has(text) || !goneIds.has(text);
        }),
        mergedFrom: (survivor.mergedFrom ?? []).filter((id) => !gone.has(id)),
        updatedAt: now,
      },
    );
    // A later merge may have carried the restored profiles further; detach them there too.
    await this.db.profiles.updateMany(
      { workspaceId, mergedFrom: { $in: [...gone] } },
      { $pull: { mergedFrom: { $in: [...gone] } } },
    );
    return { ...merge, status: 'undone', undoneAt: now };
  }

  /** Events that arrived after the merge under a restored profile's ids go back to it. */
  private async moveLaterEvents(workspaceId: string, merge: MergeDoc, profile: ProfileDoc) {
    const userIds = profile.identities.filter((id) => id.type === 'user_id').map((id) => id.value);
    const anonymousIds = profile.identities
      .filter((id) => id.type === 'anonymous_id')
      .map((id) => id.value);
    if (userIds.length + anonymousIds.length === 0) return;
    await this.db.events.updateMany(
      {
        workspaceId,
        profileId: merge.survivorId,
        receivedAt: { $gte: merge.createdAt },
        // An event that names a user belongs to that user, whatever device it came from.
        $or: [
          { userId: { $in: userIds } },
          { userId: { $exists: false }, anonymousId: { $in: anonymousIds } },
        ],
      },
      { $set: { profileId: profile._id } },
    );
  }
}

/** One update adding the merged profiles' event counters to the survivor's; null if none. */
function mergedCounters(others: ProfileDoc[]): CounterUpdate | null {
  let update: CounterUpdate | null = null;
  for (const profile of others) {
    for (const [field, buckets] of Object.entries(profile.counters ?? {})) {
      const added = bucketsUpdate(field, buckets);
      update = update ? mergeUpdates(update, added) : added;
    }
  }
  return update && Object.keys(update).length > 0 ? update : null;
}

/** Survivor traits after an undo: values unchanged since the merge go back to what they were. */
function revertTraits(
  current: Record<string, unknown>,
  before: Record<string, unknown>,
  afterMerge: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(current)) {
    const unchanged = JSON.stringify(value) === JSON.stringify(afterMerge[key]);
    if (!unchanged) out[key] = value;
    else if (key in before) out[key] = before[key];
  }
  return out;
}
