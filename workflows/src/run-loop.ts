import { ApplicationFailure, condition } from '@temporalio/workflow';

import type { JourneyNode } from '@junction/core';

import type { JourneyEventSignal } from './journey-queries.js';
import { factsOf, type NodeOutcome } from './nodes/context.js';
import { runNode } from './nodes/run-node.js';
import type { RunEvents } from './run-events.js';
import { applyMigration, planMigration } from './run-migration.js';
import type { ExitReason, RunState } from './run-state.js';

/** A run visits at most this many nodes; loops must wait, so this bounds runaway graphs. */
const MAX_STEPS = 10_000;

export interface RunEnd {
  reason: ExitReason;
  nodeId: string;
  steps: number;
}

/** Walks the graph from the entry until the person leaves the journey. */
export async function walk(state: RunState, events: RunEvents): Promise<RunEnd> {
  let node: JourneyNode = state.graph.entry;
  let conversion: JourneyEventSignal | undefined;
  for (let steps = 1; steps <= MAX_STEPS; steps++) {
    const visit = state.arrive(node);
    if (conversion) recordConversion(state, conversion);
    conversion = undefined;
    const outcome = await runNode(node, { state, events, visit });
    if (outcome.kind !== 'exit') await holdWhilePaused(state, events);
    const end = endingOf(outcome, events);
    if (end) {
      state.record('exited', end.facts);
      return { reason: end.reason, nodeId: node.id, steps };
    }
    const goal = events.takeGoal();
    if (goal) {
      state.record('passed', { detail: { goal: goal.nodeId } });
      node = nodeById(state, goal.nodeId);
      conversion = goal.event;
      continue;
    }
    if (outcome.kind !== 'pass') throw brokenGraph('a wait was interrupted for no reason');
    node = await leave(state, events, outcome);
  }
  throw ApplicationFailure.nonRetryable(`run exceeded ${MAX_STEPS} steps`, 'StepLimitExceeded');
}

/** Records the way out, moves to a newer version when asked, and returns the next node. */
async function leave(
  state: RunState,
  events: RunEvents,
  outcome: Extract<NodeOutcome, { kind: 'pass' }>,
): Promise<JourneyNode> {
  const facts = factsOf(outcome);
  const from = state.node;
  const migration = await planMigration(state, events, facts.branch);
  const detail = migration ? { ...facts.detail, ...migration.detail } : facts.detail;
  state.record('passed', { ...facts, detail });
  if (migration?.graph) applyMigration(state, events, migration.graph);
  const next = state.graph.next(from.id, facts.branch);
  if (!next) throw brokenGraph(`node "${from.id}" has no edge for branch "${facts.branch}"`);
  return next;
}

/** A stop or an exit criterion ends the run wherever it is; so do exit, jump and holdout. */
function endingOf(outcome: NodeOutcome, events: RunEvents) {
  const { ending } = events;
  if (ending) {
    const detail = ending.kind === 'exit_criteria' ? { eventId: ending.eventId } : undefined;
    return { reason: ending.kind, facts: { reason: ending.kind, detail } };
  }
  if (outcome.kind !== 'exit') return undefined;
  return { reason: outcome.reason, facts: factsOf(outcome) };
}

/** A paused journey holds its people before their next node; stop and exit still apply. */
async function holdWhilePaused(state: RunState, events: RunEvents): Promise<void> {
  if (!events.paused || events.ending) return;
  await state.startWaiting();
  await condition(() => !events.paused || events.ending !== null);
}

function recordConversion(state: RunState, event: JourneyEventSignal): void {
  const revenue = event.properties['revenue'];
  const { nodeId } = state.position();
  state.record('converted', { detail: { eventId: event.eventId, event: event.event } });
  state.convert({
    nodeId,
    eventId: event.eventId,
    event: event.event,
    ...(typeof revenue === 'number' && Number.isFinite(revenue) && { revenue }),
  });
}

function nodeById(state: RunState, nodeId: string): JourneyNode {
  const node = state.graph.nodes.get(nodeId);
  if (!node) throw brokenGraph(`goal node "${nodeId}" is not in version ${state.graph.version}`);
  return node;
}

function brokenGraph(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'BrokenJourneyGraph');
}
