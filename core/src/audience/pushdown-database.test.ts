import fc from 'fast-check';
import type { Collection } from 'mongodb';

import { startStack, type TestStack } from '../../../test/harness.js';
import { populationArbitrary, type Population } from './audience-arbitraries.js';
import { compileAudience, compileCondition } from './compile.js';
import type { AudienceProfile } from './context.js';
import { evaluateCondition, evaluateProfile } from './evaluate.js';
import { audienceQuery } from './pushdown.js';

const SEED = Number(process.env.AUDIENCE_PROPERTY_SEED ?? 20_251_203);

interface Stored {
  population: Population;
  profiles: Collection<AudienceProfile>;
  /** As the database keeps them: the interpreter judges these, not the documents sent. */
  stored: AudienceProfile[];
}

describe('the pushdown filter and projection on FerretDB', () => {
  let stack: TestStack;
  // Three sets of definitions and clocks, 100 profiles and 20 conditions each.
  let worlds: Stored[];

  beforeAll(async () => {
    stack = await startStack();
    const populations = fc.sample(populationArbitrary(100, 20, 2), { numRuns: 3, seed: SEED });
    worlds = await Promise.all(
      populations.map(async (population, index) => {
        const profiles = stack.db.collection<AudienceProfile>(`audience_pushdown_${index}`);
        await profiles.insertMany(population.profiles);
        return { population, profiles, stored: await profiles.find().toArray() };
      }),
    );
  });
  afterAll(() => stack.close());

  const ids = (list: AudienceProfile[]) => list.map((profile) => profile._id).sort();

  it('reads back, for each random condition, exactly the profiles the interpreter matches', async () => {
    let narrowed = 0;
    let partial = 0;
    for (const { population, profiles, stored } of worlds) {
      const { defs, now, conditions } = population;
      for (const condition of conditions) {
        const { filter, projection } = audienceQuery(defs, condition);
        const holds = compileCondition(condition, defs, now);
        const sent = await profiles.find(filter, { projection }).toArray();
        const expected = stored.filter((profile) =>
          evaluateCondition(condition, profile, defs, now),
        );

        expect(ids(sent.filter(holds))).toEqual(ids(expected));
        if (sent.length < stored.length) narrowed++;
        if (expected.length > 0 && expected.length < stored.length) partial++;
      }
    }
    // The comparison above only means something if the conditions split the profiles.
    expect(narrowed).toBeGreaterThan(5);
    expect(partial).toBeGreaterThan(5);
  });

  it('reads back every member of every segment with one query for all of them', async () => {
    for (const { population, profiles, stored } of worlds) {
      const { defs, now } = population;
      const conditions = [...defs.segments.values()].map(({ definition }) => definition.condition);
      const { filter, projection } = audienceQuery(defs, conditions);
      const compiled = compileAudience(defs, now);
      const sent = await profiles.find(filter, { projection }).toArray();

      const membersOf = (list: AudienceProfile[], segments: (p: AudienceProfile) => string[]) =>
        list.flatMap((profile) => segments(profile).map((key) => `${key}:${profile._id}`)).sort();
      expect(membersOf(sent, (profile) => compiled.evaluate(profile).segments)).toEqual(
        membersOf(stored, (profile) => evaluateProfile(profile, defs, now).segments),
      );
    }
  });
});
