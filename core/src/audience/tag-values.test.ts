import type { AffinityModel } from './definitions.js';
import { affinityValue, roundScore, staticTagValue } from './tag-values.js';

describe('tag values', () => {
  it('reads a number from a finite number or a decimal string, and nothing else', () => {
    expect(staticTagValue(42, 'number')).toBe(42);
    expect(staticTagValue('-3.5e2', 'number')).toBe(-350);
    expect(staticTagValue('.5', 'number')).toBe(0.5);
    for (const value of ['0x10', ' 4', '', '1e400', 'NaN', true, null, [1], Infinity]) {
      expect(staticTagValue(value, 'number')).toBeNull();
    }
  });

  it('reads strings, booleans, dates and lists without guessing', () => {
    expect(staticTagValue(7, 'string')).toBe('7');
    expect(staticTagValue(false, 'string')).toBe('false');
    expect(staticTagValue({ a: 1 }, 'string')).toBeNull();
    expect(staticTagValue('false', 'boolean')).toBe(false);
    expect(staticTagValue('yes', 'boolean')).toBeNull();
    expect(staticTagValue('2026-03-01', 'date')).toBe('2026-03-01T00:00:00.000Z');
    expect(staticTagValue('March 1', 'date')).toBeNull();
    expect(staticTagValue(new Date(NaN), 'date')).toBeNull();
    expect(staticTagValue(['a', 2], 'list')).toEqual(['a', '2']);
    expect(staticTagValue('a', 'list')).toEqual(['a']);
    expect(staticTagValue(['a', { b: 1 }], 'list')).toBeNull();
  });

  it('ranks affinity categories best first, ties by name, above zero and the minimum score', () => {
    const model = { top: 3, minScore: 0.5 } as AffinityModel;
    const scores = new Map([
      ['yoga', 1],
      ['hiking', 1],
      ['running', 2],
      ['chess', 0.25],
      ['golf', 1],
    ]);
    expect(affinityValue(scores, model)).toEqual(['running', 'golf', 'hiking']);
    expect(affinityValue(new Map([['chess', 0]]), { ...model, minScore: 0 })).toBeNull();
  });

  it('keeps classifier scores to four decimals', () => {
    expect(roundScore(0.377540668798145)).toBe(0.3775);
  });
});
