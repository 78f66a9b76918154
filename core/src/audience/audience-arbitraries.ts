// Test support: random scenarios (a clock, definitions, stored profiles and draft conditions)
// for the evaluator tests. Everything is drawn relative to `now`, then made concrete.
import fc from 'fast-check';

import { encodeKey, encodeObject } from '../storage-keys.js';
import type { Condition } from './condition.js';
import {
  CATEGORIES,
  conditionArbitrary,
  DAY_MS,
  definitionArbitrary,
  FromNow,
  fromNow,
  number,
  scalar,
  UNIVERSE,
  type DrawnDefinition,
} from './condition-arbitraries.js';
import type {
  AudienceDefinitions,
  AudienceProfile,
  CounterBucket,
  CounterBuckets,
} from './context.js';
import { counterSpecId, countersNeeded } from './counter-specs.js';
import { addDays, localDateKey } from './local-dates.js';

export const TIME_ZONES = [
  'UTC',
  'America/New_York',
  'Asia/Shanghai',
  'Australia/Lord_Howe',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'America/Sao_Paulo',
  'Europe/London',
  'Asia/Kathmandu',
  'America/St_Johns',
];
const COUNTER_FIELDS = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9'];

export interface Scenario {
  now: Date;
  defs: AudienceDefinitions;
  profile: AudienceProfile;
  condition: Condition;
}

export interface Population {
  now: Date;
  defs: AudienceDefinitions;
  profiles: AudienceProfile[];
  conditions: Condition[];
}

interface DrawnDefinitions {
  definitions: (DrawnDefinition | null)[];
  active: boolean[];
  fields: string[];
}

// A bucket `day` days from today, its times as offsets into that day.
interface DrawnBucket {
  day: number;
  first: number;
  span: number;
  rest: Omit<CounterBucket, 'n' | 't0' | 't1'> & { n: number };
}

interface DrawnProfile {
  id: number;
  traits: Record<string, unknown>;
  counters: Record<string, DrawnBucket[]>;
}

const definitions: fc.Arbitrary<DrawnDefinitions> = fc.record({
  definitions: fc.tuple(...UNIVERSE.map((_, index) => definitionArbitrary(index))),
  // Three counters in four are active; the rest read as no events.
  active: fc.array(
    fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
    { minLength: 32, maxLength: 32 },
  ),
  fields: fc.shuffledSubarray(COUNTER_FIELDS, { minLength: 1 }),
});

const drawnBucket: fc.Arbitrary<DrawnBucket> = fc.record({
  day: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: -40, max: 2 }) },
    { weight: 1, arbitrary: fc.integer({ min: -400, max: 400 }) },
  ),
  first: fc.integer({ min: 0, max: DAY_MS - 1 }),
  span: fc.integer({ min: 0, max: DAY_MS }),
  rest: fc.record(
    {
      n: fc.integer({ min: 1, max: 5 }),
      s: number,
      mn: number,
      mx: number,
      v: fc.array(fc.oneof(fc.constantFrom('a', 'b', 'c', 1, 2), number), {
        minLength: 1,
        maxLength: 3,
      }),
      g: fc.dictionary(
        fc.constantFrom(...CATEGORIES).map(encodeKey),
        fc.integer({ min: 1, max: 5 }),
        { minKeys: 1, maxKeys: 3 },
      ),
    },
    { requiredKeys: ['n'] },
  ),
});

const dateValue = fc.oneof(
  fromNow(400, ['iso', 'date', 'day']),
  fc.constantFrom(new Date(NaN), '2025-13-45'),
);
const traitItem = fc.oneof(scalar, dateValue);
const traitValue = fc.oneof(
  { weight: 4, arbitrary: traitItem },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.array(traitItem, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.array(scalar, { maxLength: 2 }), { maxLength: 2 }) },
  {
    weight: 1,
    arbitrary: fc.record({ city: traitItem, zip: scalar, 'x.y': scalar }, { requiredKeys: [] }),
  },
);
const TRAIT_KEYS = ['plan', 'age', 'score', 'flag', 'signup', 'tags', 'address'].concat([
  '$money',
  'pct%',
  'a.b',
  'list',
  'constructor',
  'matrix',
]);

const drawnProfile: fc.Arbitrary<DrawnProfile> = fc.record({
  id: fc.integer({ min: 0, max: 1_000_000 }),
  traits: fc.record(Object.fromEntries(TRAIT_KEYS.map((key) => [key, traitValue])), {
    requiredKeys: [],
  }),
  counters: fc.dictionary(
    fc.constantFrom(...COUNTER_FIELDS),
    fc.array(drawnBucket, { maxLength: 8 }),
    { maxKeys: 6 },
  ),
});

const clock = fc.record({
  timeZone: fc.constantFrom(...TIME_ZONES),
  now: fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2040-01-01T00:00:00Z'),
    noInvalidDate: true,
  }),
});

const everyReference = {
  tags: [...UNIVERSE.filter((key) => key.startsWith('t')), 't_missing'],
  segments: [...UNIVERSE.filter((key) => key.startsWith('s')), 's_missing'],
};
const draftCondition = conditionArbitrary(everyReference, 4);

/** A time zone, a `now`, definitions, one stored profile and one draft condition. */
export const scenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .record({ clock, definitions, profile: drawnProfile, condition: draftCondition })
  .map(({ clock: { now, timeZone }, ...drawn }) => ({
    now,
    defs: buildDefinitions(drawn.definitions, now, timeZone),
    profile: buildProfile(drawn.profile, now, timeZone),
    condition: concrete(drawn.condition, now.getTime()),
  }));

/** Stored profiles (distinct ids) and conditions `depth` groups deep under one clock and set of definitions. */
export function populationArbitrary(
  size: number,
  conditions: number,
  depth: number,
): fc.Arbitrary<Population> {
  return fc
    .record({
      clock,
      definitions,
      profiles: fc.uniqueArray(drawnProfile, {
        minLength: size,
        maxLength: size,
        selector: (profile) => profile.id,
      }),
      conditions: fc.array(conditionArbitrary(everyReference, depth), {
        minLength: conditions,
        maxLength: conditions,
      }),
    })
    .map(({ clock: { now, timeZone }, ...drawn }) => ({
      now,
      defs: buildDefinitions(drawn.definitions, now, timeZone),
      profiles: drawn.profiles.map((profile) => buildProfile(profile, now, timeZone)),
      conditions: drawn.conditions.map((condition) => concrete(condition, now.getTime())),
    }));
}

/** Replaces every `FromNow` with its time. */
function concrete<T>(value: T, now: number): T {
  if (value instanceof FromNow) return value.at(now) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => concrete(item, now)) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = concrete(item, now);
  return out as T;
}

function buildDefinitions(
  drawn: DrawnDefinitions,
  now: Date,
  timeZone: string,
): AudienceDefinitions {
  const defs: AudienceDefinitions = {
    tags: new Map(),
    segments: new Map(),
    models: new Map(),
    counters: new Map(),
    timeZone,
  };
  for (const entry of concrete(drawn.definitions, now.getTime())) {
    if (entry?.kind === 'segment') {
      defs.segments.set(entry.definition.key, {
        version: entry.version,
        definition: entry.definition,
      });
    } else if (entry?.kind === 'tag') {
      defs.tags.set(entry.definition.key, { version: entry.version, definition: entry.definition });
      if (entry.model) defs.models.set(entry.definition.key, entry.model);
    }
  }
  const specs = countersNeeded(
    [...defs.tags.values()].map(({ definition }) => definition),
    [...defs.segments.values()].map(({ definition }) => definition),
  );
  // Fields are reused when specs outnumber them: two counters in one field must still agree.
  specs.forEach((spec, index) => {
    if (!drawn.active[index % drawn.active.length]) return;
    const field = drawn.fields[index % drawn.fields.length]!;
    defs.counters.set(counterSpecId(spec), { spec, field, activatedAt: new Date(0) });
  });
  return defs;
}

function buildProfile(drawn: DrawnProfile, now: Date, timeZone: string): AudienceProfile {
  const today = localDateKey(now, timeZone);
  const counters: Record<string, CounterBuckets> = {};
  for (const [field, buckets] of Object.entries(drawn.counters)) {
    counters[field] = {};
    for (const { day, first, span, rest } of buckets) {
      const dateKey = addDays(today, day);
      // Near enough to the local day for evaluation, and far cheaper than localDayStart.
      const start = Date.UTC(+dateKey.slice(0, 4), +dateKey.slice(4, 6) - 1, +dateKey.slice(6));
      const t0 = start + first;
      counters[field][dateKey] = { ...rest, t0, t1: Math.min(t0 + span, start + DAY_MS - 1) };
    }
  }
  return {
    _id: `p${drawn.id}`,
    traits: encodeObject(concrete(drawn.traits, now.getTime())),
    counters,
    tags: { t0: 'stale', t1: 99 },
    segments: { s0: { since: new Date(0) } },
  };
}
