import { randomBytes } from 'node:crypto';

import request from 'supertest';

import type { SegmentDefinition } from '@junction/core';
import { createLogger } from '@junction/server';
import { createAudience, type Audience } from '@junction/server/audience';

import { deleteAudienceSchedules, profileOfUser, storeDefinition } from './audience-fixtures.js';
import { basicAuth, startStack, type TestStack } from './harness.js';

// No worker serves this queue, so no scheduled sweep races the ones this file runs by hand.
process.env.JUNCTION_AUDIENCE_TASK_QUEUE = `junction-audience-${randomBytes(4).toString('hex')}`;

const DAY_MS = 86_400_000;

const recentViewers: SegmentDefinition = {
  key: 'recent_viewers',
  name: 'Viewed a product in the last 7 days',
  description: '',
  owner: '',
  condition: {
    type: 'event',
    event: 'Product Viewed',
    within: { days: 7 },
    aggregate: 'count',
    op: 'gte',
    value: 1,
  },
};

describe('the sweep of time-relative conditions on real FerretDB', () => {
  let stack: TestStack;
  let audience: Audience;
  let workspaceId: string;
  const now = new Date();
  // Midnight UTC (the workspace's time zone) starting today's local date.
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const dayStart = (days: number) => new Date(today + days * DAY_MS);

  beforeAll(async () => {
    stack = await startStack();
    workspaceId = stack.workspace.workspaceId;
    audience = createAudience({ db: stack.db, temporal: stack.temporal, log: createLogger() });
    await storeDefinition(stack, workspaceId, { kind: 'segment', segment: recentViewers });
    await audience.state.published(workspaceId);
  });

  afterAll(async () => {
    if (stack) await deleteAudienceSchedules(stack, workspaceId);
    await stack?.close();
  });

  async function view(userId: string, at: Date) {
    const response = await request(stack.app)
      .post('/v1/track')
      .set('Authorization', basicAuth(stack.workspace.writeKey))
      .send({ userId, event: 'Product Viewed', timestamp: at.toISOString() });
    expect(response.status).toBe(200);
  }

  const profileOf = (userId: string) => profileOfUser(stack, workspaceId, userId);

  async function members(): Promise<string[]> {
    const users = ['six-days', 'three-days', 'today', 'never'];
    const profiles = await Promise.all(users.map(profileOf));
    return users.filter((_, index) => profiles[index]?.segments?.recent_viewers);
  }

  it('removes exactly the members whose last event left the window, and nobody else', async () => {
    await view('six-days', new Date(dayStart(-6).getTime() + 3_600_000));
    await view('three-days', new Date(dayStart(-3).getTime() + 3_600_000));
    await view('today', now);
    await request(stack.app)
      .post('/v1/identify')
      .set('Authorization', basicAuth(stack.workspace.writeKey))
      .send({ userId: 'never', traits: { plan: 'free' } });
    expect(await members()).toEqual(['six-days', 'three-days', 'today']);

    // Nothing is due yet.
    expect(await audience.sweeper.sweep(workspaceId, now)).toMatchObject({ profiles: 0 });

    // The six-day-old view leaves the 7-day window when tomorrow starts.
    const tomorrow = await audience.sweeper.sweep(workspaceId, dayStart(1));
    expect(tomorrow).toEqual({ slots: 1, profiles: 1, entered: 0, exited: 1 });
    expect(await members()).toEqual(['three-days', 'today']);
    const gone = await profileOf('six-days');
    const exited = await stack.store.events.findOne({
      profileId: gone!._id,
      event: 'segment exited',
    });
    expect(exited).toMatchObject({
      properties: { segment_key: 'recent_viewers' },
      timestamp: dayStart(1),
    });

    // Late in the day before the three-day-old view expires, nobody is due.
    const before = await audience.sweeper.sweep(workspaceId, new Date(dayStart(4).getTime() - 1));
    expect(before).toMatchObject({ profiles: 0, exited: 0 });
    expect(await members()).toEqual(['three-days', 'today']);

    const later = await audience.sweeper.sweep(
      workspaceId,
      new Date(dayStart(4).getTime() + 60_000),
    );
    expect(later).toMatchObject({ profiles: 1, exited: 1 });
    expect(await members()).toEqual(['today']);

    const last = await audience.sweeper.sweep(workspaceId, dayStart(7));
    expect(last).toMatchObject({ profiles: 1, exited: 1 });
    expect(await members()).toEqual([]);
  }, 60_000);
});
