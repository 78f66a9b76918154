import { ApplicationFailure } from '@temporalio/workflow';

import type { JourneyNode } from '@junction/core';

import { runAbSplit } from './ab-split.js';
import { runCondition } from './condition.js';
import { PASS, type NodeContext, type NodeOutcome } from './context.js';
import { runDelay } from './delay.js';
import { runEntry } from './entry.js';
import { runJump } from './jump.js';
import { runMessage } from './message.js';
import { runMultiSplit } from './multi-split.js';
import { runUpdateProfile } from './update-profile.js';
import { runWaitForEvent } from './wait-for-event.js';
import { runWebhook } from './webhook.js';

/** Runs the handler of the node's type and says how the person leaves it. */
export async function runNode(node: JourneyNode, ctx: NodeContext): Promise<NodeOutcome> {
  switch (node.type) {
    case 'entry':
      return runEntry(ctx, ctx.state.entry.notBefore);
    case 'delay':
      return runDelay(node, ctx);
    case 'wait_for_event':
      return runWaitForEvent(node, ctx);
    case 'condition':
      return runCondition(node, ctx);
    case 'multi_split':
      return runMultiSplit(node, ctx);
    case 'ab_split':
      return runAbSplit(node, ctx);
    case 'message':
      return runMessage(node, ctx);
    case 'update_profile':
      return runUpdateProfile(node, ctx);
    case 'webhook':
      return runWebhook(node, ctx);
    // Reached by an edge, a goal passes through; its event is what converts (see run-events).
    case 'goal':
      return PASS;
    case 'jump':
      return runJump(node, ctx);
    case 'exit':
      return { kind: 'exit', reason: 'exit_node' };
    default:
      return assertNever(node);
  }
}

function assertNever(value: never): never {
  throw ApplicationFailure.nonRetryable(`unknown node ${JSON.stringify(value)}`, 'UnknownNodeType');
}
