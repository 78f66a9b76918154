import type { Collections } from '@junction/core/store';

import {
  addTotals,
  compileEvaluator,
  emptyTotals,
  PROFILES_PER_READ,
  readEvaluatedProfiles,
  type AudienceWriter,
  type EvaluationTotals,
} from './profile-writer.js';
import type { AudienceStateStore, LoadedAudience } from './state-store.js';

/** Re-evaluates chosen people now: after their events or traits changed, or when they are due. */
export class AudienceRefresher {
  constructor(
    private readonly db: Collections,
    private readonly state: AudienceStateStore,
    private readonly writer: AudienceWriter,
  ) {}

  async refresh(
    workspaceId: string,
    profileIds: string[],
    options: { now?: Date; audience?: LoadedAudience } = {},
  ): Promise<EvaluationTotals> {
    const ids = [...new Set(profileIds)];
    const totals = emptyTotals();
    if (ids.length === 0) return totals;
    const now = options.now ?? new Date();
    // A caller that just loaded the definitions (an ingest batch) passes them: one read a batch.
    const audience = options.audience ?? (await this.state.load(workspaceId));
    const evaluator = compileEvaluator(audience, now);
    for (let start = 0; start < ids.length; start += PROFILES_PER_READ) {
      const chunk = ids.slice(start, start + PROFILES_PER_READ);
      const profiles = await readEvaluatedProfiles(this.db, workspaceId, chunk);
      addTotals(totals, await this.writer.write(workspaceId, evaluator, profiles));
    }
    return totals;
  }
}
