import { JourneyDefinition } from './definition.js';
import {
  eventMatches,
  exitCriterionMatches,
  listenedEvents,
  SEGMENT_ENTERED,
  SEGMENT_EXITED,
  triggerMatches,
} from './event-match.js';

const order = (total: number) => ({
  event: 'Order Completed',
  properties: { total, coupon: 'WINTER' },
  timestamp: '2026-03-10T12:00:00Z',
});

describe('event matching', () => {
  it('matches a name and every property filter', () => {
    const where = [{ property: 'total', op: 'gte' as const, value: 100 }];
    expect(eventMatches({ event: 'Order Completed', where }, order(120))).toBe(true);
    expect(eventMatches({ event: 'Order Completed', where }, order(80))).toBe(false);
    expect(eventMatches({ event: 'Order Placed' }, order(120))).toBe(false);
  });

  it('enters on segment entry or exit of the named segment only', () => {
    const entered = { event: SEGMENT_ENTERED, properties: { segment_key: 'vip' } };
    const exited = { event: SEGMENT_EXITED, properties: { segment_key: 'vip' } };
    const trigger = { kind: 'segment' as const, segment: 'vip', on: 'entered' as const };
    expect(triggerMatches(trigger, entered)).toBe(true);
    expect(triggerMatches(trigger, exited)).toBe(false);
    expect(triggerMatches({ ...trigger, segment: 'churn' }, entered)).toBe(false);
    expect(triggerMatches({ kind: 'api' }, entered)).toBe(false);
  });

  it('ends a run on a segment exit criterion', () => {
    const criterion = { kind: 'segment_exited' as const, segment: 'trial' };
    expect(
      exitCriterionMatches(criterion, {
        event: SEGMENT_EXITED,
        properties: { segment_key: 'trial' },
      }),
    ).toBe(true);
    expect(exitCriterionMatches(criterion, order(1))).toBe(false);
  });

  it('lists the events a running journey listens for', () => {
    const definition = JourneyDefinition.parse({
      nodes: [
        { id: 'in', type: 'entry', trigger: { kind: 'api' } },
        {
          id: 'wait',
          type: 'wait_for_event',
          event: 'Cart Viewed',
          timeout: { amount: 1, unit: 'days' },
        },
        { id: 'won', type: 'goal', event: 'Order Completed' },
        { id: 'out', type: 'exit' },
      ],
      edges: [],
      settings: { exitCriteria: [{ kind: 'segment_exited', segment: 'trial' }] },
    });
    expect(listenedEvents(definition).sort()).toEqual(
      ['Cart Viewed', 'Order Completed', SEGMENT_EXITED].sort(),
    );
  });
});
