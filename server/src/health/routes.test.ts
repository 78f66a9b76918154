import { Client, Connection } from '@temporalio/client';
import request from 'supertest';

import { freePort } from '../../../test/ports.js';
import { startStack, type TestStack } from '../../../test/harness.js';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';

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
    // Without the default retry interceptor, whose retries would outlive the test.
    const connection = Connection.lazy({
      address: `127.0.0.1:${await freePort()}`,
      interceptors: [],
    });
    const app = createApp({
      db: stack.db,
      temporal: new Client({ connection }),
      temporalNamespace: 'default',
      log: createLogger('silent'),
    });
    const response = await request(app).get('/health');
    expect(response.status).toBe(503);
    expect(response.body.ok).toBe(false);
    expect(response.body.mongodb.ok).toBe(true);
    expect(response.body.temporal).toMatchObject({ ok: false, error: expect.any(String) });
    await connection.close();
  });
});
