import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import request from 'supertest';

import { eventually, startStack, type TestStack } from '../../../test/harness.js';

interface JobView {
  id: string;
  status: string;
  counts: { rows: number; stored: number };
  failure?: { code: string };
}

describe('streamed upload', () => {
  let stack: TestStack;
  let server: Server;
  let port: number;
  let auth: string;

  beforeAll(async () => {
    stack = await startStack();
    server = stack.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
    auth = `Bearer ${stack.workspace.apiKey}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await stack.close();
  });

  const jobs = async (): Promise<JobView[]> =>
    (await request(stack.app).get('/v1/imports').set('Authorization', auth)).body.imports;

  it('shows the job running with its progress, and failed when the upload stops midway', async () => {
    const upload = http.request({
      port,
      method: 'POST',
      path: '/v1/imports?kind=profiles&format=csv',
      headers: { authorization: auth, 'content-type': 'text/csv' },
    });
    upload.on('error', () => {});
    upload.write('userId,plan\n');
    let next = 1;
    // Rows keep arriving until the job's saved progress shows some of them imported.
    const running = await eventually(
      async () => {
        const rows = Array.from({ length: 250 }, () => `stream-${next++},pro\n`);
        upload.write(rows.join(''));
        await new Promise((resolve) => setTimeout(resolve, 300));
        return (await jobs()).find((job) => job.status === 'running' && job.counts.stored > 0);
      },
      30_000,
      'the running job',
    );
    upload.destroy();

    const failed = await eventually(
      async () => (await jobs()).find((job) => job.id === running.id && job.status === 'failed'),
      30_000,
      'the failed job',
    );
    expect(failed.failure).toEqual({
      code: 'upload_aborted',
      message: 'the upload stopped before the end of the file',
    });
    expect(failed.counts.stored).toBeGreaterThanOrEqual(running.counts.stored);
  });
});
