import { Context } from '@temporalio/activity';

import { addToBuckets, decodeObject, type CounterBuckets } from '@junction/core';
import type { AudienceCollections, Collections, StoredCounter } from '@junction/core/store';
import { addFilledBuckets, type BucketFill } from '@junction/server/audience';
import type { AudienceJobRef } from '@junction/workflows/activities';

import { JobProgress } from './job-progress.js';

export interface FillDeps {
  db: Collections;
  audienceDb: AudienceCollections;
}

type Unfilled = [id: string, counter: StoredCounter];

const EVENTS_PER_BATCH = 1_000;
/** How long an ingest batch may take from receiving its messages to storing their events. */
const INGEST_SETTLE_MS = 10_000;

/**
 * Counts into the workspace's unfilled counters the events that arrived before each was
 * activated; ingestion counted those after. Events of merged-away people count for their
 * survivor. Buckets are gathered per profile in memory, then written once per profile.
 */
export function createFillAudienceCounters({ db, audienceDb }: FillDeps) {
  return async function fillAudienceCounters(
    job: AudienceJobRef,
  ): Promise<{ counters: number; eventsRead: number }> {
    const { workspaceId } = job;
    const state = await audienceDb.audienceState.findOne({ _id: workspaceId });
    const unfilled: Unfilled[] = Object.entries(state?.counters ?? {}).filter(
      ([, counter]) => !counter.filledAt,
    );
    if (!state || unfilled.length === 0) return { counters: 0, eventsRead: 0 };

    const progress = new JobProgress<null>(audienceDb.audienceJobs, job.jobId);
    await settleIngestion(unfilled, progress);
    const owners = await survivors(db, workspaceId);
    const { fills, eventsRead } = await countEvents(db, workspaceId, unfilled, {
      owners,
      timeZone: state.timeZone,
      progress,
    });
    await addFilledBuckets(db.profiles, fills);
    const filledAt = new Date();
    for (const [id, counter] of unfilled) {
      // Only the activation filled here: a counter dropped and activated again needs its own.
      await audienceDb.audienceState.updateOne(
        { _id: workspaceId, [`counters.${id}.field`]: counter.field },
        { $set: { [`counters.${id}.filledAt`]: filledAt } },
      );
    }
    await progress.report({ eventsRead }, null, true);
    return { counters: unfilled.length, eventsRead };
  };
}

/**
 * Waits until the ingest batches received before the last activation have stored their events:
 * the scan must see them, since ingestion does not count them.
 */
async function settleIngestion(unfilled: Unfilled[], progress: JobProgress<null>): Promise<void> {
  const latest = Math.max(...unfilled.map(([, counter]) => counter.activatedAt.getTime()));
  for (let wait = latest + INGEST_SETTLE_MS - Date.now(); wait > 0;) {
    await progress.report({});
    await Context.current().sleep(Math.min(wait, 1_000));
    wait = latest + INGEST_SETTLE_MS - Date.now();
  }
}

/** Which live profile each merged-away profile's events belong to now. */
async function survivors(db: Collections, workspaceId: string): Promise<Map<string, string>> {
  const merged = await db.profiles
    .find(
      { workspaceId, mergedFrom: { $exists: true } },
      { projection: { mergedFrom: 1, mergedInto: 1 } },
    )
    .toArray();
  const owners = new Map<string, string>();
  for (const profile of merged) {
    if (profile.mergedInto) continue;
    for (const id of profile.mergedFrom ?? []) owners.set(id, profile._id);
  }
  return owners;
}

/** Reads the events the unfilled counters missed and gathers their buckets per profile. */
async function countEvents(
  db: Collections,
  workspaceId: string,
  unfilled: Unfilled[],
  options: { owners: Map<string, string>; timeZone: string; progress: JobProgress<null> },
): Promise<{ fills: BucketFill[]; eventsRead: number }> {
  // Per event name, what arrived before the latest activation of a counter of that name.
  const before = new Map<string, Date>();
  for (const [, { spec, activatedAt }] of unfilled) {
    const known = before.get(spec.event);
    if (!known || activatedAt > known) before.set(spec.event, activatedAt);
  }
  const ranges = [...before].map(([event, at]) => ({ event, receivedAt: { $lt: at } }));
  const events = db.events.find(
    { workspaceId, type: 'track', $or: ranges },
    {
      projection: { profileId: 1, event: 1, properties: 1, timestamp: 1, receivedAt: 1 },
      batchSize: EVENTS_PER_BATCH,
    },
  );
  const buckets = new Map<string, CounterBuckets>();
  const fills: BucketFill[] = [];
  let eventsRead = 0;
  for await (const event of events) {
    if (++eventsRead % EVENTS_PER_BATCH === 0) await options.progress.report({ eventsRead });
    const counted = {
      event: event.event ?? '',
      properties: event.properties ? decodeObject(event.properties) : undefined,
      timestamp: event.timestamp,
      receivedAt: event.receivedAt,
    };
    const profileId = options.owners.get(event.profileId) ?? event.profileId;
    for (const [, { spec, field, activatedAt }] of unfilled) {
      // The partition with ingestion, which counts what arrived from `activatedAt` on.
      if (spec.event !== counted.event || counted.receivedAt >= activatedAt) continue;
      const key = `${profileId}\0${field}`;
      let fill = buckets.get(key);
      if (!fill) {
        buckets.set(key, (fill = {}));
        fills.push({ profileId, field, buckets: fill });
      }
      addToBuckets(fill, spec, counted, options.timeZone);
    }
  }
  return { fills, eventsRead };
}
