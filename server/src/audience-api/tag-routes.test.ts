import { startStack, type TestStack } from '../../../test/harness.js';
import { tagOf, testWorkspace } from './test-workspace.js';

const AUTHOR = { id: expect.stringMatching(/^[0-9a-f]{12}$/), name: 'default API key' };

const plan = tagOf('plan', { kind: 'static', trait: 'plan', valueType: 'string' });
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

describe('tags API', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('creates a tag as version 1 with its author, the whole definition and a backfill', async () => {
    const ws = await testWorkspace(stack);
    const created = await ws.post('/v1/tags', plan);
    expect(created.status).toBe(201);
    const stored = { ...plan, description: '', owner: '' };
    expect(created.body.tag).toEqual({
      ...stored,
      valueType: 'string',
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      updatedBy: AUTHOR,
    });
    expect(created.body.version).toMatchObject({
      version: 1,
      author: AUTHOR,
      changes: [{ path: [], after: stored }],
    });
    expect(created.body.backfill).toMatchObject({ target: 'tag:plan', kind: 'backfill' });

    const read = await ws.get('/v1/tags/plan');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      tag: { key: 'plan', version: 1, valueType: 'string' },
      reads: { events: [], traits: ['plan'], tags: [], segments: [] },
      dependents: { tags: [], segments: [], journeys: [] },
      backfill: { id: created.body.backfill.id, target: 'tag:plan' },
    });
  });

  it('lists tags, searching key, name and description and filtering by kind', async () => {
    const ws = await testWorkspace(stack);
    await ws.post('/v1/tags', { ...plan, description: 'Subscription tier' });
    await ws.post('/v1/tags', orders);
    const keys = async (query: Record<string, string>) =>
      ((await ws.get('/v1/tags', query)).body.tags as { key: string }[]).map((tag) => tag.key);
    expect(await keys({})).toEqual(['orders_30d', 'plan']);
    expect(await keys({ q: 'TIER' })).toEqual(['plan']);
    expect(await keys({ q: 'orders' })).toEqual(['orders_30d']);
    expect(await keys({ kind: 'behavioral' })).toEqual(['orders_30d']);
    const listed = await ws.get('/v1/tags', { kind: 'static' });
    expect(listed.body.tags[0]).toMatchObject({ key: 'plan', kind: 'static', version: 1 });
  });

  it('records each change as a new version with its author, time and diff', async () => {
    const ws = await testWorkspace(stack);
    await ws.post('/v1/tags', orders);
    const changed = await ws.put('/v1/tags/orders_30d', {
      ...orders,
      name: 'Orders, 30 days',
      rule: { ...orders.rule, within: { days: 31 } },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.changed).toBe(true);
    expect(changed.body.version).toMatchObject({
      version: 2,
      author: AUTHOR,
      changes: [
        { path: ['name'], before: 'Tag orders_30d', after: 'Orders, 30 days' },
        { path: ['rule', 'within', 'days'], before: 30, after: 31 },
      ],
    });
    expect(Date.parse(changed.body.version.createdAt)).toBeGreaterThan(Date.now() - 60_000);

    const history = await ws.get('/v1/tags/orders_30d/versions');
    expect(history.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(history.body.next).toBeNull();
    const paged = await ws.get('/v1/tags/orders_30d/versions', { limit: 1 });
    expect(paged.body).toMatchObject({ versions: [{ version: 2 }], next: 2 });
    const older = await ws.get('/v1/tags/orders_30d/versions', { limit: 1, before: 2 });
    expect(older.body).toMatchObject({ versions: [{ version: 1 }], next: null });

    const first = await ws.get('/v1/tags/orders_30d/versions/1');
    expect(first.body).toMatchObject({
      version: 1,
      deleted: false,
      definition: { name: 'Tag orders_30d' },
    });
    expect((await ws.get('/v1/tags/orders_30d/versions/9')).body.error.code).toBe(
      'version_not_found',
    );
  });

  it('rolls back by publishing an earlier definition as the newest version', async () => {
    const ws = await testWorkspace(stack);
    await ws.post('/v1/tags', orders);
    await ws.put('/v1/tags/orders_30d', {
      ...orders,
      rule: { ...orders.rule, within: { days: 7 } },
    });

    const rolled = await ws.post('/v1/tags/orders_30d/rollback', { version: 1 });
    expect(rolled.status).toBe(200);
    expect(rolled.body.version).toMatchObject({
      version: 3,
      rolledBackTo: 1,
      author: AUTHOR,
      changes: [{ path: ['rule', 'within', 'days'], before: 7, after: 30 }],
    });
    expect(rolled.body.backfill).toMatchObject({ target: 'tag:orders_30d' });
    const read = await ws.get('/v1/tags/orders_30d');
    expect(read.body.tag).toMatchObject({ version: 3, rule: { within: { days: 30 } } });
  });

  it('answers 409 version_conflict when a change is based on an older version', async () => {
    const ws = await testWorkspace(stack);
    await ws.post('/v1/tags', plan);
    await ws.put('/v1/tags/plan', { ...plan, name: 'Plan', expectedVersion: 1 });
    const stale = await ws.put('/v1/tags/plan', { ...plan, name: 'Tier', expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    const staleRollback = await ws.post('/v1/tags/plan/rollback', {
      version: 1,
      expectedVersion: 1,
    });
    expect(staleRollback.body.error.code).toBe('version_conflict');
    expect((await ws.get('/v1/tags/plan')).body.tag).toMatchObject({ name: 'Plan', version: 2 });
  });

  it('adds no version when a change repeats the newest definition', async () => {
    const ws = await testWorkspace(stack);
    await ws.post('/v1/tags', plan);
    const again = await ws.put('/v1/tags/plan', { name: plan.name, rule: plan.rule });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ changed: false, version: { version: 1 } });
  });

  it('refuses to create a key that exists and to change one that does not', async () => {
    const ws = await testWorkspace(stack);
    await ws.post('/v1/tags', plan);
    const duplicate = await ws.post('/v1/tags', plan);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('tag_exists');
    const missing = await ws.put('/v1/tags/tier', { ...plan, key: 'tier' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('tag_not_found');
    const renamed = await ws.put('/v1/tags/plan', { ...plan, key: 'tier' });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.issues).toEqual([
      expect.objectContaining({ code: 'key_mismatch', path: ['key'] }),
    ]);
  });

  it('refuses unknown fields and wrong types as invalid_request with the zod issues', async () => {
    const ws = await testWorkspace(stack);
    const unknown = await ws.post('/v1/tags', { ...plan, rule: { ...plan.rule, colour: 'red' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('invalid_request');
    expect(unknown.body.error.issues).toContainEqual(
      expect.objectContaining({ code: 'unrecognized_keys', path: ['rule'] }),
    );
    const wrongType = await ws.post('/v1/tags', {
      ...orders,
      rule: { ...orders.rule, within: { days: '7' } },
    });
    expect(wrongType.body.error.issues).toContainEqual(
      expect.objectContaining({ code: 'invalid_type', path: ['rule', 'within', 'days'] }),
    );
    expect((await ws.get('/v1/tags')).body.tags).toEqual([]);
  });

  it('refuses windows out of range with invalid_definition and the path in the body', async () => {
    const ws = await testWorkspace(stack);
    const behavioral = await ws.post('/v1/tags', {
      ...orders,
      rule: { ...orders.rule, within: { days: 400 } },
    });
    expect(behavioral.status).toBe(400);
    expect(behavioral.body.error.code).toBe('invalid_definition');
    expect(behavioral.body.error.issues).toEqual([
      expect.objectContaining({
        code: 'condition.window_out_of_range',
        path: ['rule', 'within', 'days'],
        subject: { kind: 'tag', key: 'orders_30d' },
      }),
    ]);

    const nested = await ws.post(
      '/v1/tags',
      tagOf('active', {
        kind: 'dynamic',
        cases: [
          {
            when: {
              type: 'all',
              conditions: [
                { type: 'trait', trait: 'plan', op: 'exists' },
                {
                  type: 'event',
                  event: 'Login',
                  within: { days: 0 },
                  aggregate: 'count',
                  op: 'gte',
                  value: 1,
                },
              ],
            },
            value: true,
          },
        ],
      }),
    );
    expect(nested.body.error.issues).toEqual([
      expect.objectContaining({
        code: 'condition.window_out_of_range',
        path: ['rule', 'cases', 0, 'when', 'conditions', 1, 'within', 'days'],
      }),
    ]);
  });

  it('refuses a reference to a missing tag and an operand of the wrong type', async () => {
    const ws = await testWorkspace(stack);
    const missing = await ws.post('/v1/tags', stage);
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues).toEqual([
      expect.objectContaining({
        code: 'condition.unknown_tag',
        path: ['rule', 'cases', 0, 'when', 'tag'],
      }),
    ]);

    await ws.post('/v1/tags', orders);
    const wrongOperand = await ws.post('/v1/tags', {
      ...stage,
      rule: {
        ...stage.rule,
        cases: [
          { when: { type: 'tag', tag: 'orders_30d', op: 'eq', value: 'three' }, value: 'loyal' },
        ],
      },
    });
    expect(wrongOperand.body.error.issues).toEqual([
      expect.objectContaining({
        code: 'condition.operand_type',
        path: ['rule', 'cases', 0, 'when', 'value'],
      }),
    ]);
    expect((await ws.post('/v1/tags', stage)).status).toBe(201);
  });

  it('refuses a change that makes tags read each other, naming every tag on the cycle', async () => {
    const ws = await testWorkspace(stack);
    await ws.post('/v1/tags', orders);
    await ws.post('/v1/tags', stage);
    const cyclic = await ws.put(
      '/v1/tags/orders_30d',
      tagOf('orders_30d', {
        kind: 'dynamic',
        cases: [{ when: { type: 'tag', tag: 'stage', op: 'eq', value: 'loyal' }, value: 3 }],
      }),
    );
    expect(cyclic.status).toBe(400);
    expect(cyclic.body.error.code).toBe('invalid_definition');
    const cycles = (cyclic.body.error.issues as { code: string; subject: unknown }[])
      .filter((issue) => issue.code === 'tag.cycle')
      .map((issue) => issue.subject);
    expect(cycles).toEqual(
      expect.arrayContaining([
        { kind: 'tag', key: 'orders_30d' },
        { kind: 'tag', key: 'stage' },
      ]),
    );
    expect((await ws.get('/v1/tags/orders_30d')).body.tag.version).toBe(1);
  });

  it('answers 404 for a tag of another workspace', async () => {
    const owner = await testWorkspace(stack);
    const other = await testWorkspace(stack);
    await owner.post('/v1/tags', plan);
    for (const response of [
      await other.get('/v1/tags/plan'),
      await other.put('/v1/tags/plan', plan),
      await other.delete('/v1/tags/plan'),
      await other.get('/v1/tags/plan/versions'),
      await other.get('/v1/tags/plan/versions/1'),
      await other.post('/v1/tags/plan/rollback', { version: 1 }),
      await other.get('/v1/tags/plan/lineage'),
    ]) {
      expect(response.status).toBe(404);
    }
    expect((await other.get('/v1/tags')).body.tags).toEqual([]);
    expect((await owner.get('/v1/tags/plan')).status).toBe(200);
  });
});
