import request from 'supertest';

import type { JourneyDefinition } from '@junction/core';

import { startStack, type TestStack } from '../../../test/harness.js';
import { createWorkspace } from '../workspaces/credentials.js';

const definition: JourneyDefinition = {
  nodes: [
    { id: 'entry', type: 'entry', trigger: { kind: 'event', event: 'Signed Up' } },
    { id: 'wait', type: 'delay', duration: { amount: 5, unit: 'minutes' } },
    { id: 'exit', type: 'exit' },
  ],
  edges: [
    { id: 'e1', source: 'entry', target: 'wait' },
    { id: 'e2', source: 'wait', target: 'exit' },
  ],
};

describe('journeys API', () => {
  let stack: TestStack;
  let auth: string;

  beforeAll(async () => {
    stack = await startStack();
    auth = `Bearer ${stack.workspace.apiKey}`;
  });
  afterAll(() => stack.close());

  async function create(draft: JourneyDefinition = definition): Promise<string> {
    const response = await request(stack.app)
      .post('/v1/journeys')
      .set('Authorization', auth)
      .send({ name: 'Welcome', draft });
    expect(response.status).toBe(201);
    return response.body.journey.id as string;
  }

  it('publishes immutable versions: a later draft change never alters a published version', async () => {
    const id = await create();
    const v1 = await request(stack.app)
      .post(`/v1/journeys/${id}/publish`)
      .set('Authorization', auth)
      .send({ notes: 'launch' });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ journeyId: id, version: 1, notes: 'launch' });

    const longer = structuredClone(definition);
    longer.nodes[1] = { id: 'wait', type: 'delay', duration: { amount: 2, unit: 'days' } };
    const saved = await request(stack.app)
      .put(`/v1/journeys/${id}/draft`)
      .set('Authorization', auth)
      .send({ draft: longer });
    expect(saved.status).toBe(200);
    const v2 = await request(stack.app)
      .post(`/v1/journeys/${id}/publish`)
      .set('Authorization', auth)
      .send({});
    expect(v2.body.version).toBe(2);

    const first = await request(stack.app)
      .get(`/v1/journeys/${id}/versions/1`)
      .set('Authorization', auth);
    expect(first.body.definition.nodes[1].duration).toEqual({ amount: 5, unit: 'minutes' });
    const detail = await request(stack.app).get(`/v1/journeys/${id}`).set('Authorization', auth);
    expect(detail.body.journey).toMatchObject({ status: 'live', liveVersion: 2, latestVersion: 2 });
    expect(detail.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('refuses to publish a broken graph and lists each problem with its node', async () => {
    const broken: JourneyDefinition = {
      nodes: [...definition.nodes, { id: 'lost', type: 'exit' }],
      edges: [definition.edges[0]!],
    };
    const id = await create(broken);
    const response = await request(stack.app)
      .post(`/v1/journeys/${id}/publish`)
      .set('Authorization', auth)
      .send({});
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_journey');
    expect(response.body.error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'journey.missing_next',
          nodeId: 'wait',
          path: ['draft', 'nodes', 1],
        }),
        expect.objectContaining({ code: 'journey.unreachable_node', nodeId: 'exit' }),
        expect.objectContaining({ code: 'journey.unreachable_node', nodeId: 'lost' }),
      ]),
    );
    const detail = await request(stack.app).get(`/v1/journeys/${id}`).set('Authorization', auth);
    expect(detail.body.versions).toEqual([]);
  });

  it('answers 400 with paths for a draft that breaks the schema', async () => {
    const response = await request(stack.app)
      .post('/v1/journeys')
      .set('Authorization', auth)
      .send({
        name: 'Bad',
        draft: { nodes: [{ id: 'a.b', type: 'webhook', url: 'ftp://x' }], edges: [] },
      });
    expect(response.status).toBe(400);
    const paths = (response.body.error.issues as { path: unknown[] }[]).map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        ['draft', 'nodes', 0, 'id'],
        ['draft', 'nodes', 0, 'url'],
      ]),
    );
  });

  it('keeps workspaces apart: another workspace cannot see or publish this journey', async () => {
    const id = await create();
    const other = await createWorkspace(stack.store, 'Other');
    const otherAuth = `Bearer ${other.apiKey}`;
    expect(
      (await request(stack.app).get(`/v1/journeys/${id}`).set('Authorization', otherAuth)).status,
    ).toBe(404);
    expect(
      (
        await request(stack.app)
          .post(`/v1/journeys/${id}/publish`)
          .set('Authorization', otherAuth)
          .send({})
      ).status,
    ).toBe(404);
    const list = await request(stack.app).get('/v1/journeys').set('Authorization', otherAuth);
    expect(list.body.journeys).toEqual([]);
  });

  it('answers 401 without an API key and with a write key', async () => {
    expect((await request(stack.app).get('/v1/journeys')).status).toBe(401);
    const withWriteKey = await request(stack.app)
      .get('/v1/journeys')
      .set('Authorization', `Bearer ${stack.workspace.writeKey}`);
    expect(withWriteKey.status).toBe(401);
  });
});
