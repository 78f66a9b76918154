import {
  CancellationScope,
  TemporalFailure,
  isCancellation,
  log,
  setHandler,
} from '@temporalio/workflow';

import type { JourneyRunInput, JourneyRunInputV1 } from '@junction/core';

import { indexGraph } from './journey-graph.js';
import { currentPositionQuery } from './journey-queries.js';
import { RunEvents } from './run-events.js';
import { walk } from './run-loop.js';
import { loadStartVersion, normaliseRunInput } from './run-start.js';
import { RunState, type ExitReason } from './run-state.js';

export interface JourneyRunResult {
  exitNodeId: string;
  exitReason: ExitReason;
  /** Nodes visited. */
  steps: number;
}

/**
 * One person's trip through one published journey version. The version is loaded once (and
 * recorded in history), so a run changes version only when a migration signal asks it to.
 */
export async function journeyRun(
  rawInput: JourneyRunInput | JourneyRunInputV1,
): Promise<JourneyRunResult> {
  const input = normaliseRunInput(rawInput);
  const events = new RunEvents(input.entry.eventId);
  events.listen();
  // Asked before the version is loaded, the run is nowhere yet.
  setHandler(currentPositionQuery, () => null);

  const graph = indexGraph(await loadStartVersion(input), input.version);
  events.use(graph);
  const state = new RunState(input, graph);
  setHandler(currentPositionQuery, () => state.position());
  const run = { journeyId: input.journeyId, profileId: input.profileId };
  try {
    const end = await walk(state, events);
    await state.finish(end.reason);
    log.info('journey run finished', { ...run, exitReason: end.reason, steps: end.steps });
    return { exitNodeId: end.nodeId, exitReason: end.reason, steps: end.steps };
  } catch (err) {
    await recordFailure(state, err);
    throw err;
  }
}

/** A run that fails or is cancelled still ends its trace; a code bug retries the task instead. */
async function recordFailure(state: RunState, err: unknown): Promise<void> {
  if (isCancellation(err)) {
    state.record('exited', { reason: 'stopped' });
    await CancellationScope.nonCancellable(() => state.finish('stopped'));
  } else if (err instanceof TemporalFailure) {
    state.record('exited', { reason: 'failed', detail: { error: err.message } });
    await state.finish('failed');
  }
}
