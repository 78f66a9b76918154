import {
  journeyEntryId,
  journeyStatsId,
  type JourneyEntryDoc,
  type StepRecord,
} from '@junction/core/store';
import type { RunProgress } from '@junction/workflows/activities';

import { useJourneyActivities } from './test-deps.js';

const START = Date.parse('2026-03-10T09:00:00Z');

function step(seq: number, nodeId: string, outcome: StepRecord['outcome']): StepRecord {
  return { seq, nodeId, nodeType: nodeId, version: 1, at: new Date(START + seq * 1000), outcome };
}

describe('recordRunProgress', () => {
  const t = useJourneyActivities();

  function progress(runId: string, overrides: Partial<RunProgress> = {}): RunProgress {
    return {
      runId,
      workspaceId: 'ws-progress',
      journeyId: `journey-${runId}`,
      version: 1,
      profileId: `person-${runId}`,
      entryId: 'entry-1',
      steps: [],
      nodeId: 'entry',
      since: new Date(START).toISOString(),
      status: 'active',
      ...overrides,
    };
  }

  const statsOf = (journeyId: string, nodeId: string) =>
    t.deps.journeys.journeyNodeStats.findOne({ _id: journeyStatsId(journeyId, 1, nodeId) });

  it('counts a flush applied twice with the same seq once in the node stats', async () => {
    const flush = progress('twice', {
      steps: [step(1, 'entry', 'entered'), step(2, 'entry', 'passed'), step(3, 'wait', 'entered')],
      nodeId: 'wait',
    });

    await t.activities.recordRunProgress(flush);
    await t.activities.recordRunProgress(flush);

    expect(await statsOf(flush.journeyId, 'entry')).toMatchObject({ entered: 1, passed: 1 });
    expect(await statsOf(flush.journeyId, 'wait')).toMatchObject({ entered: 1, passed: 0 });
    const run = await t.deps.journeys.journeyRuns.findOne({ _id: 'twice' });
    expect(run).toMatchObject({ lastSeq: 3, nodeId: 'wait', status: 'active' });
    expect(run?.steps.map((stored) => stored.seq)).toEqual([1, 2, 3]);
  });

  it('stores only the steps above the last seq when a flush overlaps the one before', async () => {
    const first = progress('overlap', {
      steps: [step(1, 'entry', 'entered'), step(2, 'entry', 'passed')],
    });
    const second = progress('overlap', {
      steps: [step(2, 'entry', 'passed'), step(3, 'send', 'entered'), step(4, 'send', 'passed')],
      nodeId: 'exit',
    });

    await t.activities.recordRunProgress(first);
    await t.activities.recordRunProgress(second);

    expect(await statsOf(first.journeyId, 'entry')).toMatchObject({ entered: 1, passed: 1 });
    expect(await statsOf(first.journeyId, 'send')).toMatchObject({ entered: 1, passed: 1 });
    const run = await t.deps.journeys.journeyRuns.findOne({ _id: 'overlap' });
    expect(run?.steps.map((stored) => stored.seq)).toEqual([1, 2, 3, 4]);
  });

  it('frees the journey_entries slot of a run once it finished', async () => {
    const finished = progress('finishing', {
      steps: [step(1, 'entry', 'entered'), step(2, 'entry', 'passed'), step(3, 'exit', 'exited')],
      nodeId: 'exit',
      since: new Date(START + 3000).toISOString(),
      status: 'finished',
      exitReason: 'exit_node',
    });
    const slot: JourneyEntryDoc = {
      _id: journeyEntryId(finished.workspaceId, finished.journeyId, finished.profileId),
      workspaceId: finished.workspaceId,
      journeyId: finished.journeyId,
      profileId: finished.profileId,
      entries: 2,
      active: ['earlier-still-running', 'finishing'],
      lastEnteredAt: new Date(START),
    };
    await t.deps.journeys.journeyEntries.insertOne(slot);

    await t.activities.recordRunProgress(finished);

    expect(await t.deps.journeys.journeyEntries.findOne({ _id: slot._id })).toMatchObject({
      active: ['earlier-still-running'],
      lastExitedAt: new Date(START + 3000),
    });
    expect(await t.deps.journeys.journeyRuns.findOne({ _id: 'finishing' })).toMatchObject({
      status: 'finished',
      exitReason: 'exit_node',
      endedAt: new Date(START + 3000),
    });
    expect(await statsOf(finished.journeyId, 'exit')).toMatchObject({ exited: 1 });
  });

  it('records an A/B assignment and a conversion once, however often they are flushed', async () => {
    const flush = progress('outcomes', {
      steps: [step(1, 'entry', 'entered'), step(2, 'goal', 'converted')],
      assignments: [{ nodeId: 'ab', variant: 'b', at: new Date(START).toISOString() }],
      conversions: [
        {
          nodeId: 'goal',
          eventId: 'ev-1',
          event: 'Order Completed',
          revenue: 42,
          at: '2026-03-10T09:05:00Z',
        },
      ],
    });

    await t.activities.recordRunProgress(flush);
    await t.activities.recordRunProgress(flush);

    const byJourney = { journeyId: flush.journeyId };
    expect(await t.deps.journeys.assignments.find(byJourney).toArray()).toEqual([
      expect.objectContaining({ nodeId: 'ab', variant: 'b', profileId: flush.profileId }),
    ]);
    expect(await t.deps.journeys.conversions.find(byJourney).toArray()).toEqual([
      expect.objectContaining({ _id: 'outcomes:goal:ev-1', revenue: 42, runId: 'outcomes' }),
    ]);
    expect(await statsOf(flush.journeyId, 'goal')).toMatchObject({ converted: 1 });
  });
});
