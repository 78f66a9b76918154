import { JourneyDefinition, type JourneyDefinitionInput } from './definition.js';
import { validateJourneyReferences, type JourneyReferences } from './validate-references.js';

type NodeInput = JourneyDefinitionInput['nodes'][number];

const refs: JourneyReferences = {
  segments: new Set(['vip', 'churned']),
  tags: new Set(['plan', 'orders_30d']),
  tagTypes: new Map([
    ['plan', 'string'],
    ['orders_30d', 'number'],
  ]),
  templates: new Map([
    ['welcome', { channelType: 'email' }],
    ['code', { channelType: 'sms' }],
  ]),
  channels: new Map([
    ['email', { type: 'email' }],
    ['sms', { type: 'sms' }],
  ]),
  journeys: new Set(['onboarding', 'winback']),
  journeyId: 'onboarding',
};

/** Nodes after an entry; the graph itself need not be valid for reference checks. */
function journey(
  nodes: NodeInput[],
  extra: Partial<JourneyDefinitionInput> = {},
  trigger: Extract<NodeInput, { type: 'entry' }>['trigger'] = { kind: 'event', event: 'Signed Up' },
): JourneyDefinition {
  return JourneyDefinition.parse({
    nodes: [{ id: 'entry', type: 'entry', trigger }, ...nodes],
    edges: [],
    ...extra,
  });
}

describe('validateJourneyReferences', () => {
  it('accepts a journey whose every reference exists and fits', () => {
    const definition = journey(
      [
        { id: 'msg', type: 'message', channel: 'email', template: 'welcome' },
        {
          id: 'cond',
          type: 'condition',
          condition: {
            type: 'all',
            conditions: [
              { type: 'segment', segment: 'vip', member: true },
              { type: 'tag', tag: 'orders_30d', op: 'gte', value: 2 },
            ],
          },
        },
        { id: 'jump', type: 'jump', journeyId: 'winback' },
      ],
      { settings: { exitCriteria: [{ kind: 'segment_exited', segment: 'vip' }] } },
      { kind: 'segment', segment: 'churned' },
    );
    expect(validateJourneyReferences(definition, refs)).toEqual([]);
  });

  it('reports unknown segments in the trigger, the schedule, exit criteria and conditions', () => {
    const condition = journey(
      [
        {
          id: 'split',
          type: 'multi_split',
          branches: [
            {
              id: 'gone',
              condition: {
                type: 'not',
                condition: { type: 'segment', segment: 'lapsed', member: true },
              },
            },
          ],
        },
      ],
      { settings: { exitCriteria: [{ kind: 'segment_exited', segment: 'trial' }] } },
      { kind: 'segment', segment: 'newcomers' },
    );
    expect(validateJourneyReferences(condition, refs)).toEqual([
      {
        code: 'journey.unknown_segment',
        path: ['nodes', 0, 'trigger', 'segment'],
        message: 'no segment "newcomers"',
        nodeId: 'entry',
      },
      {
        code: 'journey.unknown_segment',
        path: ['nodes', 1, 'branches', 0, 'condition', 'condition', 'segment'],
        message: 'no segment "lapsed"',
        nodeId: 'split',
      },
      {
        code: 'journey.unknown_segment',
        path: ['settings', 'exitCriteria', 0, 'segment'],
        message: 'no segment "trial"',
      },
    ]);

    const scheduled = journey(
      [],
      {},
      {
        kind: 'schedule',
        segment: 'weekly',
        timing: { type: 'recurring', time: '09:00' },
      },
    );
    expect(validateJourneyReferences(scheduled, refs)).toEqual([
      expect.objectContaining({
        code: 'journey.unknown_segment',
        path: ['nodes', 0, 'trigger', 'segment'],
      }),
    ]);
  });

  it('reports unknown tags, channels, templates and a template for another channel', () => {
    const definition = journey([
      {
        id: 'cond',
        type: 'condition',
        condition: { type: 'tag', tag: 'tier', op: 'eq', value: 'gold' },
      },
      { id: 'lost', type: 'message', channel: 'push', template: 'nudge' },
      { id: 'crossed', type: 'message', channel: 'email', template: 'code' },
    ]);
    const issues = validateJourneyReferences(definition, refs);
    expect(issues.map(({ code, path, nodeId }) => ({ code, path, nodeId }))).toEqual([
      { code: 'journey.unknown_tag', path: ['nodes', 1, 'condition', 'tag'], nodeId: 'cond' },
      { code: 'journey.unknown_channel', path: ['nodes', 2, 'channel'], nodeId: 'lost' },
      { code: 'journey.unknown_template', path: ['nodes', 2, 'template'], nodeId: 'lost' },
      {
        code: 'journey.template_channel_mismatch',
        path: ['nodes', 3, 'template'],
        nodeId: 'crossed',
      },
    ]);
    expect(issues[3]!.message).toBe('template "code" is for sms, but channel "email" sends email');
  });

  it('refuses a jump to an unknown journey and to the journey itself', () => {
    const definition = journey([
      { id: 'away', type: 'jump', journeyId: 'nowhere' },
      { id: 'back', type: 'jump', journeyId: 'onboarding' },
    ]);
    expect(validateJourneyReferences(definition, refs)).toEqual([
      {
        code: 'journey.unknown_journey',
        path: ['nodes', 1, 'journeyId'],
        message: 'no journey "nowhere"',
        nodeId: 'away',
      },
      {
        code: 'journey.jump_to_self',
        path: ['nodes', 2, 'journeyId'],
        message: 'a journey cannot jump to itself',
        nodeId: 'back',
      },
    ]);
  });

  it('runs the audience condition checks on conditions, with paths into the journey', () => {
    const definition = journey([
      {
        id: 'cond',
        type: 'condition',
        condition: {
          type: 'any',
          conditions: [
            {
              type: 'event',
              event: 'Order Completed',
              within: { days: 400 },
              aggregate: 'count',
              op: 'gte',
              value: 1,
            },
            { type: 'tag', tag: 'plan', op: 'gt', value: 3 },
            { type: 'trait', trait: 'signed_up_at', op: 'within_last_days', value: 0 },
          ],
        },
      },
    ]);
    const issues = validateJourneyReferences(definition, refs);
    const base = ['nodes', 1, 'condition', 'conditions'];
    expect(issues.map(({ code, path }) => ({ code, path }))).toEqual([
      { code: 'condition.window_out_of_range', path: [...base, 0, 'within', 'days'] },
      { code: 'condition.operand_type', path: [...base, 1, 'op'] },
      { code: 'condition.days_out_of_range', path: [...base, 2, 'value'] },
    ]);
    expect(issues.every((issue) => issue.nodeId === 'cond')).toBe(true);
  });

  it('checks operators on a tag only when its type is known', () => {
    const definition = journey([
      {
        id: 'cond',
        type: 'condition',
        condition: { type: 'tag', tag: 'plan', op: 'gt', value: 3 },
      },
    ]);
    const untyped = { ...refs, tagTypes: undefined };
    expect(validateJourneyReferences(definition, untyped)).toEqual([]);
    expect(validateJourneyReferences(definition, refs)).toEqual([
      expect.objectContaining({ code: 'condition.operand_type' }),
    ]);
  });

  it('checks relative day ranges in the property filters of triggers, waits, goals and exits', () => {
    const filter = [{ property: 'at', op: 'within_last_days' as const, value: 5000 }];
    const definition = journey(
      [
        {
          id: 'await',
          type: 'wait_for_event',
          event: 'Clicked',
          where: filter,
          timeout: { amount: 1, unit: 'days' },
        },
        { id: 'goal', type: 'goal', event: 'Paid', where: filter },
      ],
      { settings: { exitCriteria: [{ kind: 'event', event: 'Unsubscribed', where: filter }] } },
      { kind: 'event', event: 'Signed Up', where: filter },
    );
    expect(validateJourneyReferences(definition, refs).map((issue) => issue.path)).toEqual([
      ['nodes', 0, 'trigger', 'where', 0, 'value'],
      ['nodes', 1, 'where', 0, 'value'],
      ['nodes', 2, 'where', 0, 'value'],
      ['settings', 'exitCriteria', 0, 'where', 0, 'value'],
    ]);
  });
});
