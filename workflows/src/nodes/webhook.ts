import { ActivityFailure } from '@temporalio/workflow';

import { sideEffectKey, type WebhookNode } from '@junction/core';

import { callWebhook } from '../journey-activities.js';
import { PASS, type NodeContext, type NodeOutcome } from './context.js';

/** Calls the URL once per visit; a call refused for good is recorded and the person goes on. */
export async function runWebhook(node: WebhookNode, ctx: NodeContext): Promise<NodeOutcome> {
  const { ref, entry } = ctx.state;
  try {
    const { status, deduplicated } = await callWebhook({
      key: sideEffectKey(ref, node.id, ctx.visit),
      workspaceId: ref.workspaceId,
      journeyId: ref.journeyId,
      version: ref.version,
      nodeId: node.id,
      profileId: ref.profileId,
      ...(entry.eventId !== undefined && { entryEventId: entry.eventId }),
      url: node.url,
      method: node.method,
      headers: node.headers,
    });
    return { kind: 'pass', detail: { status, deduplicated } };
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    ctx.state.record('failed', { reason: err.cause?.message ?? err.message });
    return PASS;
  }
}
