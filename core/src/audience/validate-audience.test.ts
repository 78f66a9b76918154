import { Condition, MAX_CONDITION_DEPTH, type EventCondition } from './condition.js';
import type {
  AffinityModel,
  BehavioralTagRule,
  ModelFeature,
  SegmentDefinition,
  TagDefinition,
  TagRule,
} from './definitions.js';
import { validateAudience } from './validate-audience.js';
import { segmentOf, tagOf } from './test-definitions.js';

const interests: AffinityModel = {
  method: 'affinity',
  event: 'Product Viewed',
  categoryProperty: 'category',
  halfLifeDays: 7,
  within: { days: 30 },
  top: 3,
  minScore: 0,
};
const hasPlan: Condition = { type: 'trait', trait: 'plan', op: 'exists' };

const tags: TagDefinition[] = [
  tagOf('plan', { kind: 'static', trait: 'plan', valueType: 'string' }),
  tagOf('ltv', { kind: 'static', trait: 'ltv', valueType: 'number' }),
  tagOf('vip', { kind: 'static', trait: 'vip', valueType: 'boolean' }),
  tagOf('signed_up', { kind: 'static', trait: 'signed_up_at', valueType: 'date' }),
  tagOf('orders_30d', {
    kind: 'behavioral',
    event: 'Order',
    aggregate: 'count',
    within: { days: 30 },
  }),
  tagOf('stage', {
    kind: 'dynamic',
    cases: [{ when: { type: 'tag', tag: 'orders_30d', op: 'gt', value: 3 }, value: 'active' }],
    otherwise: 'new',
  }),
  tagOf('interests', { kind: 'model', model: interests }),
];
const segments: SegmentDefinition[] = [
  segmentOf('active', {
    type: 'all',
    conditions: [
      { type: 'tag', tag: 'stage', op: 'eq', value: 'active' },
      { type: 'tag', tag: 'interests', op: 'contains', value: 'shoes' },
      { type: 'tag', tag: 'signed_up', op: 'within_last_days', value: 90 },
      {
        type: 'event',
        event: 'Order',
        within: { days: 7 },
        aggregate: 'sum',
        property: 'total',
        op: 'gte',
        value: 100,
      },
      { type: 'event', event: 'Order', within: { days: 7 }, aggregate: 'last', op: 'exists' },
    ],
  }),
];

function event(fields: Partial<EventCondition>): Condition {
  const base = { type: 'event', event: 'Order', within: { days: 7 }, aggregate: 'count' } as const;
  return { ...base, op: 'gt', value: 0, ...fields } as Condition;
}

function tagIs(key: string, op: string, value?: unknown): Condition {
  return { type: 'tag', tag: key, op, value } as Condition;
}

function behavioral(fields: Partial<BehavioralTagRule>): TagRule {
  return { kind: 'behavioral', event: 'Order', aggregate: 'count', within: { days: 7 }, ...fields };
}

function nested(depth: number): Condition {
  let condition: Condition = hasPlan;
  for (let level = 0; level < depth; level++) condition = { type: 'not', condition };
  return condition;
}

function classifier(features: ModelFeature[], outcome: Condition = hasPlan): TagRule {
  return {
    kind: 'model',
    model: { method: 'logistic', purpose: 'churn', outcome, features, retrainEveryDays: 7 },
  };
}

const date = '2024-01-01T00:00:00Z';
const deepPath = new Array<string>(MAX_CONDITION_DEPTH).fill('condition');

describe('validateAudience', () => {
  it('accepts a consistent set of tags and segments', () => {
    expect(validateAudience({ tags, segments })).toEqual([]);
  });

  // Each row: what the segment's condition gets wrong, the code, the path inside `condition`.
  describe.each<[string, Condition, string, (string | number)[]]>([
    [
      'a missing tag',
      { type: 'all', conditions: [hasPlan, tagIs('nope', 'exists')] },
      'unknown_tag',
      ['conditions', 1, 'tag'],
    ],
    [
      'a missing segment',
      { type: 'not', condition: { type: 'segment', segment: 'ghost', member: true } },
      'unknown_segment',
      ['condition', 'segment'],
    ],
    [
      'a window over 365 days',
      event({ within: { days: 400 } }),
      'window_out_of_range',
      ['within', 'days'],
    ],
    ['an empty window', event({ within: { days: 0 } }), 'window_out_of_range', ['within', 'days']],
    [
      'within_last_days 0 on a trait',
      { type: 'trait', trait: 'seen_at', op: 'within_last_days', value: 0 },
      'days_out_of_range',
      ['value'],
    ],
    [
      'more_than_days_ago over ten years',
      tagIs('signed_up', 'more_than_days_ago', 4000),
      'days_out_of_range',
      ['value'],
    ],
    [
      'a day count out of range in an event filter',
      event({ where: [{ property: 'at', op: 'within_last_days', value: -1 }] }),
      'days_out_of_range',
      ['where', 0, 'value'],
    ],
    ['contains on a number tag', tagIs('ltv', 'contains', '1'), 'operand_type', ['op']],
    ['gt on a string tag', tagIs('plan', 'gt', 3), 'operand_type', ['op']],
    ['a date operator on a number tag', tagIs('ltv', 'before', date), 'operand_type', ['op']],
    ['starts_with on a list tag', tagIs('interests', 'starts_with', 'sh'), 'operand_type', ['op']],
    ['eq on a list tag', tagIs('interests', 'eq', 'shoes'), 'operand_type', ['op']],
    ['in on a boolean tag', tagIs('vip', 'in', ['true']), 'operand_type', ['op']],
    ['eq with a string on a number tag', tagIs('ltv', 'eq', '100'), 'operand_type', ['value']],
    [
      'in with a number on a string tag',
      tagIs('plan', 'in', ['pro', 2]),
      'operand_type',
      ['value'],
    ],
    ['eq with a string on a boolean tag', tagIs('vip', 'eq', 'true'), 'operand_type', ['value']],
    [
      'contains with a number on a list tag',
      tagIs('interests', 'contains', 3),
      'operand_type',
      ['value'],
    ],
    [
      'a date operator on an event count',
      event({ op: 'after', value: date }),
      'operand_type',
      ['op'],
    ],
    [
      'a number operator on the last event',
      event({ aggregate: 'last', op: 'gt', value: 3 }),
      'operand_type',
      ['op'],
    ],
    [
      'eq with a string on an event count',
      event({ op: 'eq', value: 'many' }),
      'operand_type',
      ['value'],
    ],
    ['a sum without a property', event({ aggregate: 'sum' }), 'property_required', ['property']],
    ['a count with a property', event({ property: 'total' }), 'property_not_allowed', ['property']],
    [
      `groups nested past ${MAX_CONDITION_DEPTH}`,
      nested(MAX_CONDITION_DEPTH + 1),
      'too_deep',
      deepPath,
    ],
  ])('refuses a segment condition with %s', (_, condition, code, path) => {
    it(`as condition.${code} at its path`, () => {
      const checked = segmentOf('checked', condition);
      expect(validateAudience({ tags, segments: [...segments, checked] })).toEqual([
        expect.objectContaining({
          code: `condition.${code}`,
          path: ['condition', ...path],
          subject: { kind: 'segment', key: 'checked' },
        }),
      ]);
    });
  });

  it(`accepts groups nested exactly ${MAX_CONDITION_DEPTH} deep`, () => {
    const deepest = segmentOf('deep', nested(MAX_CONDITION_DEPTH));
    expect(validateAudience({ tags, segments: [deepest] })).toEqual([]);
  });

  // Each row: what the tag's rule gets wrong, the code, the path inside the tag.
  describe.each<[string, TagRule, string, (string | number)[]]>([
    [
      'a behavioral window over 365 days',
      behavioral({ within: { days: 366 } }),
      'condition.window_out_of_range',
      ['rule', 'within', 'days'],
    ],
    [
      'a behavioral max without a property',
      behavioral({ aggregate: 'max' }),
      'condition.property_required',
      ['rule', 'property'],
    ],
    [
      'a behavioral first with a property',
      behavioral({ aggregate: 'first', property: 'total' }),
      'condition.property_not_allowed',
      ['rule', 'property'],
    ],
    [
      'a behavioral filter with 0 days',
      behavioral({ where: [{ property: 'paid_at', op: 'more_than_days_ago', value: 0 }] }),
      'condition.days_out_of_range',
      ['rule', 'where', 0, 'value'],
    ],
    [
      'an affinity window over 365 days',
      { kind: 'model', model: { ...interests, within: { days: 500 } } },
      'condition.window_out_of_range',
      ['rule', 'model', 'within', 'days'],
    ],
    [
      'case values of different types',
      { kind: 'dynamic', cases: [{ when: hasPlan, value: 'paying' }], otherwise: 0 },
      'tag.case_value_types',
      ['rule', 'otherwise'],
    ],
    [
      'a case reading a missing tag',
      {
        kind: 'dynamic',
        cases: [
          { when: hasPlan, value: 1 },
          { when: tagIs('nope', 'exists'), value: 2 },
        ],
      },
      'condition.unknown_tag',
      ['rule', 'cases', 1, 'when', 'tag'],
    ],
    [
      'a string tag as a model feature',
      classifier([{ trait: 'age' }, { tag: 'plan' }]),
      'tag.feature_type',
      ['rule', 'model', 'features', 1, 'tag'],
    ],
    [
      'a missing tag as a model feature',
      classifier([{ tag: 'nope' }]),
      'condition.unknown_tag',
      ['rule', 'model', 'features', 0, 'tag'],
    ],
    [
      'an outcome with a wrong operator',
      classifier([{ tag: 'ltv' }], tagIs('vip', 'gt', 0)),
      'condition.operand_type',
      ['rule', 'model', 'outcome', 'op'],
    ],
  ])('refuses a tag with %s', (_, rule, code, path) => {
    it(`as ${code} at its path`, () => {
      const issues = validateAudience({ tags: [...tags, tagOf('checked', rule)], segments });
      expect(issues).toEqual([
        expect.objectContaining({ code, path, subject: { kind: 'tag', key: 'checked' } }),
      ]);
    });
  });

  it('accepts a classifier on number and boolean features', () => {
    const churn = tagOf('churn', classifier([{ tag: 'ltv' }, { tag: 'vip' }, { trait: 'age' }]));
    expect(validateAudience({ tags: [...tags, churn], segments })).toEqual([]);
  });

  it('reports each tag on a cycle once, at its read into the cycle, naming the cycle', () => {
    const cyclic = [
      tagOf('a', {
        kind: 'dynamic',
        cases: [{ when: { type: 'tag', tag: 'b', op: 'exists' }, value: 1 }],
      }),
      tagOf('b', classifier([{ tag: 'ltv' }, { tag: 'c' }])),
      tagOf('c', {
        kind: 'dynamic',
        cases: [
          {
            when: {
              type: 'all',
              conditions: [hasPlan, { type: 'tag', tag: 'a', op: 'gt', value: 0 }],
            },
            value: 2,
          },
        ],
      }),
    ];
    const issues = validateAudience({ tags: [...tags, ...cyclic], segments });
    expect(issues.every((issue) => issue.code === 'tag.cycle')).toBe(true);
    expect(issues.map(({ subject, path, message }) => [subject.key, path, message])).toEqual([
      ['a', ['rule', 'cases', 0, 'when', 'tag'], 'tag "a" reads itself: a -> b -> c -> a'],
      ['b', ['rule', 'model', 'features', 1, 'tag'], 'tag "b" reads itself: b -> c -> a -> b'],
      [
        'c',
        ['rule', 'cases', 0, 'when', 'conditions', 1, 'tag'],
        'tag "c" reads itself: c -> a -> b -> c',
      ],
    ]);
  });

  it('refuses a classifier whose outcome reads its own score', () => {
    const churn = tagOf(
      'churn',
      classifier([{ tag: 'ltv' }], { type: 'tag', tag: 'churn', op: 'gt', value: 0.5 }),
    );
    expect(validateAudience({ tags: [...tags, churn], segments })).toEqual([
      expect.objectContaining({
        code: 'tag.cycle',
        path: ['rule', 'model', 'outcome', 'tag'],
        message: 'tag "churn" reads itself: churn -> churn',
      }),
    ]);
  });

  it('refuses segments that read each other', () => {
    const loop = [
      segmentOf('s1', {
        type: 'any',
        conditions: [hasPlan, { type: 'segment', segment: 's2', member: true }],
      }),
      segmentOf('s2', { type: 'segment', segment: 's1', member: false }),
    ];
    const issues = validateAudience({ tags, segments: [...segments, ...loop] });
    expect(issues.map(({ code, path, subject }) => ({ code, path, key: subject.key }))).toEqual([
      { code: 'segment.cycle', path: ['condition', 'conditions', 1, 'segment'], key: 's1' },
      { code: 'segment.cycle', path: ['condition', 'segment'], key: 's2' },
    ]);
  });

  it('refuses a tag and a segment reading each other, naming the kinds in the cycle', () => {
    const both = tagOf('both', {
      kind: 'dynamic',
      cases: [{ when: { type: 'segment', segment: 'loop', member: true }, value: 'yes' }],
    });
    const loop = segmentOf('loop', tagIs('both', 'eq', 'yes'));
    const issues = validateAudience({ tags: [...tags, both], segments: [...segments, loop] });
    expect(issues).toEqual([
      {
        code: 'tag.cycle',
        path: ['rule', 'cases', 0, 'when', 'segment'],
        message: 'tag "both" reads itself: tag both -> segment loop -> tag both',
        subject: { kind: 'tag', key: 'both' },
      },
      {
        code: 'segment.cycle',
        path: ['condition', 'tag'],
        message: 'segment "loop" reads itself: segment loop -> tag both -> segment loop',
        subject: { kind: 'segment', key: 'loop' },
      },
    ]);
  });

  it('accepts a tag reading a segment that does not read it back', () => {
    const member = tagOf('member', {
      kind: 'dynamic',
      cases: [{ when: { type: 'segment', segment: 'active', member: true }, value: true }],
      otherwise: false,
    });
    expect(validateAudience({ tags: [...tags, member], segments })).toEqual([]);
  });

  it('leaves unknown fields to the schema, which refuses them at their path', () => {
    const result = Condition.safeParse({
      type: 'all',
      conditions: [{ type: 'trait', trait: 'plan', op: 'eq', value: 'pro', extra: 1 }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        code: 'unrecognized_keys',
        keys: ['extra'],
        path: ['conditions', 0],
      }),
    ]);
  });
});
