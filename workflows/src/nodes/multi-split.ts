import type { MultiSplitNode } from '@junction/core';

import { evaluateSplit } from '../journey-activities.js';
import type { NodeContext, NodeOutcome } from './context.js';

/** Takes the first branch whose condition holds, in order; `else` when none does. */
export async function runMultiSplit(node: MultiSplitNode, ctx: NodeContext): Promise<NodeOutcome> {
  const { matched, traces } = await evaluateSplit({
    ...ctx.state.ref,
    nodeId: node.id,
    conditions: node.branches.map((branch) => branch.condition),
  });
  const branch = node.branches[matched]?.id ?? 'else';
  // The branches read as children of one root, so each trace's path starts with its branch.
  const conditions = traces.flatMap((tree, index) =>
    tree.map((trace) => ({ ...trace, path: [index, ...trace.path] })),
  );
  return { kind: 'pass', branch, conditions };
}
