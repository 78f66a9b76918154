import { checkFreeformShape, decodeObject, encodeKey, encodeObject } from './storage-keys.js';

describe('storage keys', () => {
  it('escapes dots, a leading dollar, percent signs and NUL so no stored key is an operator or a path', () => {
    expect(encodeKey('a.b')).toBe('a%2Eb');
    expect(encodeKey('$where')).toBe('%24where');
    expect(encodeKey('price$')).toBe('price$');
    expect(encodeKey('50%')).toBe('50%25');
    expect(encodeKey('a\0b')).toBe('a%00b');
    expect(encodeKey('')).toBe('%');
  });

  it('round-trips any object, including nested arrays and keys that look escaped', () => {
    const original = {
      'user.name': 'Ada',
      $gt: 1,
      '%2E': 'literal',
      '': 'empty',
      '%': 'percent',
      matrix: [
        [1, 2],
        [3, [4]],
      ],
      nested: { 'a.b': [{ $in: [1] }] },
    };
    const stored = encodeObject(original);
    expect(JSON.stringify(stored)).not.toMatch(/"\$|\.[^"]*":/);
    expect(stored.matrix).toEqual([{ '%a': [1, 2] }, { '%a': [3, { '%a': [4] }] }]);
    expect(decodeObject(stored)).toEqual(original);
  });

  it('reports objects nested deeper than the limit with the path to the deep value', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 20; i++) deep = { level: deep };
    const issues = checkFreeformShape(deep);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.code).toBe('too_deep');
    expect(issues[0]!.path.slice(0, 3)).toEqual(['level', 'level', 'level']);
  });
});
