import { holdoutBucket, rocAuc } from './auc.js';

describe('rocAuc', () => {
  it('is 1 when every positive outscores every negative, and 0 when inverted', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [true, true, false, false])).toBe(0);
  });

  it('counts the share of positive/negative pairs the positive wins', () => {
    // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: three of four pairs won.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
  });

  it('counts a tied pair as half a win', () => {
    // 0.5 vs 0.5 ties (0.5), 0.5 beats 0.2, and 0.9 beats both: 3.5 of 4.
    expect(rocAuc([0.5, 0.5, 0.2, 0.9], [true, false, false, true])).toBe(0.875);
    expect(rocAuc([0.3, 0.3, 0.3, 0.3], [true, false, true, false])).toBe(0.5);
  });

  it('is NaN when one class is empty', () => {
    expect(rocAuc([0.1, 0.9], [true, true])).toBeNaN();
    expect(rocAuc([], [])).toBeNaN();
  });
});

describe('holdoutBucket', () => {
  it('puts the same id in the same bucket every time', () => {
    expect(holdoutBucket('profile-42')).toBe(holdoutBucket('profile-42'));
  });

  it('spreads ids evenly over buckets 0 to 99', () => {
    const perDecile = new Array<number>(10).fill(0);
    for (let index = 0; index < 10_000; index++) {
      const bucket = holdoutBucket(`p${index}`);
      expect(Number.isInteger(bucket) && bucket >= 0 && bucket < 100).toBe(true);
      perDecile[Math.floor(bucket / 10)]! += 1;
    }
    for (const count of perDecile) expect(Math.abs(count - 1000)).toBeLessThan(120);
  });
});
