import { sleep } from '@temporalio/workflow';

import { durationToMs, type DelayNode } from '@junction/core';

/** A durable timer: survives worker restarts and deploys. */
export async function runDelay(node: DelayNode): Promise<void> {
  await sleep(durationToMs(node.duration));
}
