import request from 'supertest';

import { appWithTemporalDown, startStack, type TestStack } from '../../../test/harness.js';

describe('GET /health', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('reports MongoDB and Temporal as healthy, with the number of journey workers', async () => {
    const response = await request(stack.app).get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      ok: true,
      mongodb: { ok: true },
      // Other test files share this Temporal server and may run workers on the queue meanwhile.
      temporal: { ok: true, workers: expect.any(Number) },
    });
  });

  it('answers 503 and names the failing dependency when Temporal is unreachable', async () => {
    const temporalDown = await appWithTemporalDown(stack);
    const response = await request(temporalDown.app).get('/health');
    expect(response.status).toBe(503);
    expect(response.body.ok).toBe(false);
    expect(response.body.mongodb.ok).toBe(true);
    expect(response.body.temporal).toMatchObject({ ok: false, error: expect.any(String) });
    await temporalDown.close();
  });
});
