import request from 'supertest';

import { basicAuth, startStack, type TestStack } from '../../../test/harness.js';
import { createWorkspace, type NewWorkspace } from '../workspaces/credentials.js';

describe('profiles API', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  /** Each test gets a workspace of its own, so what one stores never shows up in another. */
  async function workspace() {
    const keys = await createWorkspace(stack.store, 'Profiles test');
    const send = async (call: 'identify' | 'track', body: Record<string, unknown>) => {
      const response = await request(stack.app)
        .post(`/v1/${call}`)
        .set('Authorization', basicAuth(keys.writeKey))
        .send(body);
      expect(response.status).toBe(200);
    };
    const get = (path: string, query: Record<string, string | number> = {}, as = keys) =>
      request(stack.app).get(path).query(query).set('Authorization', `Bearer ${as.apiKey}`);
    return { keys, send, get };
  }

  /**
   * Two anonymous visits by the same person, each followed by a sign-in: the second sign-in
   * merges the second visitor's profile into the first.
   */
  async function mergedVisitor() {
    const ws = await workspace();
    await ws.send('track', {
      anonymousId: 'anon-a',
      event: 'Viewed Product',
      messageId: 'm1',
      timestamp: '2024-05-01T10:00:00.000Z',
    });
    await ws.send('identify', {
      userId: 'ada',
      anonymousId: 'anon-a',
      traits: { email: 'ada@example.com', name: 'Ada', 'favourite.colour': 'green' },
      messageId: 'm2',
      timestamp: '2024-05-01T10:01:00.000Z',
    });
    await ws.send('track', {
      anonymousId: 'anon-b',
      event: 'Added To Cart',
      properties: { sku: 'A-1', 'price.eur': 12 },
      messageId: 'm3',
      timestamp: '2024-05-02T09:00:00.000Z',
    });
    const visitor = await ws.get('/v1/profiles/lookup', { type: 'anonymous_id', value: 'anon-b' });
    await ws.send('identify', {
      userId: 'ada',
      anonymousId: 'anon-b',
      messageId: 'm4',
      timestamp: '2024-05-02T09:05:00.000Z',
    });
    const ada = await ws.get('/v1/profiles/lookup', { type: 'user_id', value: 'ada' });
    return { ...ws, adaId: ada.body.profile.id as string, visitorId: visitor.body.profile.id };
  }

  it('finds a profile by email whatever the case and spacing of the value asked for', async () => {
    const { get, adaId } = await mergedVisitor();
    const response = await get('/v1/profiles/lookup', {
      type: 'email',
      value: '  Ada@EXAMPLE.com ',
    });
    expect(response.status).toBe(200);
    expect(response.body.identifier).toEqual({ type: 'email', value: 'ada@example.com' });
    expect(response.body.profile).toMatchObject({
      id: adaId,
      traits: { email: 'ada@example.com', name: 'Ada', 'favourite.colour': 'green' },
    });
    expect(response.body.profile.identities).toEqual(
      expect.arrayContaining([
        { type: 'user_id', value: 'ada' },
        { type: 'email', value: 'ada@example.com' },
        { type: 'anonymous_id', value: 'anon-b' },
      ]),
    );
  });

  it('answers 404 for an identifier nobody has and 400 for an unknown identifier type', async () => {
    const { get } = await workspace();
    const missing = await get('/v1/profiles/lookup', { type: 'email', value: 'nobody@x.org' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('profile_not_found');

    const unknown = await get('/v1/profiles/lookup', { type: 'passport', value: 'X1' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('unknown_identifier_type');
    expect(unknown.body.error.issues).toEqual([expect.objectContaining({ path: ['type'] })]);

    const junk = await get('/v1/profiles/lookup', { type: 'user_id', value: 'unknown' });
    expect(junk.status).toBe(400);
    expect(junk.body.error.issues).toEqual([
      expect.objectContaining({ code: 'junk_value', path: ['value'] }),
    ]);
  });

  it('answers a merged-away id with the survivor and says which id was asked for', async () => {
    const { get, adaId, visitorId } = await mergedVisitor();
    expect(visitorId).not.toBe(adaId);
    const response = await get(`/v1/profiles/${visitorId}`);
    expect(response.status).toBe(200);
    expect(response.body.profile).toMatchObject({ id: adaId, resolvedFrom: visitorId });
    expect(response.body.profile.mergedFrom).toEqual([visitorId]);

    const direct = await get(`/v1/profiles/${adaId}`);
    expect(direct.body.profile.resolvedFrom).toBeUndefined();
    expect((await get('/v1/profiles/prf_nobody')).status).toBe(404);
  });

  it('shows the events of merged profiles in the survivor’s timeline, newest first', async () => {
    const { get, adaId, visitorId } = await mergedVisitor();
    const response = await get(`/v1/profiles/${visitorId}/events`);
    expect(response.status).toBe(200);
    expect(response.body.profileId).toBe(adaId);
    expect(response.body.events.map((e: { messageId: string }) => e.messageId)).toEqual([
      'm4',
      'm3',
      'm2',
      'm1',
    ]);
    const cart = response.body.events[1];
    expect(cart).toMatchObject({
      type: 'track',
      event: 'Added To Cart',
      profileId: visitorId,
      properties: { sku: 'A-1', 'price.eur': 12 },
    });
    expect(response.body.events[2].traits).toMatchObject({ 'favourite.colour': 'green' });
    expect(response.body.next).toBeNull();
  });

  it('pages through a timeline with the next cursor and filters by event name', async () => {
    const { get, adaId } = await mergedVisitor();
    const seen: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 5; page++) {
      const response = await get(`/v1/profiles/${adaId}/events`, {
        limit: 3,
        ...(before ? { before } : {}),
      });
      expect(response.status).toBe(200);
      seen.push(...response.body.events.map((e: { messageId: string }) => e.messageId));
      before = response.body.next ?? undefined;
      if (!before) break;
    }
    expect(seen).toEqual(['m4', 'm3', 'm2', 'm1']);

    const byDate = await get(`/v1/profiles/${adaId}/events`, { before: '2024-05-02T00:00:00Z' });
    expect(byDate.body.events.map((e: { messageId: string }) => e.messageId)).toEqual(['m2', 'm1']);
    const carts = await get(`/v1/profiles/${adaId}/events`, { event: 'Added To Cart' });
    expect(carts.body.events.map((e: { messageId: string }) => e.messageId)).toEqual(['m3']);
    const identifies = await get(`/v1/profiles/${adaId}/events`, { type: 'identify' });
    expect(identifies.body.events).toHaveLength(2);
  });

  it('answers 400 with the parameter path for a bad limit, cursor or type', async () => {
    const { get, adaId } = await mergedVisitor();
    for (const [query, path] of [
      [{ limit: 0 }, 'limit'],
      [{ limit: 201 }, 'limit'],
      [{ before: 'not-a-cursor' }, 'before'],
      [{ type: 'purchase' }, 'type'],
    ] as const) {
      const response = await get(`/v1/profiles/${adaId}/events`, query);
      expect(response.status).toBe(400);
      expect(response.body.error.issues[0].path).toEqual([path]);
    }
  });

  it('lists the merges that formed a profile, without the profiles’ old contents', async () => {
    const { get, adaId, visitorId } = await mergedVisitor();
    const response = await get(`/v1/profiles/${visitorId}/merges`);
    expect(response.status).toBe(200);
    expect(response.body.merges).toEqual([
      expect.objectContaining({
        status: 'merged',
        survivorId: adaId,
        mergedIds: [visitorId],
        cause: expect.objectContaining({ messageId: 'm4', type: 'identify' }),
        snapshotIds: [adaId, visitorId],
      }),
    ]);
    expect(response.body.merges[0].before).toBeUndefined();
  });

  it('answers 401 without an API key and 404 to another workspace’s key', async () => {
    const { adaId, get } = await mergedVisitor();
    expect((await request(stack.app).get(`/v1/profiles/${adaId}`)).status).toBe(401);
    const other: NewWorkspace = await createWorkspace(stack.store, 'Other');
    expect((await get(`/v1/profiles/${adaId}`, {}, other)).status).toBe(404);
    expect((await get(`/v1/profiles/${adaId}/events`, {}, other)).status).toBe(404);
    const lookup = await get('/v1/profiles/lookup', { type: 'user_id', value: 'ada' }, other);
    expect(lookup.status).toBe(404);
    const search = await get('/v1/profiles', { trait: 'name', value: 'Ada' }, other);
    expect(search.body.profiles).toEqual([]);
  });
});
