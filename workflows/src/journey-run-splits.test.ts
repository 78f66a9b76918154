import { assignVariant } from '@junction/core';

import { FakeJourneyActivities } from '../test/fake-activities.js';
import {
  JOURNEY_ID,
  chain,
  journey,
  startJourneyHarness,
  type JourneyHarness,
} from '../test/journey-harness.js';

const start = { id: 'start', type: 'entry', trigger: { kind: 'api' } } as const;
const plan = (value: string) => ({ type: 'trait', trait: 'plan', op: 'eq', value }) as const;

let harness: JourneyHarness;
beforeAll(async () => {
  harness = await startJourneyHarness();
});
afterAll(async () => {
  await harness?.close();
});

const conditionJourney = () =>
  journey({
    nodes: [
      start,
      { id: 'pro', type: 'condition', condition: plan('pro') },
      { id: 'yes_exit', type: 'exit' },
      { id: 'no_exit', type: 'exit' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'pro' },
      { id: 'e2', source: 'pro', target: 'yes_exit', branch: 'yes' },
      { id: 'e3', source: 'pro', target: 'no_exit', branch: 'no' },
    ],
  });

describe('journeyRun: condition and multi-way splits', () => {
  it('leaves a condition by yes when it holds and records the evaluated condition', async () => {
    const fake = new FakeJourneyActivities({
      versions: { 1: conditionJourney() },
      splits: { pro: 0 },
    });

    const result = await harness.run(fake);

    expect(result.exitNodeId).toBe('yes_exit');
    expect(fake.callsOf('evaluateSplit')[0]).toMatchObject({
      nodeId: 'pro',
      conditions: [plan('pro')],
    });
    const passed = fake.steps().find((step) => step.nodeId === 'pro' && step.outcome === 'passed');
    expect(passed).toMatchObject({
      branch: 'yes',
      conditions: [{ path: [], type: 'trait', result: true }],
    });
  });

  it('leaves a condition by no when it does not hold', async () => {
    const fake = new FakeJourneyActivities({ versions: { 1: conditionJourney() } });

    const result = await harness.run(fake);

    expect(result.exitNodeId).toBe('no_exit');
    expect(fake.path()).toContain('pro:passed:no');
  });

  const tierJourney = () =>
    journey({
      nodes: [
        start,
        {
          id: 'tier',
          type: 'multi_split',
          branches: [
            { id: 'gold', condition: plan('gold') },
            { id: 'silver', condition: plan('silver') },
          ],
        },
        { id: 'gold_exit', type: 'exit' },
        { id: 'silver_exit', type: 'exit' },
        { id: 'other_exit', type: 'exit' },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'tier' },
        { id: 'e2', source: 'tier', target: 'gold_exit', branch: 'gold' },
        { id: 'e3', source: 'tier', target: 'silver_exit', branch: 'silver' },
        { id: 'e4', source: 'tier', target: 'other_exit', branch: 'else' },
      ],
    });

  it('takes the first multi-way branch that holds, tracing each branch under its index', async () => {
    const fake = new FakeJourneyActivities({ versions: { 1: tierJourney() }, splits: { tier: 1 } });

    const result = await harness.run(fake);

    expect(result.exitNodeId).toBe('silver_exit');
    const passed = fake.steps().find((step) => step.nodeId === 'tier' && step.outcome === 'passed');
    expect(passed?.branch).toBe('silver');
    expect(passed?.conditions).toEqual([
      expect.objectContaining({ path: [0], result: false }),
      expect.objectContaining({ path: [1], result: true }),
    ]);
  });

  it('takes else when no multi-way branch holds', async () => {
    const fake = new FakeJourneyActivities({ versions: { 1: tierJourney() } });

    const result = await harness.run(fake);

    expect(result.exitNodeId).toBe('other_exit');
    expect(fake.path()).toContain('tier:passed:else');
  });
});

describe('journeyRun: A/B splits', () => {
  const variants = [
    { id: 'a', weight: 50 },
    { id: 'b', weight: 50 },
  ];
  const abJourney = (holdoutPercent: number) =>
    journey({
      nodes: [
        start,
        { id: 'test', type: 'ab_split', variants, holdoutPercent },
        { id: 'hello', type: 'message', channel: 'email', template: 'welcome' },
        { id: 'a_exit', type: 'exit' },
        { id: 'b_exit', type: 'exit' },
      ],
      edges: [
        ...chain('start', 'test'),
        { id: 'e2', source: 'test', target: 'hello', branch: 'a' },
        { id: 'e3', source: 'test', target: 'b_exit', branch: 'b' },
        { id: 'e4', source: 'hello', target: 'a_exit' },
      ],
    });
  const variantOf = (profileId: string, holdoutPercent: number) =>
    assignVariant({ profileId, journeyId: JOURNEY_ID, nodeId: 'test', variants, holdoutPercent });

  it('sends the person down the variant the pure assignment picks and records it', async () => {
    const fake = new FakeJourneyActivities({ versions: { 1: abJourney(0) } });
    const variant = variantOf('ab-person', 0);

    const result = await harness.run(fake, { input: { profileId: 'ab-person' } });

    expect(result.exitNodeId).toBe(`${variant}_exit`);
    expect(fake.path()).toContain(`test:passed:${variant}`);
    expect(fake.progress.flatMap((progress) => progress.assignments ?? [])).toEqual([
      expect.objectContaining({ nodeId: 'test', variant }),
    ]);
  });

  it('ends the run of a held-out person at the split without sending anything', async () => {
    const fake = new FakeJourneyActivities({ versions: { 1: abJourney(50) } });
    const profileId = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8', 'h9', 'h10'].find(
      (id) => variantOf(id, 50) === 'holdout',
    )!;

    const result = await harness.run(fake, { input: { profileId } });

    expect(result).toMatchObject({ exitNodeId: 'test', exitReason: 'holdout' });
    expect(fake.callsOf('sendMessage')).toHaveLength(0);
    expect(fake.last()).toMatchObject({
      status: 'finished',
      exitReason: 'holdout',
      assignments: [expect.objectContaining({ nodeId: 'test', variant: 'holdout' })],
    });
    expect(fake.path().at(-1)).toBe('test:exited');
  });
});
