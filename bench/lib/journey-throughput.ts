import type { Client } from '@temporalio/client';

import { journeyTaskQueue, type JourneyEntries } from '@junction/server/journeys';

import type { BaselineInput, benchBaseline } from './baseline-workflow.js';
import { log } from './bench-run.js';
import { progress, runPool } from './measure.js';

/** Starts in flight at once: enough to keep the worker's task slots full. */
const START_CONCURRENCY = 50;
/** Results awaited at once; each is a long poll on the one client connection. */
const RESULT_CONCURRENCY = 200;

export interface ThroughputRound {
  phase: 'journey' | 'baseline';
  runs: number;
  seconds: number;
  runsPerSecond: number;
}

export interface ThroughputTarget {
  temporal: Client;
  entries: JourneyEntries;
  workspaceId: string;
  journeyId: string;
}

function finished(phase: ThroughputRound['phase'], label: string, runs: number, started: number) {
  const seconds = (performance.now() - started) / 1000;
  const round = { phase, runs, seconds, runsPerSecond: runs / seconds };
  log(`${label}: ${runs} runs in ${seconds.toFixed(2)} s, ${round.runsPerSecond.toFixed(1)}/s`);
  return round;
}

/** Awaits every workflow's result, failing on the first run that did not complete. */
async function awaitResults(
  temporal: Client,
  workflowIds: string[],
  label: string,
  check: (result: unknown, workflowId: string) => void,
): Promise<void> {
  const tasks = workflowIds.map((id) => async () => {
    check(await temporal.workflow.getHandle(id).result(), id);
  });
  await runPool(tasks, RESULT_CONCURRENCY, progress(`${label}: finished`, workflowIds.length));
}

/**
 * Enters each profile into the journey through `JourneyEntries.enter` (the path every trigger
 * takes) and waits for every run to reach its exit; the time covers entries and runs.
 */
export async function journeyRound(
  target: ThroughputTarget,
  profileIds: string[],
  label: string,
): Promise<ThroughputRound> {
  const { temporal, entries, workspaceId, journeyId } = target;
  const runIds: string[] = [];
  const started = performance.now();
  const enter = profileIds.map((profileId, index) => async () => {
    const result = await entries.enter({
      workspaceId,
      journeyId,
      profileId,
      entryId: `api:bench-${label}-${index}`,
      entry: { kind: 'api', at: new Date().toISOString() },
    });
    if (!result.entered) throw new Error(`entry refused: ${result.reason}`);
    runIds.push(result.runId);
  });
  await runPool(enter, START_CONCURRENCY, progress(`${label}: entered`, profileIds.length));
  await awaitResults(temporal, runIds, label, (result, id) => {
    const exit = (result as { exitNodeId?: string }).exitNodeId;
    if (exit !== 'exit') throw new Error(`run ${id} ended at ${String(exit)}, not at the exit`);
  });
  return finished('journey', label, profileIds.length, started);
}

/** Starts `runs` baseline workflows on the journey task queue and waits for all of them. */
export async function baselineRound(
  temporal: Client,
  runs: number,
  input: BaselineInput,
  label: string,
): Promise<ThroughputRound> {
  const tag = `${Date.now().toString(36)}-${label.replace(/\W+/g, '-')}`;
  const workflowIds = Array.from({ length: runs }, (_, index) => `bench-baseline-${tag}-${index}`);
  const started = performance.now();
  const start = workflowIds.map((workflowId) => async () => {
    await temporal.workflow.start<typeof benchBaseline>('benchBaseline', {
      taskQueue: journeyTaskQueue(),
      workflowId,
      args: [input],
    });
  });
  await runPool(start, START_CONCURRENCY, progress(`${label}: started`, runs));
  const calls = input.remoteCalls + input.localCalls;
  await awaitResults(temporal, workflowIds, label, (result, id) => {
    if (result !== calls) throw new Error(`baseline ${id} made ${String(result)} calls`);
  });
  return finished('baseline', label, runs, started);
}
