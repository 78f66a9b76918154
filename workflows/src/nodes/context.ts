import type { RunEvents } from '../run-events.js';
import type { ExitReason, RunState, StepFacts } from '../run-state.js';

/** What a node handler may read and record about the run it belongs to. */
export interface NodeContext {
  state: RunState;
  events: RunEvents;
  /** Which visit of this node this is, from 1: part of every side effect's key. */
  visit: number;
}

/**
 * How the person leaves a node: by an edge (`branch` for branching nodes), out of the journey,
 * or not by their own doing because a stop, an exit criterion or a goal event interrupted them.
 */
export type NodeOutcome =
  | ({ kind: 'pass' } & StepFacts)
  | ({ kind: 'exit'; reason: ExitReason } & StepFacts)
  | { kind: 'interrupted' };

export const PASS: NodeOutcome = { kind: 'pass' };

/** The facts of an outcome to record on its step. */
export function factsOf(outcome: NodeOutcome): StepFacts {
  if (outcome.kind === 'interrupted') return {};
  const { branch, reason, until, conditions, detail } = outcome;
  return { branch, reason, until, conditions, detail };
}
export const INTERRUPTED: NodeOutcome = { kind: 'interrupted' };
