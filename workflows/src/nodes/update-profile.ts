import { sideEffectKey, type UpdateProfileNode } from '@junction/core';

import { updateProfile } from '../journey-activities.js';
import { PASS, type NodeContext, type NodeOutcome } from './context.js';

export async function runUpdateProfile(
  node: UpdateProfileNode,
  ctx: NodeContext,
): Promise<NodeOutcome> {
  const { ref } = ctx.state;
  await updateProfile({
    ...ref,
    key: sideEffectKey(ref, node.id, ctx.visit),
    nodeId: node.id,
    set: node.set,
  });
  return PASS;
}
