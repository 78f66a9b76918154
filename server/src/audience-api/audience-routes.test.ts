import request from 'supertest';

import { appWithTemporalDown, startStack, type TestStack } from '../../../test/harness.js';
import { tagOf, testWorkspace } from './test-workspace.js';

const plan = tagOf('plan', { kind: 'static', trait: 'plan', valueType: 'string' });

describe('audience settings and jobs API', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('stores the workspace time zone and refuses one that is not an IANA zone', async () => {
    const ws = await testWorkspace(stack);
    const initial = await ws.get('/v1/audience/settings');
    expect(initial.status).toBe(200);
    expect(initial.body.settings).toEqual({ timeZone: 'UTC' });

    const saved = await ws.put('/v1/audience/settings', { timeZone: 'Asia/Shanghai' });
    expect(saved.status).toBe(200);
    expect((await ws.get('/v1/audience/settings')).body.settings.timeZone).toBe('Asia/Shanghai');

    const invalid = await ws.put('/v1/audience/settings', { timeZone: 'Mars/Olympus_Mons' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({
      code: 'invalid_time_zone',
      issues: [{ code: 'invalid_time_zone', path: ['timeZone'] }],
    });
    const unknownField = await ws.put('/v1/audience/settings', { timeZone: 'UTC', locale: 'fr' });
    expect(unknownField.body.error.code).toBe('invalid_request');
    expect((await ws.get('/v1/audience/settings')).body.settings.timeZone).toBe('Asia/Shanghai');
  });

  it('reports the progress of a backfill by its id, to its own workspace only', async () => {
    const ws = await testWorkspace(stack);
    const other = await testWorkspace(stack);
    const created = await ws.post('/v1/tags', plan);
    const jobId = created.body.backfill.id as string;

    const job = await ws.get(`/v1/audience/jobs/${jobId}`);
    expect(job.status).toBe(200);
    expect(job.body.job).toMatchObject({
      id: jobId,
      kind: 'backfill',
      target: 'tag:plan',
      status: expect.stringMatching(/^(running|completed)$/),
      processed: expect.any(Number),
      total: expect.any(Number),
      changed: expect.any(Number),
      percent: expect.any(Number),
    });
    const hidden = await other.get(`/v1/audience/jobs/${jobId}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('job_not_found');
  });

  it('saves a change when Temporal is down and says so in the 503 answer', async () => {
    const down = await appWithTemporalDown(stack);
    try {
      const ws = await testWorkspace(stack, down.app);
      const response = await ws.post('/v1/tags', plan);
      expect(response.status).toBe(503);
      expect(response.body.error.message).toMatch(/^tag "plan" was saved as version 1, but/);
      const read = await ws.get('/v1/tags/plan');
      expect(read.body.tag).toMatchObject({ key: 'plan', version: 1 });
    } finally {
      await down.close();
    }
  });

  it('records the API key that made a change as its author', async () => {
    const ws = await testWorkspace(stack);
    await ws.post('/v1/tags', plan);
    const version = await ws.get('/v1/tags/plan/versions/1');
    expect(version.body.author).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{12}$/),
      name: 'default API key',
    });
    const anonymous = await request(stack.app).post('/v1/tags').send(plan);
    expect(anonymous.status).toBe(401);
  });
});
