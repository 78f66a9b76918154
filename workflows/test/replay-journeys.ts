// The journeys the replay scenarios run, kept apart so the scenario list reads as a table.
import { assignVariant } from '@junction/core';

import { JOURNEY_ID, chain, journey } from './journey-harness.js';

export const start = { id: 'start', type: 'entry', trigger: { kind: 'api' } } as const;
export const done = { id: 'done', type: 'exit' } as const;

export const event = (eventId: string, name: string, properties: Record<string, unknown> = {}) => ({
  v: 1 as const,
  eventId,
  event: name,
  properties,
  timestamp: '2026-01-05T10:00:00Z',
});

export const waitForOrder = journey({
  nodes: [
    start,
    {
      id: 'wait',
      type: 'wait_for_event',
      event: 'Order Completed',
      where: [{ property: 'total', op: 'gt', value: 100 }],
      timeout: { amount: 30, unit: 'days' },
    },
    { id: 'bought', type: 'exit' },
    { id: 'lapsed', type: 'exit' },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'wait' },
    { id: 'e2', source: 'wait', target: 'bought', branch: 'event' },
    { id: 'e3', source: 'wait', target: 'lapsed', branch: 'timeout' },
  ],
});

const plan = (value: string) => ({ type: 'trait', trait: 'plan', op: 'eq', value }) as const;

/** A condition whose yes leads to a multi-way split: one graph for four ways out. */
export const splits = journey({
  nodes: [
    start,
    { id: 'pro', type: 'condition', condition: plan('pro') },
    {
      id: 'tier',
      type: 'multi_split',
      branches: [
        { id: 'gold', condition: plan('gold') },
        { id: 'silver', condition: plan('silver') },
      ],
    },
    { id: 'silver_exit', type: 'exit' },
    { id: 'gold_exit', type: 'exit' },
    { id: 'other_exit', type: 'exit' },
    { id: 'no_exit', type: 'exit' },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'pro' },
    { id: 'e2', source: 'pro', target: 'tier', branch: 'yes' },
    { id: 'e3', source: 'pro', target: 'no_exit', branch: 'no' },
    { id: 'e4', source: 'tier', target: 'gold_exit', branch: 'gold' },
    { id: 'e5', source: 'tier', target: 'silver_exit', branch: 'silver' },
    { id: 'e6', source: 'tier', target: 'other_exit', branch: 'else' },
  ],
});

const variants = [
  { id: 'a', weight: 50 },
  { id: 'b', weight: 50 },
];
export const abTest = journey({
  nodes: [
    start,
    { id: 'test', type: 'ab_split', variants, holdoutPercent: 20 },
    { id: 'hello', type: 'message', channel: 'email', template: 'welcome' },
    { id: 'a_exit', type: 'exit' },
    { id: 'b_exit', type: 'exit' },
  ],
  edges: [
    ...chain('start', 'test'),
    { id: 'e2', source: 'test', target: 'hello', branch: 'a' },
    { id: 'e3', source: 'test', target: 'b_exit', branch: 'b' },
    { id: 'e4', source: 'hello', target: 'a_exit' },
  ],
});

/** The first of a few fixed people the pure assignment puts in `variant`. */
export function personIn(variant: string): string {
  const candidates = Array.from({ length: 50 }, (_, index) => `ab-${index}`);
  const found = candidates.find(
    (profileId) =>
      assignVariant({
        profileId,
        journeyId: JOURNEY_ID,
        nodeId: 'test',
        variants,
        holdoutPercent: 20,
      }) === variant,
  );
  if (!found) throw new Error(`no candidate person lands in variant ${variant}`);
  return found;
}

export const greeting = journey({
  nodes: [start, { id: 'hello', type: 'message', channel: 'email', template: 'welcome' }, done],
  edges: chain('start', 'hello', 'done'),
  settings: { sendRateLimit: { perMinute: 60 } },
});

/** entry → a week's delay → message → exit, plus a goal that thanks buyers. */
export const week = (settings = {}) =>
  journey({
    nodes: [
      start,
      { id: 'wait', type: 'delay', duration: { amount: 7, unit: 'days' } },
      { id: 'nudge', type: 'message', channel: 'email', template: 'nudge' },
      done,
      { id: 'bought', type: 'goal', event: 'Order Completed' },
      { id: 'thanks', type: 'webhook', url: 'https://example.test/thanks' },
      { id: 'end', type: 'exit' },
    ],
    edges: [
      ...chain('start', 'wait', 'nudge', 'done'),
      ...chain('bought', 'thanks', 'end').map((edge) => ({ ...edge, id: `g${edge.id}` })),
    ],
    settings,
  });

export const versioned = (after: string) =>
  journey({
    nodes: [
      start,
      { id: 'wait', type: 'delay', duration: { amount: 1, unit: 'days' } },
      { id: after, type: 'webhook', url: `https://example.test/${after}` },
      done,
    ],
    edges: chain('start', 'wait', after, 'done'),
  });

export const delayThen = (delay: Record<string, unknown>) =>
  journey({
    nodes: [start, { id: 'wait', type: 'delay', ...delay }, done],
    edges: chain('start', 'wait', 'done'),
  });
