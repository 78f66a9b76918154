import { assignVariant, HOLDOUT } from './ab-assignment.js';

const variants = [
  { id: 'a', weight: 50 },
  { id: 'b', weight: 30 },
  { id: 'c', weight: 20 },
];

function shares(holdoutPercent: number, people = 20_000): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let index = 0; index < people; index++) {
    const variant = assignVariant({
      profileId: `prf_${index}`,
      journeyId: 'jrn_1',
      nodeId: 'split',
      variants,
      holdoutPercent,
    });
    counts[variant] = (counts[variant] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([id, n]) => [id, n / people]));
}

describe('assignVariant', () => {
  it('gives a person the same variant every time', () => {
    const input = {
      profileId: 'prf_x',
      journeyId: 'jrn_1',
      nodeId: 'split',
      variants,
      holdoutPercent: 10,
    };
    const first = assignVariant(input);
    for (let index = 0; index < 5; index++) expect(assignVariant(input)).toBe(first);
  });

  it('splits people in proportion to the weights, within a percentage point', () => {
    const observed = shares(0);
    expect(observed.a).toBeCloseTo(0.5, 1);
    expect(observed.b).toBeCloseTo(0.3, 1);
    expect(observed.c).toBeCloseTo(0.2, 1);
    expect(Math.abs(observed.a! - 0.5)).toBeLessThan(0.01);
    expect(observed[HOLDOUT]).toBeUndefined();
  });

  it('holds out the given share and splits the rest by weight', () => {
    const observed = shares(20);
    expect(Math.abs(observed[HOLDOUT]! - 0.2)).toBeLessThan(0.01);
    expect(Math.abs(observed.a! / (1 - observed[HOLDOUT]!) - 0.5)).toBeLessThan(0.015);
  });

  it('keeps the variant of everyone not held out when the holdout grows', () => {
    const input = (profileId: string, holdoutPercent: number) => ({
      profileId,
      journeyId: 'jrn_1',
      nodeId: 'split',
      variants,
      holdoutPercent,
    });
    for (let index = 0; index < 2_000; index++) {
      const profileId = `prf_${index}`;
      const wider = assignVariant(input(profileId, 30));
      if (wider !== HOLDOUT) expect(assignVariant(input(profileId, 10))).toBe(wider);
    }
  });

  it('draws independently per split, so two splits in a journey are not correlated', () => {
    let same = 0;
    const two = [
      { id: 'x', weight: 50 },
      { id: 'y', weight: 50 },
    ];
    for (let index = 0; index < 10_000; index++) {
      const base = {
        profileId: `prf_${index}`,
        journeyId: 'jrn_1',
        variants: two,
        holdoutPercent: 0,
      };
      const first = assignVariant({ ...base, nodeId: 'first' });
      const second = assignVariant({ ...base, nodeId: 'second' });
      if (first === second) same++;
    }
    expect(Math.abs(same / 10_000 - 0.5)).toBeLessThan(0.02);
  });
});
