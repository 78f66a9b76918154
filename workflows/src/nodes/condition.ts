import type { ConditionNode } from '@junction/core';

import { evaluateSplit } from '../journey-activities.js';
import type { NodeContext, NodeOutcome } from './context.js';

/** Leaves by `yes` when the condition holds for the person now, else by `no`. */
export async function runCondition(node: ConditionNode, ctx: NodeContext): Promise<NodeOutcome> {
  const { matched, traces } = await evaluateSplit({
    ...ctx.state.ref,
    nodeId: node.id,
    conditions: [node.condition],
  });
  return { kind: 'pass', branch: matched === 0 ? 'yes' : 'no', conditions: traces[0] ?? [] };
}
