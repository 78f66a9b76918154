import { sideEffectKey, type JumpNode } from '@junction/core';

import { jumpToJourney } from '../journey-activities.js';
import type { NodeContext, NodeOutcome } from './context.js';

/** Enters the person into the other journey under its own entry rules, then ends this run. */
export async function runJump(node: JumpNode, ctx: NodeContext): Promise<NodeOutcome> {
  const { ref } = ctx.state;
  const { entered, reason } = await jumpToJourney({
    ...ref,
    key: sideEffectKey(ref, node.id, ctx.visit),
    nodeId: node.id,
    targetJourneyId: node.journeyId,
  });
  return { kind: 'exit', reason: 'jump', detail: { journeyId: node.journeyId, entered, reason } };
}
