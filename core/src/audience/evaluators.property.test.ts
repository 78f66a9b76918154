import fc from 'fast-check';
import { Query } from 'mingo';

import { scenarioArbitrary, type Scenario } from './audience-arbitraries.js';
import { compileAudience, compileCondition } from './compile.js';
import type { AudienceProfile } from './context.js';
import { evaluateCondition, evaluateProfile } from './evaluate.js';
import { audienceQuery } from './pushdown.js';

// Fixed so a run is reproducible; fast-check prints seed and path of any failure it finds.
const SEED = Number(process.env.AUDIENCE_PROPERTY_SEED ?? 20_251_203);
const RUNS = Number(process.env.AUDIENCE_PROPERTY_RUNS ?? 10_000);

const passes = (filter: Record<string, unknown>, profile: AudienceProfile): boolean =>
  new Query(filter).test(profile as unknown as Record<string, unknown>);

/** What a MongoDB projection of `traits.<key>` and `counters.<field>` paths leaves of a profile. */
function project(profile: AudienceProfile, projection: Record<string, 0 | 1>): AudienceProfile {
  const projected: Record<string, Record<string, unknown>> = {};
  for (const path of Object.keys(projection)) {
    const [root, key] = path.split('.') as [string, string | undefined];
    const source = (profile as unknown as Record<string, Record<string, unknown> | undefined>)[
      root
    ];
    if (key === undefined || source === undefined) continue;
    projected[root] ??= {};
    if (Object.hasOwn(source, key)) projected[root][key] = source[key];
  }
  return { _id: profile._id, ...projected } as unknown as AudienceProfile;
}

function checkProfile({ defs, profile, now }: Scenario): void {
  const reference = evaluateProfile(profile, defs, now);
  expect(compileAudience(defs, now).evaluate(profile)).toEqual(reference);

  const chosen = [...defs.segments.keys()].filter((_, index) => index % 2 === 0);
  const partial = compileAudience(defs, now, { segments: chosen }).evaluate(profile);
  expect(partial.segments).toEqual(reference.segments.filter((key) => chosen.includes(key)));
  for (const [key, value] of Object.entries(partial.tags))
    expect(value).toEqual(reference.tags[key]);
  // Fewer reads can only push the next check later.
  if (reference.nextCheckAt === null) expect(partial.nextCheckAt).toBeNull();
  else if (partial.nextCheckAt) expect(partial.nextCheckAt >= reference.nextCheckAt).toBe(true);

  for (const key of reference.segments) {
    const { condition } = defs.segments.get(key)!.definition;
    expect(passes(audienceQuery(defs, condition).filter, profile)).toBe(true);
  }
  const everySegment = [...defs.segments.values()].map(({ definition }) => definition.condition);
  if (reference.segments.length > 0) {
    expect(passes(audienceQuery(defs, everySegment).filter, profile)).toBe(true);
  }
}

function checkCondition({ defs, profile, now, condition }: Scenario): void {
  const reference = evaluateCondition(condition, profile, defs, now);
  const compiled = compileCondition(condition, defs, now);
  expect(compiled(profile)).toBe(reference);

  const { filter, projection } = audienceQuery(defs, condition);
  if (reference) expect(passes(filter, profile)).toBe(true);
  expect(compiled(project(profile, projection))).toBe(reference);
}

describe('the interpreter and the compiled evaluator', () => {
  it(`agree on ${RUNS} random profiles, definitions and conditions, and the pushdown keeps every match`, () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        checkProfile(scenario);
        checkCondition(scenario);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 600_000);
});
