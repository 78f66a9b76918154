import request from 'supertest';

import { currentPositionQuery } from '@junction/workflows';
import {
  journeyRunWorkflowId,
  type JourneyDefinitionInput as JourneyDefinition,
} from '@junction/core';
import { journeyCollections } from '@junction/core/store';

import {
  appWithTemporalDown,
  basicAuth,
  eventually,
  startStack,
  startWebhookReceiver,
  startWorker,
  type TestStack,
  type WorkerProcess,
} from './harness.js';

function thinJourney(webhookUrl: string, delaySeconds: number): JourneyDefinition {
  return {
    nodes: [
      { id: 'entry', type: 'entry', trigger: { kind: 'event', event: 'Order Completed' } },
      { id: 'wait', type: 'delay', duration: { amount: delaySeconds, unit: 'seconds' } },
      { id: 'notify', type: 'webhook', url: webhookUrl, method: 'POST' },
      { id: 'done', type: 'exit' },
    ],
    edges: [
      { id: 'e1', source: 'entry', target: 'wait' },
      { id: 'e2', source: 'wait', target: 'notify' },
      { id: 'e3', source: 'notify', target: 'done' },
    ],
  };
}

/** entry → webhook → exit: finishes as soon as a worker picks it up. */
function instantJourney(webhookUrl: string, event: string): JourneyDefinition {
  return {
    nodes: [
      { id: 'entry', type: 'entry', trigger: { kind: 'event', event } },
      { id: 'notify', type: 'webhook', url: webhookUrl, method: 'POST' },
      { id: 'done', type: 'exit' },
    ],
    edges: [
      { id: 'e1', source: 'entry', target: 'notify' },
      { id: 'e2', source: 'notify', target: 'done' },
    ],
  };
}

describe('a published journey on real Temporal and FerretDB', () => {
  let stack: TestStack;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await worker?.stop();
    await stack.close();
  });

  async function publish(definition: JourneyDefinition): Promise<string> {
    const auth = `Bearer ${stack.workspace.apiKey}`;
    const created = await request(stack.app)
      .post('/v1/journeys')
      .set('Authorization', auth)
      .send({ name: 'Thank you', draft: definition });
    expect(created.status).toBe(201);
    const id = created.body.journey.id as string;
    const published = await request(stack.app)
      .post(`/v1/journeys/${id}/publish`)
      .set('Authorization', auth)
      .send({ notes: 'first' });
    expect(published.status).toBe(201);
    return id;
  }

  function track(userId: string, messageId: string) {
    return request(stack.app)
      .post('/v1/track')
      .set('Authorization', basicAuth(stack.workspace.writeKey))
      .send({ userId, event: 'Order Completed', messageId, properties: { total: 42.5 } });
  }

  // Waits out a worker crash (sticky queue and activity timeouts): slow on a loaded machine.
  it('calls the webhook exactly once when the worker crashes during the delay', async () => {
    const receiver = await startWebhookReceiver();
    const journeyId = await publish(thinJourney(receiver.url, 6));
    worker = await startWorker(stack.dbName);
    await eventually(
      async () => ((await request(stack.app).get('/health')).body.temporal.workers as number) > 0,
      20_000,
      '/health to count the worker',
    );

    const response = await track('user-crash', 'msg-crash-1');
    expect(response.status).toBe(200);
    const [profile] = await stack.store.profiles
      .find({ workspaceId: stack.workspace.workspaceId })
      .toArray();
    const handle = stack.temporal.workflow.getHandle(
      journeyRunWorkflowId(stack.workspace.workspaceId, journeyId, profile!._id),
    );

    await eventually(
      async () => (await handle.query(currentPositionQuery))?.nodeId === 'wait',
      20_000,
      'the run to reach the delay',
    );
    await worker.crash();
    expect(receiver.received).toHaveLength(0);

    worker = await startWorker(stack.dbName);
    await expect(handle.result()).resolves.toEqual({
      exitNodeId: 'done',
      exitReason: 'exit_node',
      steps: 4,
    });

    expect(receiver.received).toHaveLength(1);
    const [call] = receiver.received;
    expect(call!.headers['idempotency-key']).toBeDefined();
    expect(call!.body).toMatchObject({
      journey: { id: journeyId, version: 1, nodeId: 'notify' },
      profile: { id: profile!._id },
      event: { name: 'Order Completed', properties: { total: 42.5 } },
    });
    const messages = await stack.store.messages.find({ journeyId }).toArray();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      status: 'sent',
      channel: 'webhook',
      response: { status: 200 },
      workspaceId: stack.workspace.workspaceId,
    });
    await receiver.close();
  }, 180_000);

  it('starts one run per messageId: a resent event neither stores twice nor re-enters', async () => {
    const receiver = await startWebhookReceiver();
    const journeyId = await publish(instantJourney(receiver.url, 'Order Completed'));
    worker ??= await startWorker(stack.dbName);
    const runs = async (profileId: string) => {
      const workflowId = journeyRunWorkflowId(stack.workspace.workspaceId, journeyId, profileId);
      const found = [];
      for await (const run of stack.temporal.workflow.list({
        query: `WorkflowId = '${workflowId}'`,
      }))
        found.push(run);
      return found;
    };

    expect((await track('user-dedupe', 'msg-a')).body.status).toBe('stored');
    const identity = await stack.store.identities.findOne({
      _id: `${stack.workspace.workspaceId}:user_id:user-dedupe`,
    });
    const profileId = identity!.profileId;
    await eventually(
      async () => (await runs(profileId)).some((run) => run.status.name === 'COMPLETED'),
      30_000,
      'the first run',
    );

    expect((await track('user-dedupe', 'msg-a')).body.status).toBe('duplicate');
    expect((await track('user-dedupe', 'msg-b')).body.status).toBe('stored');
    const all = await eventually(
      async () => {
        const found = await runs(profileId);
        return found.length >= 2 && found.every((run) => run.status.name === 'COMPLETED') && found;
      },
      30_000,
      'the second run',
    );

    expect(all).toHaveLength(2);
    expect(await stack.store.events.countDocuments({ messageId: 'msg-a' })).toBe(1);
    const entered = receiver.received.map(
      (call) => (call.body as { event: { messageId: string } }).event.messageId,
    );
    expect(entered.sort()).toEqual(['msg-a', 'msg-b']);
    await receiver.close();
  });

  it('keeps an event whose journeys could not start, and starts them when the client retries', async () => {
    const receiver = await startWebhookReceiver();
    const journeyId = await publish(instantJourney(receiver.url, 'Trial Started'));
    worker ??= await startWorker(stack.dbName);
    const temporalDown = await appWithTemporalDown(stack);
    const body = { userId: 'user-retry', event: 'Trial Started', messageId: 'msg-retry' };
    const auth = basicAuth(stack.workspace.writeKey);

    const failed = await request(temporalDown.app)
      .post('/v1/track')
      .set('Authorization', auth)
      .send(body);
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('journeys_unavailable');
    const eventId = `${stack.workspace.workspaceId}:msg-retry`;
    expect((await stack.store.events.findOne({ _id: eventId }))?.pendingJourneys).toEqual([
      journeyId,
    ]);

    const retried = await request(stack.app)
      .post('/v1/track')
      .set('Authorization', auth)
      .send(body);
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('duplicate');
    await eventually(() => Promise.resolve(receiver.received.length === 1), 30_000, 'the webhook');
    expect((await stack.store.events.findOne({ _id: eventId }))?.pendingJourneys).toEqual([]);
    expect(await stack.store.events.countDocuments({ messageId: 'msg-retry' })).toBe(1);
    await temporalDown.close();
    await receiver.close();
  });

  it('keeps running people on their version when a new one is published, unless it migrates them', async () => {
    const receiver = await startWebhookReceiver();
    const auth = `Bearer ${stack.workspace.apiKey}`;
    /** entry by API → 5 s delay → webhook to `/<label>` → exit. */
    const versioned = (label: string): JourneyDefinition => ({
      nodes: [
        { id: 'entry', type: 'entry', trigger: { kind: 'api' } },
        { id: 'wait', type: 'delay', duration: { amount: 5, unit: 'seconds' } },
        { id: 'notify', type: 'webhook', url: `${receiver.url}/${label}` },
        { id: 'done', type: 'exit' },
      ],
      edges: [
        { id: 'e1', source: 'entry', target: 'wait' },
        { id: 'e2', source: 'wait', target: 'notify' },
        { id: 'e3', source: 'notify', target: 'done' },
      ],
    });
    const republish = async (id: string, label: string, migrate: boolean) => {
      await request(stack.app)
        .put(`/v1/journeys/${id}/draft`)
        .set('Authorization', auth)
        .send({ draft: versioned(label) })
        .expect(200);
      await request(stack.app)
        .post(`/v1/journeys/${id}/publish`)
        .set('Authorization', auth)
        .send({ migrate })
        .expect(201);
    };
    await request(stack.app)
      .post('/v1/batch')
      .set('Authorization', basicAuth(stack.workspace.writeKey))
      .send({ batch: ['stays', 'moves'].map((userId) => ({ type: 'identify', userId })) })
      .expect(200);
    const runs = journeyCollections(stack.db).journeyRuns;
    const enter = async (id: string, userId: string) => {
      const entered = await request(stack.app)
        .post(`/v1/journeys/${id}/entries`)
        .set('Authorization', auth)
        .send({ identifier: { type: 'user_id', value: userId } })
        .expect(201);
      const run = await runs.findOne({ _id: entered.body.runId as string });
      return { run: run!, handle: stack.temporal.workflow.getHandle(run!._id) };
    };
    const pathsOf = (profileId: string) =>
      receiver.received
        .filter((call) => (call.body as { profile: { id: string } }).profile.id === profileId)
        .map((call) => call.path);
    const journeyId = await publish(versioned('v1'));
    worker ??= await startWorker(stack.dbName);

    const stays = await enter(journeyId, 'stays');
    await republish(journeyId, 'v2', false);
    await stays.handle.result();
    const moves = await enter(journeyId, 'moves');
    await republish(journeyId, 'v3', true);
    await moves.handle.result();

    expect(stays.run.version).toBe(1);
    expect(pathsOf(stays.run.profileId)).toEqual(['/hook/v1']);
    expect(moves.run.version).toBe(2);
    expect(pathsOf(moves.run.profileId)).toEqual(['/hook/v3']);
    await receiver.close();
  }, 120_000);
});
