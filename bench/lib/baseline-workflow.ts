// Workflow code, bundled with the journey workflows for the journeys bench only: the same worker
// runs it, so the difference to a journey run is the interpreter and its real activities.
import { proxyActivities, proxyLocalActivities, sleep } from '@temporalio/workflow';

/** The one activity the baseline calls; it does nothing. */
export interface BaselineActivities {
  benchNoop(): Promise<void>;
}

/** How many no-op calls of each kind a baseline run makes, matching a journey run's. */
export interface BaselineInput {
  remoteCalls: number;
  localCalls: number;
  /** A timer as long as the journey's delay node, so both wait alike. */
  delayMs: number;
}

// The same timeouts as the journey's own proxies, so task scheduling is configured alike.
const { benchNoop } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '1 minute' });
const { benchNoop: benchNoopLocal } = proxyLocalActivities<BaselineActivities>({
  startToCloseTimeout: '10 seconds',
});

/** Half the calls before the timer and half after, like the journey's nodes around its delay. */
export async function benchBaseline(input: BaselineInput): Promise<number> {
  const before = Math.ceil(input.localCalls / 2);
  for (let call = 0; call < before; call++) await benchNoopLocal();
  for (let call = 0; call < input.remoteCalls; call++) await benchNoop();
  await sleep(input.delayMs);
  for (let call = before; call < input.localCalls; call++) await benchNoopLocal();
  return input.remoteCalls + input.localCalls;
}
