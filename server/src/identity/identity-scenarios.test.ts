import {
  DEFAULT_IDENTITY_SETTINGS,
  TrackingMessage,
  type IdentitySettings,
  type SourceKind,
} from '@junction/core';
import type { MergeDoc } from '@junction/core/store';
import { createLogger, createWorkspace } from '@junction/server';

import { startStack, type TestStack } from '../../../test/harness.js';
import { Ingestor } from '../ingest/ingest-messages.js';
import { JourneyRuns } from '../journeys/journey-runs.js';
import { identityDocId, loadLiveProfiles } from './identity-store.js';
import { createIdentity, type Identity } from './index.js';

/** A message in the Segment shape, sent from a source kind (server unless said). */
type Send = { send: Record<string, unknown>; from?: SourceKind };
type Step = Send | { undo: 'last merge' } | { batch: Send[] };

interface Expect {
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

interface Scenario {
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

const scenarios: Scenario[] = [
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

describe('identity graph', () => {
  let stack: TestStack;
  let identity: Identity;
  let ingestor: Ingestor;

  beforeAll(async () => {
    stack = await startStack();
    identity = createIdentity(stack.store);
    const runs = new JourneyRuns(stack.store, stack.temporal, createLogger('silent'));
    ingestor = new Ingestor(stack.store, identity.resolver, runs);
  });
  afterAll(() => stack.close());

  async function personOf(workspaceId: string, identifier: string) {
    const [type, ...rest] = identifier.split(':');
    const identityDoc = await stack.store.identities.findOne({
      _id: identityDocId(workspaceId, type!, rest.join(':')),
    });
    if (!identityDoc) return undefined;
    const live = await loadLiveProfiles(stack.store, workspaceId, [identityDoc.profileId]);
    return live.get(identityDoc.profileId);
  }

  async function run(workspaceId: string, scenario: Scenario) {
    const rejected: string[] = [];
    let n = 0;
    for (const step of scenario.steps) {
      if ('undo' in step) {
        const last = await stack.store.merges
          .find({ workspaceId, status: 'merged' })
          .sort({ createdAt: -1, _id: -1 })
          .limit(1)
          .next();
        await identity.merges.undo(workspaceId, last!._id);
        continue;
      }
      const sends = 'batch' in step ? step.batch : [step];
      const messages = sends.map((send) =>
        TrackingMessage.parse({ messageId: `m${++n}`, ...send.send }),
      );
      const results = await ingestor.ingest(workspaceId, messages, {
        source: sends[0]!.from ?? 'server',
      });
      for (const result of results) if (result.status === 'rejected') rejected.push(result.code);
    }
    return rejected;
  }

  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const { workspaceId } = await createWorkspace(stack.store, scenario.name);
    if (scenario.settings) {
      await identity.settings.put(workspaceId, {
        ...DEFAULT_IDENTITY_SETTINGS,
        ...scenario.settings,
      });
    }
    const rejected = await run(workspaceId, scenario);
    const { expect: want } = scenario;
    expect(rejected).toEqual(want.rejected ?? []);

    const people = [];
    for (const group of want.people) {
      const owners = await Promise.all(group.map((id) => personOf(workspaceId, id)));
      owners.forEach((owner, i) =>
        expect([group[i], owner?._id]).toEqual([group[i], owners[0]!._id]),
      );
      people.push(owners[0]!);
    }
    expect(new Set(people.map((p) => p._id)).size).toBe(people.length);
    const live = await stack.store.profiles.countDocuments({
      workspaceId,
      mergedInto: { $exists: false },
    });
    expect(live).toBe(want.people.length);

    for (const [i, count] of (want.events ?? []).entries()) {
      const person = people[i]!;
      const owners = [person._id, ...(person.mergedFrom ?? [])];
      const events = await stack.store.events.countDocuments({
        workspaceId,
        profileId: { $in: owners },
      });
      expect([want.people[i], events]).toEqual([want.people[i], count]);
    }
    if (want.traits) expect(people[0]!.traits).toEqual(want.traits);
    for (const junk of want.absent ?? []) expect(await personOf(workspaceId, junk)).toBeUndefined();

    const merges = await stack.store.merges.find({ workspaceId }).toArray();
    const count = (status: MergeDoc['status']) => merges.filter((m) => m.status === status).length;
    const wanted = { merged: 0, refused: 0, undone: 0, ...want.merges };
    expect({ merged: count('merged'), refused: count('refused'), undone: count('undone') }).toEqual(
      {
        merged: wanted.merged,
        refused: wanted.refused,
        undone: wanted.undone,
      },
    );
    for (const reason of want.merges?.reasons ?? []) {
      expect(merges.some((m) => m.reason?.startsWith(reason))).toBe(true);
    }
  });

  it('resolves concurrent first identifies of one user to one profile', async () => {
    const { workspaceId } = await createWorkspace(stack.store, 'race');
    const messages = Array.from({ length: 8 }, (_, i) =>
      TrackingMessage.parse({
        type: 'identify',
        messageId: `r${i}`,
        userId: 'u1',
        anonymousId: `a${i}`,
      }),
    );
    await Promise.all(messages.map((m) => ingestor.ingest(workspaceId, [m], { source: 'server' })));
    const person = await personOf(workspaceId, 'user_id:u1');
    for (let i = 0; i < 8; i++) {
      expect((await personOf(workspaceId, `anonymous_id:a${i}`))?._id).toBe(person!._id);
    }
    const events = await stack.store.events.countDocuments({
      workspaceId,
      profileId: { $in: [person!._id, ...(person!.mergedFrom ?? [])] },
    });
    expect(events).toBe(8);
  });

  it('keeps resolving a merged-away profile id to the survivor', async () => {
    const { workspaceId } = await createWorkspace(stack.store, 'resolve');
    const send = (m: Record<string, unknown>) =>
      ingestor.ingest(workspaceId, [TrackingMessage.parse(m)], { source: 'server' });
    await send({ type: 'identify', userId: 'u1' });
    await send({ type: 'track', event: 'x', anonymousId: 'a1' });
    const anonymous = await personOf(workspaceId, 'anonymous_id:a1');
    await send({ type: 'identify', userId: 'u1', anonymousId: 'a1' });
    const survivor = await personOf(workspaceId, 'user_id:u1');
    const live = await loadLiveProfiles(stack.store, workspaceId, [anonymous!._id]);
    expect(live.get(anonymous!._id)?._id).toBe(survivor!._id);
    expect(survivor!.mergedFrom).toContain(anonymous!._id);
  });
});
