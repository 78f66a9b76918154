import { proxyActivities } from '@temporalio/workflow';

import { sideEffectKey, type WebhookNode } from '@junction/core';

import { NON_RETRYABLE, type JourneyActivities } from '../activities.js';
import type { NodeContext } from './context.js';

const { callWebhook } = proxyActivities<JourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 12,
    nonRetryableErrorTypes: [NON_RETRYABLE.webhookRejected],
  },
});

export async function runWebhook(node: WebhookNode, ctx: NodeContext): Promise<void> {
  const { input } = ctx;
  await callWebhook({
    key: sideEffectKey(input, node.id),
    workspaceId: input.workspaceId,
    journeyId: input.journeyId,
    version: input.version,
    nodeId: node.id,
    profileId: input.profileId,
    entryEventId: input.entryEventId,
    url: node.url,
    method: node.method,
    headers: node.headers,
  });
}
