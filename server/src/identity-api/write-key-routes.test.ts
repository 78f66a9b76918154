import request from 'supertest';

import { hashKey } from '../workspaces/credentials.js';
import { basicAuth, startStack, type TestStack } from '../../../test/harness.js';

describe('write keys API', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  const create = (body: unknown, apiKey = stack.workspace.apiKey) =>
    request(stack.app)
      .post('/v1/write-keys')
      .set('Authorization', `Bearer ${apiKey}`)
      .send(body as object);

  it('issues a client key once, stores only its hash, and the key can track', async () => {
    const response = await create({ name: 'Web site', sourceKind: 'client' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name: 'Web site', sourceKind: 'client' });
    const writeKey = response.body.writeKey as string;
    expect(writeKey).toMatch(/^wk_/);

    const stored = await stack.store.credentials.findOne({ _id: hashKey(writeKey) });
    expect(stored).toMatchObject({
      workspaceId: stack.workspace.workspaceId,
      kind: 'write',
      sourceKind: 'client',
    });
    const track = await request(stack.app)
      .post('/v1/track')
      .set('Authorization', basicAuth(writeKey))
      .send({ anonymousId: 'browser-1', event: 'Page Viewed' });
    expect(track.status).toBe(200);
  });

  it('refuses what a client key sends to merge two known people, and records why', async () => {
    const client = (await create({ name: 'App', sourceKind: 'client' })).body.writeKey as string;
    const send = (writeKey: string, body: object) =>
      request(stack.app).post('/v1/identify').set('Authorization', basicAuth(writeKey)).send(body);
    await send(stack.workspace.writeKey, {
      anonymousId: 'a-1',
      traits: { email: 'kim@example.com' },
    });
    await send(stack.workspace.writeKey, { userId: 'kim' });
    const merged = await send(client, { userId: 'kim', traits: { email: 'kim@example.com' } });
    expect(merged.status).toBe(200);

    const refused = await request(stack.app)
      .get('/v1/identity/merges')
      .query({ status: 'refused' })
      .set('Authorization', `Bearer ${stack.workspace.apiKey}`);
    expect(refused.body.merges).toEqual([
      expect.objectContaining({
        reason: 'untrusted_source',
        cause: expect.objectContaining({ source: 'client' }),
      }),
    ]);
  });

  it('answers 400 with paths for a missing name or an unknown source kind', async () => {
    const response = await create({ sourceKind: 'browser' });
    expect(response.status).toBe(400);
    expect(response.body.error.issues.map((i: { path: unknown[] }) => i.path)).toEqual(
      expect.arrayContaining([['name'], ['sourceKind']]),
    );
  });

  it('answers 401 without an API key and with a write key', async () => {
    expect((await request(stack.app).post('/v1/write-keys').send({ name: 'x' })).status).toBe(401);
    expect(
      (await create({ name: 'x', sourceKind: 'server' }, stack.workspace.writeKey)).status,
    ).toBe(401);
  });
});
