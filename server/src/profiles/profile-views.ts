import { decodeObject } from '@junction/core';
import type { EventDoc, MergeDoc, ProfileDoc } from '@junction/core/store';

/** A profile as the API shows it: traits with their original keys, no storage fields. */
export function profileView(doc: ProfileDoc, resolvedFrom?: string) {
  return {
    id: doc._id,
    ...(resolvedFrom ? { resolvedFrom } : {}),
    traits: decodeObject(doc.traits),
    identities: doc.identities,
    groupIds: doc.groupIds ?? [],
    mergedFrom: doc.mergedFrom ?? [],
    tags: doc.tags ?? {},
    segments: doc.segments ?? {},
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export type ProfileView = ReturnType<typeof profileView>;

/** One timeline entry; `profileId` says which (possibly merged) profile it was stored under. */
export function eventView(doc: EventDoc) {
  return {
    messageId: doc.messageId,
    type: doc.type,
    ...optional('event', doc.event),
    ...optional('name', doc.name),
    ...optional('category', doc.category),
    ...optional('groupId', doc.groupId),
    ...optional('previousId', doc.previousId),
    profileId: doc.profileId,
    ...optional('userId', doc.userId),
    ...optional('anonymousId', doc.anonymousId),
    ...optional('properties', doc.properties && decodeObject(doc.properties)),
    ...optional('traits', doc.traits && decodeObject(doc.traits)),
    ...optional('context', doc.context && decodeObject(doc.context)),
    timestamp: doc.timestamp,
    receivedAt: doc.receivedAt,
    ...optional('sentAt', doc.sentAt),
  };
}

/** What a merge list shows: the decision and who it joined, not the profiles' old contents. */
export type MergeSummaryDoc = Omit<MergeDoc, 'before' | 'traitsAfter'> & {
  before: Pick<ProfileDoc, '_id'>[];
};

export function mergeSummary(doc: MergeSummaryDoc) {
  return {
    id: doc._id,
    status: doc.status,
    ...optional('reason', doc.reason),
    survivorId: doc.survivorId,
    mergedIds: doc.mergedIds,
    identifiers: doc.identifiers,
    cause: doc.cause,
    /** Profiles whose earlier state the merge kept, so an undo can restore them. */
    snapshotIds: doc.before.map((profile) => profile._id),
    createdAt: doc.createdAt,
    ...optional('undoneAt', doc.undoneAt),
  };
}

/** One merge in full: what each profile looked like before it, for review before an undo. */
export function mergeDetail(doc: MergeDoc) {
  return {
    ...mergeSummary(doc),
    before: doc.before.map((profile) => profileView(profile)),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
