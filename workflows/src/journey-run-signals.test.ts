import { FakeJourneyActivities } from '../test/fake-activities.js';
import {
  chain,
  journey,
  reach,
  startJourneyHarness,
  type JourneyHarness,
  type RunHandle,
} from '../test/journey-harness.js';
import { currentPositionQuery } from './journey-queries.js';

const DAY = 86_400_000;
const start = { id: 'start', type: 'entry', trigger: { kind: 'api' } } as const;

let harness: JourneyHarness;
beforeAll(async () => {
  harness = await startJourneyHarness();
});
afterAll(async () => {
  await harness?.close();
});

const event = (eventId: string, name: string, properties: Record<string, unknown> = {}) => ({
  v: 1 as const,
  eventId,
  event: name,
  properties,
  timestamp: '2026-01-05T10:00:00Z',
});

/** entry → a week's delay → message → exit, plus a goal that thanks buyers. */
const weekJourney = (settings = {}) =>
  journey({
    nodes: [
      start,
      { id: 'wait', type: 'delay', duration: { amount: 7, unit: 'days' } },
      { id: 'nudge', type: 'message', channel: 'email', template: 'nudge' },
      { id: 'done', type: 'exit' },
      { id: 'bought', type: 'goal', event: 'Order Completed' },
      { id: 'thanks', type: 'webhook', url: 'https://example.test/thanks' },
      { id: 'end', type: 'exit' },
    ],
    edges: [
      ...chain('start', 'wait', 'nudge', 'done'),
      ...chain('bought', 'thanks', 'end').map((edge) => ({ ...edge, id: `g${edge.id}` })),
    ],
    settings,
  });

describe('journeyRun: exit criteria and goals', () => {
  it('ends the run mid-delay when an exit criterion event arrives', async () => {
    const fake = new FakeJourneyActivities({
      versions: { 1: weekJourney({ exitCriteria: [{ kind: 'event', event: 'Unsubscribed' }] }) },
    });

    const result = await harness.run(fake, {
      during: async (handle) => {
        await reach(handle, 'wait');
        await handle.signal('journeyEvent', event('ws1:u1', 'Unsubscribed'));
      },
    });

    expect(result).toMatchObject({ exitNodeId: 'wait', exitReason: 'exit_criteria' });
    expect(fake.steps().at(-1)).toMatchObject({
      nodeId: 'wait',
      outcome: 'exited',
      reason: 'exit_criteria',
      detail: { eventId: 'ws1:u1' },
    });
    expect(fake.callsOf('sendMessage')).toHaveLength(0);
  });

  it('moves a converting person to the goal, records the conversion and goes on from there', async () => {
    const fake = new FakeJourneyActivities({ versions: { 1: weekJourney() } });

    const result = await harness.run(fake, {
      during: async (handle) => {
        await reach(handle, 'wait');
        await handle.signal('journeyEvent', event('ws1:o1', 'Order Completed', { revenue: 30 }));
      },
    });

    expect(result.exitNodeId).toBe('end');
    expect(fake.path()).toEqual([
      'start:entered',
      'start:passed',
      'wait:entered',
      'wait:passed',
      'bought:entered',
      'bought:converted',
      'bought:passed',
      'thanks:entered',
      'thanks:passed',
      'end:entered',
      'end:exited',
    ]);
    expect(fake.progress.flatMap((progress) => progress.conversions ?? [])).toEqual([
      expect.objectContaining({ nodeId: 'bought', eventId: 'ws1:o1', revenue: 30 }),
    ]);
    expect(fake.callsOf('sendMessage')).toHaveLength(0);
  });
});

describe('journeyRun: pause, resume and stop', () => {
  it('holds a paused run before its next node until it is resumed', async () => {
    const fake = new FakeJourneyActivities({ versions: { 1: weekJourney() } });
    let heldAt: unknown;

    const result = await harness.run(fake, {
      during: async (handle) => {
        await reach(handle, 'wait');
        await handle.signal('journeyControl', { v: 1, action: 'pause' });
        await harness.env.sleep(8 * DAY);
        await waitForFlushes(fake, 2);
        heldAt = await handle.query(currentPositionQuery);
        expect(fake.callsOf('sendMessage')).toHaveLength(0);
        await handle.signal('journeyControl', { v: 1, action: 'resume' });
      },
    });

    expect(heldAt).toMatchObject({ nodeId: 'wait', version: 1 });
    expect(result.exitNodeId).toBe('done');
    expect(fake.callsOf('sendMessage')).toHaveLength(1);
  });

  it('ends a run at once when the journey is stopped, wherever it waits', async () => {
    const fake = new FakeJourneyActivities({ versions: { 1: weekJourney() } });

    const result = await harness.run(fake, {
      during: async (handle) => {
        await reach(handle, 'wait');
        await handle.signal('journeyControl', { v: 1, action: 'stop' });
      },
    });

    expect(result).toMatchObject({ exitNodeId: 'wait', exitReason: 'stopped' });
    expect(fake.last()).toMatchObject({ status: 'finished', exitReason: 'stopped' });
  });
});

describe('journeyRun: migration', () => {
  const versioned = (after: string) =>
    journey({
      nodes: [
        start,
        { id: 'wait', type: 'delay', duration: { amount: 1, unit: 'days' } },
        { id: after, type: 'webhook', url: `https://example.test/${after}` },
        { id: 'done', type: 'exit' },
      ],
      edges: chain('start', 'wait', after, 'done'),
    });
  const withoutWait = journey({
    nodes: [start, { id: 'done', type: 'exit' }],
    edges: chain('start', 'done'),
  });

  async function migrate(handle: RunHandle, toVersion: number) {
    await reach(handle, 'wait');
    await handle.signal('journeyMigrate', { v: 1, toVersion });
  }

  it('continues on the new version from the same node at the next node boundary', async () => {
    const fake = new FakeJourneyActivities({
      versions: { 1: versioned('old'), 2: versioned('new') },
    });

    await harness.run(fake, { during: (handle) => migrate(handle, 2) });

    expect(fake.callsOf('callWebhook')).toEqual([
      expect.objectContaining({ nodeId: 'new', version: 2 }),
    ]);
    const steps = fake.steps();
    expect(steps.find((step) => step.nodeId === 'wait' && step.outcome === 'passed')).toMatchObject(
      {
        version: 1,
        detail: { migration: { fromVersion: 1, toVersion: 2 } },
      },
    );
    expect(steps.filter((step) => step.nodeId === 'new').map((step) => step.version)).toEqual([
      2, 2,
    ]);
    expect(fake.last()).toMatchObject({ version: 2, status: 'finished' });
  });

  it('stays on its version and says why when the new one lacks the node', async () => {
    const fake = new FakeJourneyActivities({ versions: { 1: versioned('old'), 3: withoutWait } });

    await harness.run(fake, { during: (handle) => migrate(handle, 3) });

    expect(fake.callsOf('callWebhook')).toEqual([
      expect.objectContaining({ nodeId: 'old', version: 1 }),
    ]);
    const passed = fake.steps().find((step) => step.nodeId === 'wait' && step.outcome === 'passed');
    expect(passed?.detail).toEqual({
      migration: { fromVersion: 1, toVersion: 3, refused: 'node_missing' },
    });
  });
});

async function waitForFlushes(fake: FakeJourneyActivities, count: number): Promise<void> {
  for (let attempt = 0; attempt < 200 && fake.progress.length < count; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(fake.progress.length).toBeGreaterThanOrEqual(count);
}
