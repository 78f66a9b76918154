import type { AudienceCollections } from '@junction/core/store';

import { lastSlotAt, type DueQueue } from './due-queue.js';
import type { AudienceRefresher } from './refresher.js';

// The first sweep of a workspace looks this far back, for people queued before it started.
const FIRST_LOOKBACK_MS = 2 * 86_400_000;

export interface SweepTotals {
  /** Slots that had people due. */
  slots: number;
  /** People re-evaluated. */
  profiles: number;
  entered: number;
  exited: number;
}

/**
 * Expires time-relative conditions ("in the last 7 days") on their own: re-evaluates exactly the
 * people queued as due in the slots since the last sweep, nobody else.
 */
export class AudienceSweeper {
  constructor(
    private readonly db: AudienceCollections,
    private readonly due: DueQueue,
    private readonly refresher: AudienceRefresher,
  ) {}

  async sweep(workspaceId: string, now = new Date()): Promise<SweepTotals> {
    const totals: SweepTotals = { slots: 0, profiles: 0, entered: 0, exited: 0 };
    const state = await this.db.audienceState.findOne(
      { _id: workspaceId },
      { projection: { sweptThrough: 1 } },
    );
    if (!state) return totals;
    const first =
      state.sweptThrough === undefined
        ? lastSlotAt(new Date(now.getTime() - FIRST_LOOKBACK_MS))
        : // The last swept slot again: someone queued into it while it was swept is still there.
          state.sweptThrough;
    for await (const { docs, through } of this.due.slots(workspaceId, first, lastSlotAt(now))) {
      const profileIds = [...new Set(docs.flatMap((doc) => doc.profileIds))];
      const refreshed = await this.refresher.refresh(workspaceId, profileIds, { now });
      totals.slots += new Set(docs.map((doc) => doc.slot)).size;
      totals.profiles += refreshed.evaluated;
      totals.entered += refreshed.entered;
      totals.exited += refreshed.exited;
      await this.due.remove(
        docs.map((doc) => doc._id),
        profileIds,
      );
      await this.db.audienceState.updateOne(
        { _id: workspaceId },
        { $max: { sweptThrough: through } },
      );
    }
    return totals;
  }
}
