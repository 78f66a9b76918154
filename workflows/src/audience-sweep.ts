import { proxyActivities } from '@temporalio/workflow';

import type { AudienceActivities, AudienceSweepTotals } from './activities.js';

// The schedule starts the next sweep five minutes later, so a failing one gives up quickly.
const { sweepAudience } = proxyActivities<AudienceActivities>({
  startToCloseTimeout: '4 minutes',
  retry: { maximumInterval: '30 seconds', maximumAttempts: 3 },
});

/** Input of `audienceSweep`, started every five minutes by the workspace's sweep schedule. */
export interface AudienceSweepInput {
  v: 1;
  workspaceId: string;
}

/** Re-evaluates the profiles whose time-relative conditions came due since the last sweep. */
export async function audienceSweep(input: AudienceSweepInput): Promise<AudienceSweepTotals> {
  return sweepAudience({ workspaceId: input.workspaceId });
}
