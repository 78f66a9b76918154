import {
  ApplicationFailure,
  proxyActivities,
  setHandler,
  workflowInfo,
  log,
} from '@temporalio/workflow';

import type { JourneyNode, JourneyRunInput } from '@junction/core';

import { NON_RETRYABLE, type JourneyActivities } from './activities.js';
import { indexGraph } from './journey-graph.js';
import { currentPositionQuery, type JourneyPosition } from './journey-queries.js';
import type { NodeContext } from './nodes/context.js';
import { runDelay } from './nodes/delay.js';
import { runWebhook } from './nodes/webhook.js';

const { loadJourneyVersion } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '10 seconds',
  retry: {
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [NON_RETRYABLE.journeyVersionMissing],
  },
});

/** A run visits at most this many nodes; loops must wait, so this bounds runaway graphs. */
const MAX_STEPS = 10_000;

export interface JourneyRunResult {
  exitNodeId: string;
  steps: number;
}

/**
 * One person's trip through one published journey version. The version is loaded once (and
 * recorded in history), so a run never changes version mid-flight.
 */
export async function journeyRun(input: JourneyRunInput): Promise<JourneyRunResult> {
  let position: JourneyPosition | null = null;
  setHandler(currentPositionQuery, () => position);
  const graph = indexGraph(await loadJourneyVersion(input));
  const ctx: NodeContext = { input };

  let node: JourneyNode = graph.entry;
  for (let steps = 1; steps <= MAX_STEPS; steps++) {
    position = { nodeId: node.id, nodeType: node.type, since: Date.now() };
    const exited = await runNode(node, ctx);
    if (exited) {
      log.info('journey run finished', {
        journeyId: input.journeyId,
        profileId: input.profileId,
        steps,
      });
      return { exitNodeId: node.id, steps };
    }
    const nextId = graph.next.get(node.id);
    const next = nextId === undefined ? undefined : graph.nodes.get(nextId);
    if (!next)
      throw ApplicationFailure.nonRetryable(
        `node "${node.id}" has no next node`,
        'BrokenJourneyGraph',
      );
    node = next;
  }
  throw ApplicationFailure.nonRetryable(
    `run exceeded ${MAX_STEPS} steps`,
    'StepLimitExceeded',
    workflowInfo().workflowId,
  );
}

/** Runs one node; returns true when the person leaves the journey there. */
async function runNode(node: JourneyNode, ctx: NodeContext): Promise<boolean> {
  switch (node.type) {
    case 'entry':
      return false;
    case 'delay':
      await runDelay(node);
      return false;
    case 'webhook':
      await runWebhook(node, ctx);
      return false;
    case 'exit':
      return true;
    default:
      return assertNever(node);
  }
}

function assertNever(value: never): never {
  throw ApplicationFailure.nonRetryable(`unknown node ${JSON.stringify(value)}`, 'UnknownNodeType');
}
