// The identity graph's scenarios as data: what is sent, in order, and who the people are after.
import type { IdentitySettings, SourceKind } from '@junction/core';

/** A message in the Segment shape, sent from a source kind (server unless said). */
export type Send = { send: Record<string, unknown>; from?: SourceKind };
export type Step = Send | { undo: 'last merge' } | { batch: Send[] };

export interface Expect {
  /** Identifiers written `type:value`; each group is one live person, groups are different people. */
  people: string[][];
  /** Events readable on each person of `people` (their own and those of merged profiles). */
  events?: number[];
  merges?: { merged?: number; refused?: number; undone?: number; reasons?: string[] };
  /** Traits of the first person. */
  traits?: Record<string, unknown>;
  rejected?: string[];
  /** Identifiers that must never have been stored (junk). */
  absent?: string[];
}

export interface Scenario {
  name: string;
  settings?: Partial<IdentitySettings>;
  steps: Step[];
  expect: Expect;
}

const identify = (m: Record<string, unknown>, from?: SourceKind): Send => ({
  send: { type: 'identify', ...m },
  from,
});
const track = (m: Record<string, unknown>, from?: SourceKind): Send => ({
  send: { type: 'track', event: 'Viewed', ...m },
  from,
});
const alias = (previousId: string, userId: string, from?: SourceKind): Send => ({
  send: { type: 'alias', previousId, userId },
  from,
});

export const scenarios: Scenario[] = [
  {
    name: 'a new user gets one profile',
    steps: [identify({ userId: 'u1', traits: { name: 'Ada' } })],
    expect: { people: [['user_id:u1']], traits: { name: 'Ada' } },
  },
  {
    name: 'anonymous activity is stitched to the person on identify',
    steps: [
      track({ anonymousId: 'a1' }, 'client'),
      track({ anonymousId: 'a1' }, 'client'),
      identify({ userId: 'u1', anonymousId: 'a1' }, 'client'),
      track({ userId: 'u1' }, 'client'),
    ],
    expect: { people: [['user_id:u1', 'anonymous_id:a1']], events: [4] },
  },
  {
    name: 'one batch stitches in order: anonymous views, sign-in, then known activity',
    steps: [
      identify({ userId: 'u0' }),
      {
        batch: [
          track({ anonymousId: 'a1' }, 'client'),
          identify({ userId: 'u1', anonymousId: 'a1' }, 'client'),
          track({ userId: 'u1' }, 'client'),
          track({ anonymousId: 'a1' }, 'client'),
          track({ anonymousId: 'other' }, 'client'),
        ],
      },
    ],
    expect: {
      people: [['user_id:u1', 'anonymous_id:a1'], ['user_id:u0'], ['anonymous_id:other']],
      events: [4, 1, 1],
    },
  },
  {
    name: 'a second device of a known person merges into them, even from a client',
    steps: [
      identify({ userId: 'u1', anonymousId: 'a1' }, 'client'),
      track({ anonymousId: 'a2' }, 'client'),
      track({ anonymousId: 'a2' }, 'client'),
      identify({ userId: 'u1', anonymousId: 'a2' }, 'client'),
    ],
    expect: {
      people: [['user_id:u1', 'anonymous_id:a1', 'anonymous_id:a2']],
      events: [4],
      merges: { merged: 1 },
    },
  },
  {
    name: 'chained merges: A~B then B~C end in one person',
    steps: [
      identify({ anonymousId: 'x', traits: { email: 'a@x.io' } }),
      identify({ anonymousId: 'y', traits: { phone: '+44 20 7946 0000' } }),
      identify({ anonymousId: 'w', traits: { crm_id: 'c3' } }),
      identify({ anonymousId: 'z', traits: { email: 'a@x.io', phone: '+442079460000' } }),
      identify({ anonymousId: 'v', traits: { phone: '+442079460000', crm_id: 'c3' } }),
    ],
    expect: {
      people: [['email:a@x.io', 'phone:+442079460000', 'crm_id:c3', 'anonymous_id:w']],
      events: [5],
      merges: { merged: 2 },
    },
  },
  {
    name: 'a limit blocks a merge of two user ids and the refusal is recorded',
    steps: [identify({ userId: 'u1' }), identify({ userId: 'u2' }), alias('u1', 'u2')],
    expect: {
      people: [['user_id:u1'], ['user_id:u2']],
      merges: { merged: 0, refused: 1, reasons: ['identifier_limit:user_id'] },
    },
  },
  {
    name: 'a second user on a shared device gets their own profile',
    steps: [
      identify({ userId: 'u1', anonymousId: 'shared' }, 'client'),
      identify({ userId: 'u2', anonymousId: 'shared' }, 'client'),
    ],
    expect: {
      people: [['user_id:u1', 'anonymous_id:shared'], ['user_id:u2']],
      events: [1, 1],
      merges: { refused: 1, reasons: ['identifier_limit'] },
    },
  },
  {
    name: 'a member number limit of one keeps a second number off the profile',
    steps: [
      identify({ userId: 'u1', traits: { member_number: 'M-1' } }),
      identify({ userId: 'u1', traits: { member_number: 'M-2' } }),
    ],
    expect: {
      people: [['user_id:u1', 'member_number:M-1'], ['member_number:M-2']],
      merges: { refused: 1, reasons: ['identifier_limit'] },
    },
  },
  {
    name: 'junk identifiers are ignored and never link people',
    steps: [
      identify({ userId: 'unknown', anonymousId: 'a9', traits: { phone: '0', email: 'null' } }),
      identify({ userId: 'UNKNOWN', anonymousId: 'b9', traits: { phone: '0' } }),
    ],
    expect: {
      people: [['anonymous_id:a9'], ['anonymous_id:b9']],
      absent: ['user_id:unknown', 'user_id:UNKNOWN', 'phone:0', 'email:null'],
    },
  },
  {
    name: 'a message with only junk identifiers is rejected',
    steps: [track({ userId: 'undefined' }), track({ anonymousId: 'null', userId: 'N/A' })],
    expect: { people: [], rejected: ['no_identifier', 'no_identifier'] },
  },
  {
    name: 'alias links an anonymous id to a user id',
    steps: [
      track({ anonymousId: 'a1' }, 'client'),
      alias('a1', 'u1', 'client'),
      track({ userId: 'u1' }, 'client'),
    ],
    expect: { people: [['user_id:u1', 'anonymous_id:a1']], events: [3] },
  },
  {
    name: 'a client cannot merge two known people',
    steps: [
      identify({ anonymousId: 'p', traits: { email: 'e1@x.io' } }),
      identify({ anonymousId: 'q', traits: { phone: '5550001' } }),
      identify({ traits: { email: 'e1@x.io', phone: '5550001' }, anonymousId: 'r' }, 'client'),
    ],
    expect: {
      people: [['email:e1@x.io'], ['phone:5550001']],
      merges: { merged: 0, refused: 1, reasons: ['untrusted_source'] },
    },
  },
  {
    name: 'a workspace can allow client sources to merge known people',
    settings: { mergeSources: ['server', 'client'] },
    steps: [
      identify({ anonymousId: 'p', traits: { email: 'e1@x.io' } }),
      identify({ anonymousId: 'q', traits: { phone: '5550001' } }),
      identify({ traits: { email: 'e1@x.io', phone: '5550001' }, anonymousId: 'r' }, 'client'),
    ],
    expect: { people: [['email:e1@x.io', 'phone:5550001']], merges: { merged: 1 } },
  },
  {
    name: 'emails and phones are normalised before they link',
    steps: [
      identify({ userId: 'u1', traits: { email: ' Ada@Example.COM ' } }),
      identify({ anonymousId: 'a5', traits: { email: 'ada@example.com' } }),
    ],
    expect: { people: [['user_id:u1', 'email:ada@example.com', 'anonymous_id:a5']] },
  },
  {
    name: 'traits merge by strategy: latest, first, non-empty and union',
    settings: {
      traitMerge: {
        default: 'latest',
        traits: { signup: 'first', city: 'non_empty', interests: 'union' },
      },
    },
    steps: [
      identify({
        userId: 'u1',
        traits: { plan: 'free', signup: '2020', city: 'Oslo', interests: ['run'] },
      }),
      identify({
        anonymousId: 'a1',
        traits: { plan: 'pro', signup: '2024', city: '', interests: ['swim', 'run'] },
      }),
      identify({ userId: 'u1', anonymousId: 'a1' }),
    ],
    expect: {
      people: [['user_id:u1', 'anonymous_id:a1']],
      traits: { plan: 'pro', signup: '2020', city: 'Oslo', interests: ['swim', 'run'] },
      merges: { merged: 1 },
    },
  },
  {
    name: 'undoing a merge restores both profiles and their events',
    steps: [
      identify({ userId: 'u1', traits: { plan: 'gold' } }),
      track({ userId: 'u1' }),
      track({ anonymousId: 'a2' }),
      track({ anonymousId: 'a2' }),
      identify({ userId: 'u1', anonymousId: 'a2' }),
      { undo: 'last merge' },
    ],
    expect: {
      people: [['user_id:u1'], ['anonymous_id:a2']],
      events: [3, 2],
      merges: { merged: 0, undone: 1 },
      traits: { plan: 'gold' },
    },
  },
  {
    name: 'undoing the first of two chained merges keeps the later one',
    steps: [
      identify({ userId: 'u1' }),
      track({ anonymousId: 'a1' }),
      track({ anonymousId: 'a2' }),
      identify({ userId: 'u1', anonymousId: 'a2' }),
      identify({ userId: 'u1', anonymousId: 'a1' }),
      { undo: 'last merge' },
    ],
    expect: {
      people: [['user_id:u1', 'anonymous_id:a2'], ['anonymous_id:a1']],
      events: [4, 1],
      merges: { merged: 1, undone: 1 },
    },
  },
  {
    name: 'identifiers in context.externalIds and context.traits link too',
    steps: [
      identify({ userId: 'u1', context: { externalIds: [{ type: 'crm_id', id: 'C-7' }] } }),
      track({ anonymousId: 'a3', context: { traits: { crm_id: 'C-7' } } }),
    ],
    expect: { people: [['user_id:u1', 'crm_id:C-7', 'anonymous_id:a3']], events: [2] },
  },
];
