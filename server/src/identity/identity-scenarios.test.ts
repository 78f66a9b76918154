import { DEFAULT_IDENTITY_SETTINGS, TrackingMessage } from '@junction/core';
import type { MergeDoc } from '@junction/core/store';
import { createLogger, createWorkspace } from '@junction/server';

import { startStack, type TestStack } from '../../../test/harness.js';
import { Ingestor } from '../ingest/ingest-messages.js';
import { createJourneys } from '../journeys/index.js';
import { scenarios, type Scenario } from './identity-scenario-table.js';
import { identityDocId, loadLiveProfiles } from './identity-store.js';
import { createIdentity, type Identity } from './index.js';

describe('identity graph', () => {
  let stack: TestStack;
  let identity: Identity;
  let ingestor: Ingestor;

  beforeAll(async () => {
    stack = await startStack();
    identity = createIdentity(stack.store);
    const log = createLogger('silent');
    const journeys = createJourneys({ db: stack.db, temporal: stack.temporal, log });
    ingestor = new Ingestor(stack.store, identity.resolver, journeys.triggers);
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

  describe('an identity whose profile is not written yet', () => {
    async function claimWithoutProfile(workspaceId: string, createdAt: Date) {
      const profileId = `prf_pending_${createdAt.getTime()}`;
      await stack.store.identities.insertOne({
        _id: identityDocId(workspaceId, 'user_id', 'u1'),
        workspaceId,
        type: 'user_id',
        value: 'u1',
        profileId,
        createdAt,
      });
      return profileId;
    }
    const identify = (workspaceId: string) =>
      ingestor.ingest(
        workspaceId,
        [TrackingMessage.parse({ type: 'identify', userId: 'u1', anonymousId: 'a1' })],
        { source: 'server' },
      );

    it('waits for a claimant that is still writing it, instead of taking the identity', async () => {
      const { workspaceId } = await createWorkspace(stack.store, 'in-flight');
      const pending = await claimWithoutProfile(workspaceId, new Date());
      const linking = identify(workspaceId);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await stack.store.profiles.insertOne({
        _id: pending,
        workspaceId,
        traits: {},
        identities: [{ type: 'user_id', value: 'u1' }],
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      await linking;
      expect((await personOf(workspaceId, 'user_id:u1'))?._id).toBe(pending);
      expect((await personOf(workspaceId, 'anonymous_id:a1'))?._id).toBe(pending);
    });

    it('takes over an identity left behind by a crash when linking it to a known person', async () => {
      const { workspaceId } = await createWorkspace(stack.store, 'abandoned');
      await ingestor.ingest(
        workspaceId,
        [TrackingMessage.parse({ type: 'track', event: 'Viewed', anonymousId: 'a1' })],
        { source: 'server' },
      );
      const anonymous = await personOf(workspaceId, 'anonymous_id:a1');
      await claimWithoutProfile(workspaceId, new Date(Date.now() - 3_600_000));
      await identify(workspaceId);
      const person = await personOf(workspaceId, 'user_id:u1');
      expect(person?._id).toBe(anonymous!._id);
      expect(person?.identities).toEqual(
        expect.arrayContaining([
          { type: 'user_id', value: 'u1' },
          { type: 'anonymous_id', value: 'a1' },
        ]),
      );
    });
  });
});
