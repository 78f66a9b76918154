import { explainCondition, type AudienceProfile, type Condition } from '@junction/core';
import type { RunRef, SplitEvaluation } from '@junction/workflows/activities';

import type { JourneyActivityDeps } from './journey-deps.js';
import { loadPerson } from './person.js';

/**
 * Evaluates a split's conditions on the person now, in order, up to the first that holds, with
 * the workspace's published tags and segments, and returns each evaluation's trace.
 *
 * TODO(journeys): event conditions read the profile's windowed counters, and a counter exists
 * only while a published tag or segment needs it. A journey condition on an event nothing else
 * counts reads no buckets and sees zero events; publishing a journey should activate the
 * counters its conditions read, as publishing a tag does.
 */
export function createEvaluateSplit(deps: Pick<JourneyActivityDeps, 'db' | 'audience' | 'now'>) {
  const clock = deps.now ?? (() => new Date());
  return async function evaluateSplit(
    input: RunRef & { nodeId: string; conditions: Condition[] },
  ): Promise<SplitEvaluation> {
    const [person, audience] = await Promise.all([
      loadPerson(deps.db, input.workspaceId, input.profileId),
      deps.audience.state.load(input.workspaceId),
    ]);
    // Someone deleted since entering has no traits: conditions see an empty person.
    const profile: AudienceProfile = person
      ? {
          _id: person._id,
          traits: person.traits ?? {},
          counters: person.counters,
          tags: person.tags,
          segments: person.segments,
        }
      : { _id: input.profileId, traits: {} };
    const now = clock();
    const traces: SplitEvaluation['traces'] = [];
    for (const [index, condition] of input.conditions.entries()) {
      const explanation = explainCondition(condition, profile, audience, now);
      traces.push(explanation.traces);
      if (explanation.result) return { matched: index, traces };
    }
    return { matched: -1, traces };
  };
}
