import { assignVariant, type AbSplitNode } from '@junction/core';

import type { NodeContext, NodeOutcome } from './context.js';

/**
 * Assigns a variant by a pure hash of person, journey and node, so a replay or a re-entry gets
 * the same one; people held out leave the journey here.
 */
export function runAbSplit(node: AbSplitNode, ctx: NodeContext): NodeOutcome {
  const { profileId, journeyId } = ctx.state.ref;
  const variant = assignVariant({
    profileId,
    journeyId,
    nodeId: node.id,
    variants: node.variants,
    holdoutPercent: node.holdoutPercent,
  });
  ctx.state.assign(node.id, variant);
  if (variant === 'holdout') return { kind: 'exit', reason: 'holdout', detail: { variant } };
  return { kind: 'pass', branch: variant, detail: { variant } };
}
