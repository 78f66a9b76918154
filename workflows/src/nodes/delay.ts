import { durationToMs, nextLocalTime, type DelayNode } from '@junction/core';

import { personTimeZone } from '../journey-activities.js';
import { INTERRUPTED, type NodeContext, type NodeOutcome } from './context.js';
import { waitFor } from './wait.js';

/** A durable timer: survives worker restarts and deploys. */
export async function runDelay(node: DelayNode, ctx: NodeContext): Promise<NodeOutcome> {
  const until = await delayEnd(node, ctx);
  const waited = await waitFor(ctx, until - Date.now());
  return waited === 'interrupted' ? INTERRUPTED : { kind: 'pass', until: new Date(until) };
}

/** Epoch ms the delay ends at; `Date.now()` is the workflow's deterministic clock. */
async function delayEnd(node: DelayNode, ctx: NodeContext): Promise<number> {
  if (node.duration) return ctx.state.since + durationToMs(node.duration);
  const { until } = node;
  if (!until) throw new Error(`delay ${node.id} has neither duration nor until`);
  if (until.kind === 'date') return Date.parse(until.at);
  const timeZone = await personTimeZone({ ...ctx.state.ref, clock: until.clock });
  return nextLocalTime(new Date(Date.now()), until.time, timeZone, until.weekdays).getTime();
}
