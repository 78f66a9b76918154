import { randomBytes } from 'node:crypto';

import { BSON, type Collection } from 'mongodb';

import type { Collections, EventDoc } from '@junction/core/store';
import { createWorkspace } from '@junction/server';

import { basicAuth, type JsonResponse } from './http-client.js';
import { eventDocument, type Workload } from './ingest-workload.js';
import { progress, runPool, withTimeout } from './measure.js';

export interface IngestBench {
  workload: Workload;
  concurrency: number;
  /** Longest wait for one request or insertMany before the bench gives up. */
  timeoutMs: number;
  store: Collections;
  /** Where the baseline writes: a collection of its own in the app's database. */
  raw: Collection<EventDoc>;
  post(path: string, body: Buffer, headers: Record<string, string>): Promise<JsonResponse>;
}

export interface TimedRound {
  /** `known`: the same people again, after all of them signed in (steady-state traffic). */
  phase: 'http' | 'raw' | 'http known' | 'raw known';
  events: number;
  seconds: number;
}

interface BatchAnswer {
  stored?: number;
  duplicates?: number;
}

/**
 * Sends every batch of the workload, `concurrency` requests at a time, into a fresh workspace
 * or into `into`, one that has seen these people before.
 */
export async function httpRound(
  bench: IngestBench,
  label: string,
  into?: { workspaceId: string; writeKey: string },
) {
  const { workspaceId, writeKey } = into ?? (await createWorkspace(bench.store, `bench ${label}`));
  const headers = { authorization: basicAuth(writeKey) };
  const { bodies, batches } = bench.workload;
  const tasks = bodies.map((body, index) => async () => {
    const response = await withTimeout(
      bench.post('/v1/batch', body, headers),
      bench.timeoutMs,
      `POST /v1/batch (batch ${index})`,
    );
    const answer = response.body as BatchAnswer | null;
    if (response.status !== 200 || answer?.stored !== batches[index]!.length) {
      throw new Error(
        `batch ${index} answered ${response.status}: ${JSON.stringify(response.body)}`,
      );
    }
  });
  const started = performance.now();
  await runPool(tasks, bench.concurrency, progress(`http ${label}`, tasks.length));
  const round: TimedRound = {
    phase: into ? 'http known' : 'http',
    events: bench.workload.calls.length,
    seconds: (performance.now() - started) / 1000,
  };
  return { workspaceId, writeKey, round };
}

/**
 * The baseline: `insertMany` (unordered) of the documents the server would store, built before
 * the clock starts, under a workspace id of their own.
 */
export async function rawRound(bench: IngestBench, label: string, known = false) {
  // As long as the server's workspace ids, so that both stored documents have one size.
  const workspaceId = `ws_${randomBytes(12).toString('base64url')}`;
  const { batches, people, sentAt } = bench.workload;
  const profiles = new Map(people.map((person) => [person.anonymousId, person.profileId]));
  const receivedAt = new Date();
  const tasks = batches.map((batch) => {
    const docs = batch.map((call) =>
      eventDocument(call, workspaceId, profiles.get(call.anonymousId)!, receivedAt, sentAt),
    );
    const insert = () => bench.raw.insertMany(docs, { ordered: false });
    return async () => void (await withTimeout(insert(), bench.timeoutMs, 'insertMany'));
  });
  const started = performance.now();
  await runPool(tasks, bench.concurrency, progress(`raw  ${label}`, tasks.length));
  const round: TimedRound = {
    phase: known ? 'raw known' : 'raw',
    events: bench.workload.calls.length,
    seconds: (performance.now() - started) / 1000,
  };
  return { workspaceId, round };
}

export interface DedupeCheck {
  stored: number | undefined;
  duplicates: number | undefined;
  eventsBefore: number;
  eventsAfter: number;
  /** How long the server took to answer the resent batch. */
  seconds: number;
  ok: boolean;
}

/** Sends the first batch again to a workspace that has it: nothing new may be stored. */
export async function checkDedupe(
  bench: IngestBench,
  workspace: { workspaceId: string; writeKey: string },
): Promise<DedupeCheck> {
  const count = () => bench.store.events.countDocuments({ workspaceId: workspace.workspaceId });
  const eventsBefore = await count();
  const started = performance.now();
  const response = await bench.post('/v1/batch', bench.workload.bodies[0]!, {
    authorization: basicAuth(workspace.writeKey),
  });
  const seconds = (performance.now() - started) / 1000;
  const eventsAfter = await count();
  const answer = response.body as BatchAnswer | null;
  return {
    stored: answer?.stored,
    duplicates: answer?.duplicates,
    eventsBefore,
    eventsAfter,
    seconds,
    ok:
      response.status === 200 &&
      answer?.stored === 0 &&
      answer.duplicates === bench.workload.batches[0]!.length &&
      eventsAfter === eventsBefore,
  };
}

export interface DocumentShape {
  /** Average BSON size. */
  bytes: number;
  /** Field names of the first document, sorted and comma-separated. */
  fields: string;
}

/**
 * Size and fields of the stored documents of the first `sample` calls, each read by `_id`
 * (an `$in` would scan the collection on FerretDB).
 */
export async function documentShape(
  bench: IngestBench,
  collection: Collection<EventDoc>,
  workspaceId: string,
  sample = 200,
): Promise<DocumentShape> {
  const calls = bench.workload.calls.slice(0, sample);
  const docs = await Promise.all(
    calls.map((call) => collection.findOne({ _id: `${workspaceId}:${call.messageId}` })),
  );
  const found = docs.filter((doc) => doc !== null);
  const bytes = found.reduce((sum, doc) => sum + BSON.calculateObjectSize(doc), 0);
  return {
    bytes: found.length > 0 ? Math.round(bytes / found.length) : 0,
    fields: Object.keys(found[0] ?? {})
      .sort()
      .join(','),
  };
}
