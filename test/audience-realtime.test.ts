import { randomBytes } from 'node:crypto';

import request from 'supertest';

import type { SegmentDefinition, TagDefinition } from '@junction/core';
import { createLogger } from '@junction/server';
import { createAudience, type Audience } from '@junction/server/audience';

import {
  basicAuth,
  eventually,
  startStack,
  startWorker,
  type TestStack,
  type WorkerProcess,
} from './harness.js';
import { deleteAudienceSchedules, profileOfUser, storeDefinition } from './audience-fixtures.js';

// Audience jobs of this file go to a queue of its own, served only by this file's worker.
process.env.JUNCTION_AUDIENCE_TASK_QUEUE = `junction-audience-${randomBytes(4).toString('hex')}`;
process.env.JUNCTION_WORKER_ROLES = 'audience';

const purchases: TagDefinition = {
  key: 'purchases_30d',
  name: 'Purchases in 30 days',
  description: '',
  owner: '',
  rule: {
    kind: 'behavioral',
    event: 'Order Completed',
    where: [{ property: 'amount', op: 'gt', value: 0 }],
    aggregate: 'count',
    within: { days: 30 },
  },
};

const buyers: SegmentDefinition = {
  key: 'buyers',
  name: 'Buyers without refunds',
  description: '',
  owner: '',
  condition: {
    type: 'all',
    conditions: [
      { type: 'tag', tag: 'purchases_30d', op: 'gte', value: 1 },
      {
        type: 'event',
        event: 'Order Refunded',
        within: { days: 30 },
        aggregate: 'count',
        op: 'eq',
        value: 0,
      },
    ],
  },
};

const trials: TagDefinition = {
  key: 'trials_30d',
  name: 'Trials in 30 days',
  description: '',
  owner: '',
  rule: { kind: 'behavioral', event: 'Trial Started', aggregate: 'count', within: { days: 30 } },
};

describe('tags and segments in real time, on real FerretDB and Temporal', () => {
  let stack: TestStack;
  let audience: Audience;
  let worker: WorkerProcess;
  let workspaceId: string;

  beforeAll(async () => {
    stack = await startStack();
    workspaceId = stack.workspace.workspaceId;
    audience = createAudience({ db: stack.db, temporal: stack.temporal, log: createLogger() });
    worker = await startWorker(stack.dbName);
    await storeDefinition(stack, workspaceId, { kind: 'tag', tag: purchases });
    await storeDefinition(stack, workspaceId, { kind: 'segment', segment: buyers });
    await audience.state.published(workspaceId);
  }, 120_000);

  afterAll(async () => {
    if (stack) await deleteAudienceSchedules(stack, workspaceId);
    await worker?.stop();
    await stack?.close();
  });

  function track(body: object) {
    return request(stack.app)
      .post('/v1/track')
      .set('Authorization', basicAuth(stack.workspace.writeKey))
      .send(body);
  }

  const profileOf = (userId: string) => profileOfUser(stack, workspaceId, userId);

  function eventOf(messageId: string) {
    return stack.store.events.findOne({ _id: `${workspaceId}:${messageId}` });
  }

  it('updates the tag, the membership and the segment events within a second of an event', async () => {
    const started = Date.now();
    const first = await track({
      userId: 'ada',
      event: 'Order Completed',
      properties: { amount: 30 },
      messageId: 'ada-order-1',
    });
    expect(first.status).toBe(200);
    const profile = await profileOf('ada');
    const since = profile?.segments?.buyers?.since;
    const entered = since && (await eventOf(`segment-entered:buyers:${profile._id}:${+since}`));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(profile?.tags).toEqual({ purchases_30d: 1 });
    expect(since).toBeInstanceOf(Date);
    expect(entered).toMatchObject({
      type: 'track',
      event: 'segment entered',
      profileId: profile!._id,
      properties: { segment_key: 'buyers', segment_name: 'Buyers without refunds' },
      context: { library: { name: 'junction-audience' } },
    });

    const refundStarted = Date.now();
    await track({ userId: 'ada', event: 'Order Refunded', messageId: 'ada-refund-1' });
    const after = await profileOf('ada');
    const exited = await eventOf(`segment-exited:buyers:${profile!._id}:${+since!}`);
    expect(Date.now() - refundStarted).toBeLessThan(1_000);
    expect(after?.segments).toEqual({});
    expect(after?.tags).toEqual({ purchases_30d: 1 });
    expect(exited).toMatchObject({ event: 'segment exited', properties: { segment_version: 1 } });
  });

  it('does not count an event that matches no filter, nor a retried message twice', async () => {
    await track({ userId: 'bob', event: 'Order Completed', properties: { amount: 0 } });
    expect((await profileOf('bob'))?.tags).toEqual({ purchases_30d: 0 });

    const order = { userId: 'bob', event: 'Order Completed', properties: { amount: 12 } };
    expect((await track({ ...order, messageId: 'bob-order-1' })).body.status).toBe('stored');
    expect((await track({ ...order, messageId: 'bob-order-1' })).body.status).toBe('duplicate');
    const bob = await profileOf('bob');
    expect(bob?.tags).toEqual({ purchases_30d: 1 });
    expect(Object.keys(bob?.segments ?? {})).toEqual(['buyers']);
  });

  it('counts a stored event its first attempt left uncounted when the message is retried', async () => {
    await track({ userId: 'cy', event: 'Page Viewed', messageId: 'cy-first' });
    const cy = await profileOf('cy');
    // As if the first attempt stored the event and then died before writing the counters.
    const receivedAt = new Date();
    await stack.store.events.insertOne({
      _id: `${workspaceId}:cy-order-1`,
      workspaceId,
      messageId: 'cy-order-1',
      type: 'track',
      event: 'Order Completed',
      properties: { amount: 5 },
      profileId: cy!._id,
      userId: 'cy',
      timestamp: receivedAt,
      receivedAt,
      countersPending: true,
    });
    const retry = { userId: 'cy', event: 'Order Completed', properties: { amount: 5 } };
    expect((await track({ ...retry, messageId: 'cy-order-1' })).body.status).toBe('duplicate');
    expect((await profileOf('cy'))?.tags).toEqual({ purchases_30d: 1 });
    expect((await eventOf('cy-order-1'))?.countersPending).toBeUndefined();

    await track({ ...retry, messageId: 'cy-order-1' });
    expect((await profileOf('cy'))?.tags).toEqual({ purchases_30d: 1 });
  });

  it('adds a merged-away profile’s counters to the survivor and re-evaluates it', async () => {
    const order = { event: 'Order Completed', properties: { amount: 8 } };
    await track({ ...order, userId: 'eve', messageId: 'eve-order-1' });
    await track({ ...order, anonymousId: 'anon-eve', messageId: 'anon-eve-order-1' });

    const identify = await request(stack.app)
      .post('/v1/identify')
      .set('Authorization', basicAuth(stack.workspace.writeKey))
      .send({ userId: 'eve', anonymousId: 'anon-eve', messageId: 'eve-identify' });
    expect(identify.status).toBe(200);

    const survivor = await profileOf('eve');
    expect(survivor?.mergedFrom).toHaveLength(1);
    const merged = await stack.store.profiles.findOne({ _id: survivor!.mergedFrom![0]! });
    expect(survivor?.tags).toEqual({ purchases_30d: 2 });
    expect(merged).toMatchObject({ mergedInto: survivor!._id });
    expect(merged?.tags).toBeUndefined();
    expect(merged?.segments).toBeUndefined();
  });

  it('fills a counter created after its events arrived, with no event counted twice', async () => {
    for (const n of [1, 2]) {
      await track({ userId: 'dee', event: 'Trial Started', messageId: `dee-trial-${n}` });
    }
    await storeDefinition(stack, workspaceId, { kind: 'tag', tag: trials });
    const { activated } = await audience.state.published(workspaceId);
    expect(activated.map((counter) => counter.spec)).toEqual([{ event: 'Trial Started' }]);
    // Counted by ingestion; the backfill must count only the two before the activation.
    await track({ userId: 'dee', event: 'Trial Started', messageId: 'dee-trial-3' });

    const job = await audience.backfills.start(workspaceId, 'tag:trials_30d');
    const done = await waitForJob(job._id);
    expect(done).toMatchObject({ status: 'completed', kind: 'backfill', eventsRead: 2 });
    expect(done.processed).toBeGreaterThanOrEqual(4);
    expect((await profileOf('dee'))?.tags?.trials_30d).toBe(3);
    expect((await profileOf('ada'))?.tags?.trials_30d).toBe(0);

    // A second backfill finds the counter filled and counts nothing again.
    const again = await waitForJob((await audience.backfills.start(workspaceId, 'all'))._id);
    expect(again).toMatchObject({ status: 'completed', eventsRead: 0 });
    expect((await profileOf('dee'))?.tags?.trials_30d).toBe(3);
  }, 90_000);

  async function waitForJob(jobId: string) {
    return eventually(
      async () => {
        const job = await audience.backfills.get(workspaceId, jobId);
        return job && job.status !== 'running' ? job : null;
      },
      60_000,
      `audience job ${jobId} to finish`,
    );
  }
});
