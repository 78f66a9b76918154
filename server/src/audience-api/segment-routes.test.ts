import type { JourneyDefinition } from '@junction/core';

import { startStack, type TestStack } from '../../../test/harness.js';
import { newId } from '../workspaces/credentials.js';
import { segmentOf, tagOf, testWorkspace, type TestWorkspace } from './test-workspace.js';

const orders = tagOf('orders_30d', {
  kind: 'behavioral',
  event: 'Order Completed',
  aggregate: 'count',
  within: { days: 30 },
});
const stage = tagOf('stage', {
  kind: 'dynamic',
  cases: [{ when: { type: 'tag', tag: 'orders_30d', op: 'gte', value: 3 }, value: 'loyal' }],
  otherwise: 'new',
});
const loyal = segmentOf('loyal', { type: 'tag', tag: 'stage', op: 'eq', value: 'loyal' });
const vip = segmentOf('vip', {
  type: 'all',
  conditions: [
    { type: 'segment', segment: 'loyal', member: true },
    { type: 'trait', trait: 'plan', op: 'eq', value: 'pro' },
  ],
});

describe('segments API', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  /** orders_30d <- stage <- loyal <- vip, and a journey entered by joining vip. */
  async function chain(): Promise<TestWorkspace & { journeyId: string }> {
    const ws = await testWorkspace(stack);
    for (const tag of [orders, stage]) expect((await ws.post('/v1/tags', tag)).status).toBe(201);
    for (const segment of [loyal, vip]) {
      expect((await ws.post('/v1/segments', segment)).status).toBe(201);
    }
    const journeyId = newId('jrn');
    // A segment entry trigger, the shape the next issue adds to journeys.
    const draft = {
      nodes: [{ id: 'entry', type: 'entry', trigger: { kind: 'segment', segment: 'vip' } }],
      edges: [],
    } as unknown as JourneyDefinition;
    const now = new Date();
    await stack.store.journeys.insertOne({
      _id: journeyId,
      workspaceId: ws.keys.workspaceId,
      name: 'VIP welcome',
      status: 'draft',
      draft,
      liveVersion: null,
      latestVersion: null,
      entryEvents: [],
      createdAt: now,
      updatedAt: now,
    });
    return { ...ws, journeyId };
  }

  it('shows a segment with its size, what it reads, who reads it and its backfill', async () => {
    const ws = await chain();
    const read = await ws.get('/v1/segments/loyal');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      segment: { key: 'loyal', name: 'Segment loyal', version: 1, condition: loyal.condition },
      size: 0,
      reads: { tags: ['stage'], segments: [], traits: [], events: [] },
      dependents: { tags: [], segments: ['vip'], journeys: [] },
      backfill: { target: 'segment:loyal' },
    });
    const listed = await ws.get('/v1/segments', { q: 'vip' });
    expect(listed.body.segments).toEqual([expect.objectContaining({ key: 'vip', version: 1 })]);
  });

  it('answers lineage: what a definition reads, its direct readers and everything downstream', async () => {
    const ws = await chain();
    const tag = await ws.get('/v1/tags/orders_30d/lineage');
    expect(tag.status).toBe(200);
    expect(tag.body).toEqual({
      key: 'orders_30d',
      reads: { events: ['Order Completed'], traits: [], tags: [], segments: [] },
      readBy: { tags: ['stage'], segments: [], journeys: [] },
      downstream: {
        tags: ['stage'],
        segments: ['loyal', 'vip'],
        journeys: [{ id: ws.journeyId, name: 'VIP welcome' }],
      },
    });
    const segment = await ws.get('/v1/segments/vip/lineage');
    expect(segment.body).toMatchObject({
      reads: { segments: ['loyal'], traits: ['plan'] },
      readBy: { tags: [], segments: [], journeys: [{ id: ws.journeyId, name: 'VIP welcome' }] },
    });
  });

  it('answers a change to a segment others read with its dependents', async () => {
    const ws = await chain();
    const changed = await ws.put('/v1/segments/loyal', {
      ...loyal,
      condition: { type: 'tag', tag: 'stage', op: 'in', value: ['loyal', 'champion'] },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      segment: { key: 'loyal', version: 2 },
      dependents: { tags: [], segments: ['vip'], journeys: [] },
      backfill: { target: 'segment:loyal' },
    });
  });

  it('refuses to delete what others read, listing exactly its direct readers', async () => {
    const ws = await chain();
    const tag = await ws.delete('/v1/tags/stage');
    expect(tag.status).toBe(409);
    expect(tag.body.error.code).toBe('in_use');
    expect(tag.body.error.issues).toEqual([
      expect.objectContaining({ code: 'in_use', subject: { kind: 'segment', key: 'loyal' } }),
    ]);
    const segment = await ws.delete('/v1/segments/vip');
    expect(segment.body.error.issues).toEqual([
      expect.objectContaining({ subject: { kind: 'journey', key: ws.journeyId } }),
    ]);
    expect(segment.body.error.message).toContain('journey "VIP welcome"');
    expect((await ws.get('/v1/tags/stage')).body.tag.version).toBe(1);
  });

  it('deletes a tag once the segment reading it changed, and a new tag continues its versions', async () => {
    const ws = await chain();
    const stopReading = await ws.put('/v1/segments/loyal', {
      ...loyal,
      condition: { type: 'tag', tag: 'orders_30d', op: 'gte', value: 3 },
    });
    expect(stopReading.status).toBe(200);

    const deleted = await ws.delete('/v1/tags/stage', { expectedVersion: 1 });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ deleted: true, version: { version: 2, deleted: true } });
    expect(deleted.body.version.changes).toEqual([
      { path: [], before: expect.objectContaining({ key: 'stage' }) },
    ]);
    expect((await ws.get('/v1/tags/stage')).status).toBe(404);
    expect((await ws.get('/v1/tags')).body.tags.map((t: { key: string }) => t.key)).toEqual([
      'orders_30d',
    ]);
    expect((await ws.get('/v1/tags/stage/versions/2')).body).toMatchObject({ definition: null });

    const again = await ws.post('/v1/tags', stage);
    expect(again.status).toBe(201);
    expect(again.body.version).toMatchObject({ version: 3, changes: [{ path: [] }] });
    const history = await ws.get('/v1/tags/stage/versions');
    expect(history.body.versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
  });

  it('refuses a rollback to a deletion', async () => {
    const ws = await testWorkspace(stack);
    await ws.post('/v1/tags', orders);
    await ws.delete('/v1/tags/orders_30d');
    const rolled = await ws.post('/v1/tags/orders_30d/rollback', { version: 2 });
    expect(rolled.status).toBe(400);
    expect(rolled.body.error.issues).toEqual([
      expect.objectContaining({ code: 'version_is_deletion', path: ['version'] }),
    ]);
    const restored = await ws.post('/v1/tags/orders_30d/rollback', { version: 1 });
    expect(restored.body.version).toMatchObject({ version: 3, rolledBackTo: 1 });
  });

  it('refuses a change that makes segments read each other', async () => {
    const ws = await chain();
    const cyclic = await ws.put('/v1/segments/loyal', {
      ...loyal,
      condition: { type: 'segment', segment: 'vip', member: false },
    });
    expect(cyclic.status).toBe(400);
    expect(cyclic.body.error.code).toBe('invalid_definition');
    expect(cyclic.body.error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'segment.cycle',
          subject: { kind: 'segment', key: 'loyal' },
        }),
        expect.objectContaining({
          code: 'segment.cycle',
          subject: { kind: 'segment', key: 'vip' },
        }),
      ]),
    );
  });

  it('refuses a segment condition with an unknown segment, at its path in the body', async () => {
    const ws = await testWorkspace(stack);
    const response = await ws.post(
      '/v1/segments',
      segmentOf('lapsed', {
        type: 'any',
        conditions: [
          { type: 'trait', trait: 'plan', op: 'eq', value: 'free' },
          { type: 'not', condition: { type: 'segment', segment: 'active', member: true } },
        ],
      }),
    );
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([
      expect.objectContaining({
        code: 'condition.unknown_segment',
        path: ['condition', 'conditions', 1, 'condition', 'segment'],
      }),
    ]);
  });

  it('answers 404 for a segment of another workspace', async () => {
    const owner = await chain();
    const other = await testWorkspace(stack);
    for (const path of ['', '/members', '/members.csv', '/versions', '/lineage']) {
      const response = await other.get(`/v1/segments/loyal${path}`);
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('segment_not_found');
    }
    expect((await other.delete('/v1/segments/vip')).status).toBe(404);
    expect((await owner.get('/v1/segments/loyal/members')).status).toBe(200);
  });
});
