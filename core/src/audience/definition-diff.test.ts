import { diffDefinitions } from './definition-diff.js';

describe('diffDefinitions', () => {
  it('finds nothing between equal definitions', () => {
    const definition = { key: 'vip', rule: { kind: 'static', trait: 'plan' }, tags: ['a'] };
    expect(diffDefinitions(definition, structuredClone(definition))).toEqual([]);
  });

  it('reports a changed nested value at its path with both sides', () => {
    const before = { rule: { within: { days: 7 }, event: 'Order' } };
    const after = { rule: { within: { days: 30 }, event: 'Order' } };
    expect(diffDefinitions(before, after)).toEqual([
      { path: ['rule', 'within', 'days'], before: 7, after: 30 },
    ]);
  });

  it('leaves out the missing side of an added or removed key, in sorted key order', () => {
    const before = { name: 'VIP', owner: 'crm' };
    const after = { name: 'VIP', description: 'big spenders' };
    expect(diffDefinitions(before, after)).toEqual([
      { path: ['description'], after: 'big spenders' },
      { path: ['owner'], before: 'crm' },
    ]);
  });

  it('compares arrays by index and reports the tail items added or removed', () => {
    expect(diffDefinitions({ values: [1, 2] }, { values: [1, 3, 4, 5] })).toEqual([
      { path: ['values', 1], before: 2, after: 3 },
      { path: ['values', 2], after: 4 },
      { path: ['values', 3], after: 5 },
    ]);
    expect(diffDefinitions({ values: ['a', 'b', 'c'] }, { values: ['a'] })).toEqual([
      { path: ['values', 1], before: 'b' },
      { path: ['values', 2], before: 'c' },
    ]);
  });

  it('reports a value that changed shape as one change of the whole value', () => {
    const before = { rule: { kind: 'static', trait: 'plan' } };
    const after = { rule: ['static'] };
    expect(diffDefinitions(before, after)).toEqual([
      { path: ['rule'], before: before.rule, after: after.rule },
    ]);
  });

  it('treats a key holding undefined as absent', () => {
    expect(diffDefinitions({ a: 1, b: undefined }, { a: 1 })).toEqual([]);
  });

  it('describes a first version as the whole definition added at the root', () => {
    const definition = { key: 'vip' };
    expect(diffDefinitions(undefined, definition)).toEqual([{ path: [], after: definition }]);
  });
});
