import { ActivityFailure } from '@temporalio/workflow';

import { sideEffectKey, type MessageNode } from '@junction/core';

import type { MessageOutcome, MessageSend } from '../activities.js';
import { sendMessage } from '../journey-activities.js';
import { INTERRUPTED, PASS, type NodeContext, type NodeOutcome } from './context.js';
import { waitFor } from './wait.js';

// Quiet hours and rate limits move a send a few times at most; more means a policy loop.
const MAX_DEFERRALS = 50;

/**
 * Sends once per visit: every attempt, retry and deferred re-send carries the same key. A send
 * the contact policy stops, or the channel refuses, is recorded and the person goes on.
 */
export async function runMessage(node: MessageNode, ctx: NodeContext): Promise<NodeOutcome> {
  const { state } = ctx;
  const send: MessageSend = {
    ...state.ref,
    key: sideEffectKey(state.ref, node.id, ctx.visit),
    nodeId: node.id,
    channel: node.channel,
    template: node.template,
    transactional: node.transactional,
    perMinute: state.graph.settings.sendRateLimit?.perMinute ?? null,
    ...(state.entry.eventId !== undefined && { entryEventId: state.entry.eventId }),
  };
  for (let deferrals = 0; deferrals <= MAX_DEFERRALS; deferrals++) {
    const outcome = await attemptSend(send);
    switch (outcome.status) {
      case 'sent':
        return {
          kind: 'pass',
          detail: { messageId: outcome.messageId, deduplicated: outcome.deduplicated },
        };
      case 'suppressed':
      case 'failed':
        state.record(outcome.status, { reason: outcome.reason });
        return PASS;
      case 'deferred': {
        const until = new Date(outcome.until);
        state.record('deferred', { reason: outcome.reason, until });
        if ((await waitFor(ctx, until.getTime() - Date.now())) === 'interrupted')
          return INTERRUPTED;
      }
    }
  }
  state.record('failed', { reason: 'deferred_too_often' });
  return PASS;
}

/** A send that failed for good (retries spent, or refused) is an outcome, not a broken run. */
async function attemptSend(send: MessageSend): Promise<MessageOutcome> {
  try {
    return await sendMessage(send);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return { status: 'failed', reason: err.cause?.message ?? err.message };
  }
}
