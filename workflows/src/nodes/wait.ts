import { condition } from '@temporalio/workflow';

import type { NodeContext } from './context.js';

export type WaitResult = 'ready' | 'timeout' | 'interrupted';

/**
 * Waits until `ready()` holds or `ms` pass, storing progress first. A stop, an exit criterion
 * or a goal event ends the wait early ('interrupted'), whichever the wait was for.
 */
export async function waitFor(
  ctx: NodeContext,
  ms: number,
  ready: () => boolean = () => false,
): Promise<WaitResult> {
  const { state, events } = ctx;
  const done = () => events.interrupted() || ready();
  // A wait already over (a date in the past) costs neither a flush nor a timer.
  if (ms > 0 && !done()) {
    await state.startWaiting();
    await condition(done, ms);
  }
  if (events.interrupted()) return 'interrupted';
  return ready() ? 'ready' : 'timeout';
}
