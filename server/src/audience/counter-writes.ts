import { bucketsUpdate, type CounterBuckets } from '@junction/core';
import type { ProfileDoc } from '@junction/core/store';
import type { AnyBulkWriteOperation, Collection } from 'mongodb';

import { bulkWriteInChunks } from '../db/bulk.js';

/** Buckets a backfill counted for one counter field of one profile. */
export interface BucketFill {
  profileId: string;
  field: string;
  buckets: CounterBuckets;
}

/**
 * Adds backfilled buckets to the profiles' counters, once: each write also records the field in
 * `audience.filled`, and skips a profile that already has it, so a retried backfill that wrote
 * part of its fills before failing never counts them twice. One write per profile and field, so
 * two backfills of different counters never skip each other's.
 */
export async function addFilledBuckets(
  profiles: Collection<ProfileDoc>,
  fills: BucketFill[],
): Promise<void> {
  const operations = fills.flatMap(({ profileId, field, buckets }) => {
    if (Object.keys(buckets).length === 0) return [];
    const update = bucketsUpdate(field, buckets);
    const operation: AnyBulkWriteOperation<ProfileDoc> = {
      updateOne: {
        filter: { _id: profileId, 'audience.filled': { $ne: field } },
        update: { ...update, $addToSet: { ...update.$addToSet, 'audience.filled': field } },
      },
    };
    return [operation];
  });
  await bulkWriteInChunks(profiles, operations, { ordered: false });
}

/** Removes counter paths (old buckets, dropped counters) from the profiles. */
export async function unsetCounterPaths(
  profiles: Collection<ProfileDoc>,
  unsets: { profileId: string; paths: string[] }[],
): Promise<void> {
  const operations = unsets.flatMap(({ profileId, paths }) => {
    if (paths.length === 0) return [];
    const $unset = Object.fromEntries(paths.map((path) => [path, '' as const]));
    return [{ updateOne: { filter: { _id: profileId }, update: { $unset } } }];
  });
  await bulkWriteInChunks(profiles, operations, { ordered: false });
}
