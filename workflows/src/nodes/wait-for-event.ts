import { durationToMs, type WaitForEventNode } from '@junction/core';

import type { JourneyEventSignal } from '../journey-queries.js';
import { INTERRUPTED, type NodeContext, type NodeOutcome } from './context.js';
import { waitFor } from './wait.js';

/** Leaves by `event` on the first matching event after arrival, by `timeout` without one. */
export async function runWaitForEvent(
  node: WaitForEventNode,
  ctx: NodeContext,
): Promise<NodeOutcome> {
  const { events } = ctx;
  const since = events.cursor();
  let matched: JourneyEventSignal | undefined;
  const waited = await waitFor(ctx, durationToMs(node.timeout), () => {
    matched ??= events.matchSince(since, node);
    return matched !== undefined;
  });
  if (waited === 'interrupted') return INTERRUPTED;
  if (waited === 'timeout' || !matched) return { kind: 'pass', branch: 'timeout' };
  return { kind: 'pass', branch: 'event', detail: { eventId: matched.eventId } };
}
