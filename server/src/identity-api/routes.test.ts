import request from 'supertest';

import { DEFAULT_IDENTITY_SETTINGS } from '@junction/core';

import { basicAuth, startStack, type TestStack } from '../../../test/harness.js';
import { createWorkspace, type NewWorkspace } from '../workspaces/credentials.js';

describe('identity management API', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  async function workspace() {
    const keys = await createWorkspace(stack.store, 'Identity test');
    const auth = `Bearer ${keys.apiKey}`;
    const identify = async (body: Record<string, unknown>, writeKey = keys.writeKey) => {
      const response = await request(stack.app)
        .post('/v1/identify')
        .set('Authorization', basicAuth(writeKey))
        .send(body);
      expect(response.status).toBe(200);
    };
    const api = {
      get: (path: string, query: Record<string, string> = {}, as: NewWorkspace = keys) =>
        request(stack.app).get(path).query(query).set('Authorization', `Bearer ${as.apiKey}`),
      put: (path: string, body: unknown) =>
        request(stack.app)
          .put(path)
          .set('Authorization', auth)
          .send(body as object),
      post: (path: string, body: unknown = {}) =>
        request(stack.app)
          .post(path)
          .set('Authorization', auth)
          .send(body as object),
    };
    return { keys, identify, ...api };
  }

  /** A visitor stitched to a known person, which is a merge an operator may undo. */
  async function stitched(ws: Awaited<ReturnType<typeof workspace>>) {
    await ws.identify({ anonymousId: 'visit-1', traits: { plan: 'trial' } });
    await ws.identify({ userId: 'grace', traits: { email: 'grace@example.com' } });
    await ws.identify({ userId: 'grace', anonymousId: 'visit-1' });
    const merges = await ws.get('/v1/identity/merges', { status: 'merged' });
    expect(merges.body.merges).toHaveLength(1);
    return merges.body.merges[0] as { id: string; survivorId: string; mergedIds: string[] };
  }

  it('starts with the default settings and stores a valid replacement', async () => {
    const ws = await workspace();
    const initial = await ws.get('/v1/identity/settings');
    expect(initial.status).toBe(200);
    expect(initial.body.settings).toEqual(DEFAULT_IDENTITY_SETTINGS);

    const changed = {
      ...DEFAULT_IDENTITY_SETTINGS,
      identifierTypes: [
        ...DEFAULT_IDENTITY_SETTINGS.identifierTypes,
        { type: 'passport', priority: 95, limit: 1, normalize: 'lowercase', traits: ['passport'] },
      ],
      mergeSources: ['server'],
    };
    const saved = await ws.put('/v1/identity/settings', changed);
    expect(saved.status).toBe(200);
    const read = await ws.get('/v1/identity/settings');
    expect(read.body.settings.mergeSources).toEqual(['server']);
    expect(read.body.settings.identifierTypes.at(-1)).toMatchObject({
      type: 'passport',
      anonymous: false,
    });
  });

  it('refuses invalid settings with the path of every bad field and keeps the old ones', async () => {
    const ws = await workspace();
    const response = await ws.put('/v1/identity/settings', {
      ...DEFAULT_IDENTITY_SETTINGS,
      identifierTypes: [
        { type: 'user_id', priority: 100, limit: 1 },
        { type: 'user_id', priority: 5000, limit: 0 },
        { type: 'Bad Type', priority: 1, limit: null },
      ],
      mergeSources: ['everyone'],
    });
    expect(response.status).toBe(400);
    const issues = response.body.error.issues as { code: string; path: unknown[] }[];
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        ['identifierTypes', 1, 'priority'],
        ['identifierTypes', 1, 'limit'],
        ['identifierTypes', 2, 'type'],
        ['mergeSources', 0],
      ]),
    );
    const settings = (await ws.get('/v1/identity/settings')).body.settings;
    expect(settings).toEqual(DEFAULT_IDENTITY_SETTINGS);
  });

  it('names the rule a valid shape breaks, and stores trait names with dots or dollars', async () => {
    const ws = await workspace();
    const [userId] = DEFAULT_IDENTITY_SETTINGS.identifierTypes;
    const response = await ws.put('/v1/identity/settings', {
      ...DEFAULT_IDENTITY_SETTINGS,
      identifierTypes: [userId, userId],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'duplicate_identifier_type',
          path: ['identifierTypes', 1, 'type'],
        }),
        expect.objectContaining({ code: 'required_identifier_type', path: ['identifierTypes'] }),
      ]),
    );
    const dotted = await ws.put('/v1/identity/settings', {
      ...DEFAULT_IDENTITY_SETTINGS,
      traitMerge: { default: 'latest', traits: { 'address.city': 'first', $set: 'union' } },
    });
    // Trait names are user keys: stored escaped, answered as they were given.
    expect(dotted.status).toBe(200);
    const stored = await ws.get('/v1/identity/settings');
    expect(stored.body.settings.traitMerge.traits).toEqual({
      'address.city': 'first',
      $set: 'union',
    });
  });

  it('undoes a merge: the visitor gets its profile back, and a second undo is refused', async () => {
    const ws = await workspace();
    const merge = await stitched(ws);
    const [visitorId] = merge.mergedIds;

    const detail = await ws.get(`/v1/identity/merges/${merge.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.merge.before).toHaveLength(2);
    expect(detail.body.merge.before[1]).toMatchObject({ id: visitorId, traits: { plan: 'trial' } });

    const undone = await ws.post(`/v1/identity/merges/${merge.id}/undo`);
    expect(undone.status).toBe(200);
    expect(undone.body.merge).toMatchObject({ id: merge.id, status: 'undone' });
    expect(undone.body.merge.undoneAt).toEqual(expect.any(String));

    const visitor = await ws.get(`/v1/profiles/${visitorId}`);
    expect(visitor.body.profile).toMatchObject({ id: visitorId, traits: { plan: 'trial' } });
    expect(visitor.body.profile.resolvedFrom).toBeUndefined();
    const grace = await ws.get(`/v1/profiles/${merge.survivorId}`);
    expect(grace.body.profile.mergedFrom).toEqual([]);
    expect((await ws.get('/v1/identity/merges', { status: 'undone' })).body.merges).toHaveLength(1);

    const again = await ws.post(`/v1/identity/merges/${merge.id}/undo`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('merge_not_undoable');
  });

  it('answers 404 for a merge that is not in the workspace', async () => {
    const ws = await workspace();
    const merge = await stitched(ws);
    const missing = await ws.post('/v1/identity/merges/mrg_nothing/undo');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('merge_not_found');

    const other = await workspace();
    expect((await other.post(`/v1/identity/merges/${merge.id}/undo`)).status).toBe(404);
    expect((await other.get(`/v1/identity/merges/${merge.id}`)).status).toBe(404);
    expect((await other.get('/v1/identity/merges')).body.merges).toEqual([]);
  });

  it('records a refused merge when a message would give one person two user ids', async () => {
    const ws = await workspace();
    await ws.identify({ userId: 'u-1', traits: { email: 'shared@example.com' } });
    await ws.identify({ userId: 'u-2', traits: { email: 'other@example.com' } });
    await ws.identify({ userId: 'u-2', traits: { email: 'shared@example.com' } });
    const refused = await ws.get('/v1/identity/merges', { status: 'refused' });
    expect(refused.status).toBe(200);
    expect(refused.body.merges).toEqual([
      expect.objectContaining({
        status: 'refused',
        reason: expect.stringMatching(/^identifier_limit/),
      }),
    ]);
    const refusedId = refused.body.merges[0].id as string;
    expect((await ws.post(`/v1/identity/merges/${refusedId}/undo`)).status).toBe(409);
  });

  it('pages through the merge record newest first', async () => {
    const ws = await workspace();
    // The first sign-in only names the visitor; each later visitor is merged into them.
    for (let i = 0; i < 4; i++) {
      await ws.identify({ anonymousId: `v-${i}` });
      await ws.identify({ userId: 'pat', anonymousId: `v-${i}` });
    }
    const first = await ws.get('/v1/identity/merges', { limit: '2' });
    expect(first.body.merges).toHaveLength(2);
    const second = await ws.get('/v1/identity/merges', { limit: '2', before: first.body.next });
    const all = [...first.body.merges, ...second.body.merges];
    expect(all).toHaveLength(3);
    expect(new Set(all.map((m: { id: string }) => m.id)).size).toBe(all.length);
    const times = all.map((m: { createdAt: string }) => Date.parse(m.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(second.body.next).toBeNull();
  });

  it('answers 401 without an API key', async () => {
    expect((await request(stack.app).get('/v1/identity/settings')).status).toBe(401);
    expect((await request(stack.app).post('/v1/identity/merges/x/undo')).status).toBe(401);
  });
});
