import request from 'supertest';

import { basicAuth, startStack, type TestStack } from '../../../test/harness.js';

describe('tracking API under concurrent requests', () => {
  let stack: TestStack;
  let auth: string;

  beforeAll(async () => {
    stack = await startStack();
    auth = basicAuth(stack.workspace.writeKey);
  });
  afterAll(() => stack.close());

  it('resolves concurrent first messages from one new person to one profile', async () => {
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        request(stack.app)
          .post('/v1/batch')
          .set('Authorization', auth)
          .send({
            batch: [
              {
                type: 'track',
                userId: 'u-race',
                anonymousId: `anon-race-${i % 3}`,
                event: 'Opened',
                messageId: `race-${i}`,
              },
            ],
          }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
    const identity = await stack.store.identities.findOne({
      _id: `${stack.workspace.workspaceId}:user_id:u-race`,
    });
    const events = await stack.store.events
      .find({ messageId: { $in: responses.map((_, i) => `race-${i}`) } })
      .toArray();
    expect(events).toHaveLength(12);
    // A request may resolve to a profile that a concurrent one then merges into the survivor;
    // events are never rewritten, so each belongs to the survivor or to a profile merged into it.
    const survivor = identity!.profileId;
    for (const profileId of new Set(events.map((e) => e.profileId))) {
      if (profileId === survivor) continue;
      const merged = await stack.store.profiles.findOne({ _id: profileId });
      expect(merged?.mergedInto).toBe(survivor);
    }
    const live = { 'identities.value': 'u-race', mergedInto: { $exists: false } };
    expect(await stack.store.profiles.countDocuments(live)).toBe(1);
    const timeline = await request(stack.app)
      .get(`/v1/profiles/${survivor}/events?limit=50`)
      .set('Authorization', `Bearer ${stack.workspace.apiKey}`);
    expect(
      timeline.body.events.filter((e: { event?: string }) => e.event === 'Opened'),
    ).toHaveLength(12);
  });

  it('applies traits from full, concurrent batches of identifies for people already known', async () => {
    const identifies = (round: number) =>
      Array.from({ length: 120 }, (_, i) => ({
        type: 'identify',
        userId: `known-${i}`,
        traits: { round, plan: i % 2 ? 'pro' : 'free' },
        messageId: `known-${round}-${i}`,
      }));
    const send = (round: number) =>
      request(stack.app)
        .post('/v1/batch')
        .set('Authorization', auth)
        .send({ batch: identifies(round) });
    expect((await send(1)).body.stored).toBe(120);
    // Six batches of updates at once: enough to deadlock FerretDB without bounded bulk writes.
    const responses = await Promise.all([2, 3, 4, 5, 6, 7].map(send));
    expect(responses.map((r) => [r.status, r.body.stored])).toEqual(Array(6).fill([200, 120]));
    const identity = await stack.store.identities.findOne({
      _id: `${stack.workspace.workspaceId}:user_id:known-7`,
    });
    const profile = await stack.store.profiles.findOne({ _id: identity!.profileId });
    expect(profile!.traits).toEqual({ round: expect.any(Number), plan: 'pro' });
    expect(await stack.store.profiles.countDocuments({ 'identities.value': 'known-7' })).toBe(1);
  }, 30_000);
});
