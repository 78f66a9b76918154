import { INTERRUPTED, PASS, type NodeContext, type NodeOutcome } from './context.js';
import { waitFor } from './wait.js';

/** Entry passes at once, unless the entry asked the run to start later (`notBefore`). */
export async function runEntry(
  ctx: NodeContext,
  notBefore: string | undefined,
): Promise<NodeOutcome> {
  if (notBefore === undefined) return PASS;
  const waited = await waitFor(ctx, Date.parse(notBefore) - Date.now());
  return waited === 'interrupted' ? INTERRUPTED : PASS;
}
