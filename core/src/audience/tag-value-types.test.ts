import type { Condition } from './condition.js';
import type { TagRule } from './definitions.js';
import { tagValueType } from './tag-value-types.js';

const always: Condition = { type: 'trait', trait: 'plan', op: 'exists' };

describe('tagValueType', () => {
  it.each<[string, TagRule, string]>([
    [
      'a static tag has its declared type',
      { kind: 'static', trait: 'signup', valueType: 'date' },
      'date',
    ],
    [
      'a behavioral count is a number',
      { kind: 'behavioral', event: 'Order', aggregate: 'count', within: { days: 7 } },
      'number',
    ],
    [
      'a behavioral last is a date',
      { kind: 'behavioral', event: 'Order', aggregate: 'last', within: { days: 7 } },
      'date',
    ],
    [
      'a dynamic tag has the type of its case values',
      { kind: 'dynamic', cases: [{ when: always, value: true }], otherwise: false },
      'boolean',
    ],
    [
      'a classifier gives a number',
      {
        kind: 'model',
        model: {
          method: 'logistic',
          purpose: 'churn',
          outcome: always,
          features: [{ trait: 'age' }],
          retrainEveryDays: 7,
        },
      },
      'number',
    ],
    [
      'an affinity model gives a list',
      {
        kind: 'model',
        model: {
          method: 'affinity',
          event: 'Viewed',
          categoryProperty: 'category',
          halfLifeDays: 7,
          within: { days: 30 },
          top: 3,
          minScore: 0,
        },
      },
      'list',
    ],
  ])('%s', (_, rule, expected) => {
    expect(tagValueType(rule)).toBe(expected);
  });
});
