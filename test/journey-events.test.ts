import { randomBytes } from 'node:crypto';

import { deleteAudienceSchedules } from './audience-fixtures.js';
import {
  startStack,
  startWebhookReceiver,
  startWorker,
  type TestStack,
  type WorkerProcess,
} from './harness.js';
import { chain, journeyWorkspace, notifyThenExit, pathOf } from './journey-fixtures.js';

// Segment backfills of this file go to a queue of its own, served only by this file's worker.
process.env.JUNCTION_AUDIENCE_TASK_QUEUE = `junction-audience-${randomBytes(4).toString('hex')}`;

describe('journeys driven by ingested events, on a real worker, Temporal and FerretDB', () => {
  let stack: TestStack;
  let worker: WorkerProcess;
  const workspaces: string[] = [];
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    stack = await startStack();
    worker = await startWorker(stack.dbName);
  }, 90_000);
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(() => receiver.close());
  afterAll(async () => {
    await worker?.stop();
    for (const workspaceId of workspaces) await deleteAudienceSchedules(stack, workspaceId);
    await stack?.close();
  });

  async function workspace(name: string) {
    const ws = await journeyWorkspace(stack, name);
    workspaces.push(ws.keys.workspaceId);
    return ws;
  }

  it('enters an order of 100 or more into an event-triggered journey, and not one of 50', async () => {
    const ws = await workspace('Event trigger');
    const journeyId = await ws.publish('Big spenders', {
      nodes: [
        {
          id: 'entry',
          type: 'entry',
          trigger: {
            kind: 'event',
            event: 'Order Completed',
            where: [{ property: 'total', op: 'gte', value: 100 }],
          },
        },
        ...notifyThenExit(receiver.url),
      ],
      edges: chain('entry', 'notify', 'done'),
    });

    await ws.track('small-spender', 'Order Completed', { total: 50 });
    await ws.track('big-spender', 'Order Completed', { total: 100 });
    const big = await ws.profileIdOf('big-spender');
    const run = await ws.finished(journeyId, big);

    expect(pathOf(run)).toEqual([
      'entry:entered',
      'entry:passed',
      'notify:entered',
      'notify:passed',
      'done:entered',
      'done:exited/exit_node',
    ]);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.body).toMatchObject({
      profile: { id: big },
      event: { name: 'Order Completed', properties: { total: 100 } },
    });
    expect(await ws.runsOf(await ws.profileIdOf('small-spender'))).toEqual([]);
    expect((await ws.stats(journeyId)).entry).toMatchObject({ entered: 1, passed: 1 });
  });

  it('routes a tracked event to the run waiting for it, which takes the event branch', async () => {
    const ws = await workspace('Wait for event');
    const journeyId = await ws.publish('Cart reminder', {
      nodes: [
        { id: 'entry', type: 'entry', trigger: { kind: 'event', event: 'Trial Started' } },
        {
          id: 'wait',
          type: 'wait_for_event',
          event: 'Cart Viewed',
          timeout: { amount: 1, unit: 'days' },
        },
        ...notifyThenExit(receiver.url),
        { id: 'gave_up', type: 'exit' },
      ],
      edges: [
        ...chain('entry', 'wait'),
        { id: 'on-event', source: 'wait', target: 'notify', branch: 'event' },
        { id: 'on-timeout', source: 'wait', target: 'gave_up', branch: 'timeout' },
        ...chain('notify', 'done'),
      ],
    });

    await ws.track('shopper', 'Trial Started');
    const shopper = await ws.profileIdOf('shopper');
    await ws.waitingAt(journeyId, shopper, 'wait');
    expect((await ws.stats(journeyId)).wait).toMatchObject({ entered: 1, waiting: 1, passed: 0 });
    expect(receiver.received).toHaveLength(0);

    await ws.track('shopper', 'Cart Viewed', { items: 2 });
    const run = await ws.finished(journeyId, shopper);

    expect(run).toMatchObject({ nodeId: 'done', exitReason: 'exit_node' });
    expect(pathOf(run)).toEqual([
      'entry:entered',
      'entry:passed',
      'wait:entered',
      'wait:passed/event',
      'notify:entered',
      'notify:passed',
      'done:entered',
      'done:exited/exit_node',
    ]);
    expect(receiver.received).toHaveLength(1);
    const stats = await ws.stats(journeyId);
    expect(stats.wait).toMatchObject({ entered: 1, waiting: 0, passed: 1 });
    expect(stats.gave_up).toMatchObject({ entered: 0 });
    expect(stats.done).toMatchObject({ entered: 1, exited: 1 });
  });

  it('moves a person who sends the goal event to the goal, and records the conversion', async () => {
    const ws = await workspace('Goal');
    const journeyId = await ws.publish('Trial to paid', {
      nodes: [
        { id: 'entry', type: 'entry', trigger: { kind: 'event', event: 'Trial Started' } },
        { id: 'nurture', type: 'delay', duration: { amount: 1, unit: 'days' } },
        { id: 'goal', type: 'goal', event: 'Order Completed' },
        ...notifyThenExit(receiver.url),
      ],
      edges: chain('entry', 'nurture', 'goal', 'notify', 'done'),
    });

    await ws.track('trialist', 'Trial Started');
    const trialist = await ws.profileIdOf('trialist');
    await ws.waitingAt(journeyId, trialist, 'nurture');
    await ws.track('trialist', 'Order Completed', { total: 80, revenue: 80 });
    const run = await ws.finished(journeyId, trialist);

    expect(pathOf(run)).toEqual([
      'entry:entered',
      'entry:passed',
      'nurture:entered',
      'nurture:passed',
      'goal:entered',
      'goal:converted',
      'goal:passed',
      'notify:entered',
      'notify:passed',
      'done:entered',
      'done:exited/exit_node',
    ]);
    const conversions = await ws.conversions(journeyId);
    expect(conversions).toHaveLength(1);
    expect(conversions[0]).toMatchObject({
      nodeId: 'goal',
      profileId: trialist,
      event: 'Order Completed',
      revenue: 80,
    });
    const stats = await ws.stats(journeyId);
    expect(stats.goal).toMatchObject({ entered: 1, converted: 1, passed: 1 });
    expect(stats.nurture).toMatchObject({ entered: 1, passed: 1, waiting: 0 });
    expect(receiver.received).toHaveLength(1);
  });

  it('ends a run in a long delay when an exit criterion event is tracked', async () => {
    const ws = await workspace('Exit criteria');
    const journeyId = await ws.publish('Win back', {
      nodes: [
        { id: 'entry', type: 'entry', trigger: { kind: 'event', event: 'Trial Started' } },
        { id: 'pause', type: 'delay', duration: { amount: 7, unit: 'days' } },
        ...notifyThenExit(receiver.url),
      ],
      edges: chain('entry', 'pause', 'notify', 'done'),
      settings: { exitCriteria: [{ kind: 'event', event: 'Account Deleted' }] },
    });

    await ws.track('leaver', 'Trial Started');
    const leaver = await ws.profileIdOf('leaver');
    await ws.waitingAt(journeyId, leaver, 'pause');
    await ws.track('leaver', 'Account Deleted');
    const run = await ws.finished(journeyId, leaver);

    expect(run).toMatchObject({ nodeId: 'pause', exitReason: 'exit_criteria' });
    expect(pathOf(run)).toEqual([
      'entry:entered',
      'entry:passed',
      'pause:entered',
      'pause:exited/exit_criteria',
    ]);
    const stats = await ws.stats(journeyId);
    expect(stats.pause).toMatchObject({ entered: 1, exited: 1, waiting: 0 });
    expect(stats.notify).toMatchObject({ entered: 0 });
    expect(receiver.received).toHaveLength(0);
  });

  it('enters a person who joins the segment into the journey triggered by it', async () => {
    const ws = await workspace('Segment trigger');
    await ws.createSegment({
      key: 'pro_plan',
      name: 'Pro plan',
      condition: { type: 'trait', trait: 'plan', op: 'eq', value: 'pro' },
    });
    const journeyId = await ws.publish('Pro welcome', {
      nodes: [
        { id: 'entry', type: 'entry', trigger: { kind: 'segment', segment: 'pro_plan' } },
        ...notifyThenExit(receiver.url),
      ],
      edges: chain('entry', 'notify', 'done'),
    });

    await ws.identify('free-user', { plan: 'free' });
    await ws.identify('pro-user', { plan: 'pro' });
    const pro = await ws.profileIdOf('pro-user');
    const run = await ws.finished(journeyId, pro);

    expect(pathOf(run)).toEqual([
      'entry:entered',
      'entry:passed',
      'notify:entered',
      'notify:passed',
      'done:entered',
      'done:exited/exit_node',
    ]);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.body).toMatchObject({
      profile: { id: pro, traits: { plan: 'pro' } },
      event: { name: 'segment entered', properties: { segment_key: 'pro_plan' } },
    });
    expect(await ws.runsOf(await ws.profileIdOf('free-user'))).toEqual([]);
    expect((await ws.stats(journeyId)).entry).toMatchObject({ entered: 1 });
  });
});
