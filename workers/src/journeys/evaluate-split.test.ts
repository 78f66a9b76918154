import type { Condition } from '@junction/core';
import type { RunRef } from '@junction/workflows/activities';

import { activityWorkspace, useJourneyActivities } from './test-deps.js';

describe('evaluateSplit', () => {
  const t = useJourneyActivities();

  const conditions: Condition[] = [
    { type: 'trait', trait: 'plan', op: 'eq', value: 'pro' },
    { type: 'trait', trait: 'country', op: 'in', value: ['FR', 'BE'] },
    { type: 'trait', trait: 'plan', op: 'exists' },
  ];

  function ref(workspaceId: string, profileId: string): RunRef {
    return {
      runId: `run-${profileId}`,
      workspaceId,
      journeyId: 'split-journey',
      version: 1,
      profileId,
      entryId: 'entry-1',
    };
  }

  it('returns the first branch whose condition holds, with the traces of each condition read', async () => {
    const ws = await activityWorkspace(t);
    const ada = await ws.person('ada', { plan: 'trial', country: 'FR' });

    const split = await t.activities.evaluateSplit({
      ...ref(ws.workspaceId, ada),
      nodeId: 'split',
      conditions,
    });

    expect(split.matched).toBe(1);
    expect(split.traces).toEqual([
      [expect.objectContaining({ type: 'trait', input: 'trial', result: false })],
      [expect.objectContaining({ type: 'trait', input: 'FR', result: true })],
    ]);
    expect(split.traces[0]?.[0]?.summary).toContain('plan');
  });

  it('answers -1 with every condition traced when none holds', async () => {
    const ws = await activityWorkspace(t);
    const bo = await ws.person('bo', { country: 'DE' });

    const split = await t.activities.evaluateSplit({
      ...ref(ws.workspaceId, bo),
      nodeId: 'split',
      conditions,
    });

    expect(split.matched).toBe(-1);
    expect(split.traces.map((traces) => traces.map((trace) => trace.result))).toEqual([
      [false],
      [false],
      [false],
    ]);
    expect(split.traces[1]?.[0]).toMatchObject({ input: 'DE' });
    expect(split.traces[0]?.[0]).not.toHaveProperty('input');
  });

  it('traces a group before its children, stopping at the child that decides it', async () => {
    const ws = await activityWorkspace(t);
    const cy = await ws.person('cy', { plan: 'pro', seats: 12 });
    const group: Condition = {
      type: 'any',
      conditions: [
        { type: 'trait', trait: 'seats', op: 'gte', value: 10 },
        { type: 'trait', trait: 'plan', op: 'eq', value: 'pro' },
      ],
    };

    const split = await t.activities.evaluateSplit({
      ...ref(ws.workspaceId, cy),
      nodeId: 'split',
      conditions: [group],
    });

    expect(split.matched).toBe(0);
    expect(split.traces[0]).toEqual([
      expect.objectContaining({ path: [], type: 'any', result: true }),
      expect.objectContaining({ path: [0], input: 12, result: true }),
    ]);
  });

  it('evaluates a person deleted since entering as someone with no traits', async () => {
    const ws = await activityWorkspace(t);

    const split = await t.activities.evaluateSplit({
      ...ref(ws.workspaceId, 'deleted-person'),
      nodeId: 'split',
      conditions: [{ type: 'trait', trait: 'plan', op: 'not_exists' }],
    });

    expect(split).toEqual({
      matched: 0,
      traces: [[expect.objectContaining({ result: true })]],
    });
  });
});
