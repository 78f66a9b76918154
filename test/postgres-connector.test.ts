import { randomBytes } from 'node:crypto';

import { ScheduleNotFoundError } from '@temporalio/client';
import pg from 'pg';
import request from 'supertest';

import { connectorScheduleId } from '@junction/core';

import { freePort } from '../scripts/lib/services.mjs';
import {
  eventually,
  startStack,
  startWorker,
  type TestStack,
  type WorkerProcess,
} from './harness.js';

// This file's worker serves connectors only, on a queue of its own: workers that other test
// files start against other databases must not pick up these runs, nor this worker theirs.
process.env.JUNCTION_CONNECTOR_TASK_QUEUE = `junction-connectors-${randomBytes(4).toString('hex')}`;
process.env.JUNCTION_WORKER_ROLES = 'connectors';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests through \`npm test\``);
  return value;
}

/** Yearly: tests trigger runs themselves, so the schedule itself never fires during a run. */
const RARELY = { type: 'cron', expression: '0 0 1 1 *' };

describe('the PostgreSQL pull connector on real Temporal, FerretDB and PostgreSQL', () => {
  const sourceUrl = requiredEnv('JUNCTION_TEST_POSTGRES_URL');
  const password = decodeURIComponent(new URL(sourceUrl).password);
  const suffix = randomBytes(4).toString('hex');
  let stack: TestStack;
  let worker: WorkerProcess;
  let source: pg.Client;
  const created: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    worker = await startWorker(stack.dbName);
    source = new pg.Client({ connectionString: sourceUrl });
    await source.connect();
  }, 120_000);

  afterAll(async () => {
    for (const id of created) await api().delete(`/v1/connectors/${id}`);
    await worker?.stop();
    await source?.end();
    await stack?.close();
  });

  function api() {
    const auth = `Bearer ${stack.workspace.apiKey}`;
    const agent = request(stack.app);
    return {
      get: (path: string) => agent.get(path).set('Authorization', auth),
      post: (path: string, body: object = {}) =>
        agent.post(path).set('Authorization', auth).send(body),
      patch: (path: string, body: object) =>
        agent.patch(path).set('Authorization', auth).send(body),
      delete: (path: string) => agent.delete(path).set('Authorization', auth),
    };
  }

  async function createConnector(body: object): Promise<string> {
    const response = await api().post('/v1/connectors', body);
    expect(response.status).toBe(201);
    created.push(response.body.connector.id);
    return response.body.connector.id as string;
  }

  /** Triggers a run and waits until the connector has `runs` finished runs. */
  async function runOnce(id: string, runs: number, timeoutMs = 30_000) {
    expect((await api().post(`/v1/connectors/${id}/run`)).status).toBe(202);
    return eventually(
      async () => {
        const { body } = await api().get(`/v1/connectors/${id}`);
        return body.connector.runs.length >= runs ? body.connector : null;
      },
      timeoutMs,
      `run ${runs} of connector ${id}`,
    );
  }

  async function connectorEvents(id: string) {
    const events = await stack.store.events
      .find({ workspaceId: stack.workspace.workspaceId })
      .toArray();
    return events.filter((event) => event.messageId.startsWith(`connector:${id}:`));
  }

  it('imports only the rows inserted since the last run, and advances the cursor', async () => {
    const table = `orders_${suffix}`;
    await source.query(
      `CREATE TABLE ${table} (id serial PRIMARY KEY, email text NOT NULL, total numeric(10,2))`,
    );
    const insert = (rows: [string, string][]) =>
      source.query(
        `INSERT INTO ${table} (email, total) SELECT * FROM unnest($1::text[], $2::numeric[])`,
        [rows.map((row) => row[0]), rows.map((row) => row[1])],
      );
    await insert([
      ['ada@example.com', '42.50'],
      ['grace@example.com', '10.00'],
      ['linus@example.com', '7.25'],
    ]);
    const id = await createConnector({
      name: 'Shop orders',
      source: {
        type: 'postgres',
        url: sourceUrl,
        query: `SELECT id, email, total FROM ${table}`,
        cursorColumn: 'id',
        pageSize: 2,
      },
      mapping: {
        kind: 'events',
        event: 'Order Completed',
        columns: [
          { column: 'email', to: 'userId', clean: ['email'] },
          { column: 'id', to: 'property', name: 'order_id' },
          { column: 'total', to: 'property', clean: ['number'] },
        ],
      },
      schedule: { type: 'interval', every: { amount: 1, unit: 'days' } },
    });

    const first = await runOnce(id, 1);
    expect(first.lastRun).toMatchObject({ status: 'succeeded', pages: 2, rows: 3, stored: 3 });
    expect(first.cursor).toEqual({ value: '3', type: 'integer' });
    const afterFirst = await connectorEvents(id);
    expect(afterFirst.map((event) => event.properties?.order_id).sort()).toEqual([1, 2, 3]);
    expect(afterFirst.find((event) => event.userId === 'ada@example.com')).toMatchObject({
      event: 'Order Completed',
      properties: { order_id: 1, total: 42.5 },
    });

    await insert([
      ['ada@example.com', '5.00'],
      ['margaret@example.com', '99.99'],
    ]);
    const second = await runOnce(id, 2);
    expect(second.lastRun).toMatchObject({
      status: 'succeeded',
      cursorBefore: '3',
      cursorAfter: '5',
      rows: 2,
      stored: 2,
      duplicates: 0,
    });
    expect(second.cursor).toEqual({ value: '5', type: 'integer' });
    expect(second.totals).toMatchObject({ runs: 2, rows: 5, stored: 5 });
    const afterSecond = await connectorEvents(id);
    expect(afterSecond).toHaveLength(5);
    const fresh = afterSecond.filter((event) => !afterFirst.some((old) => old._id === event._id));
    expect(fresh.map((event) => event.properties?.order_id).sort()).toEqual([4, 5]);

    const idle = await runOnce(id, 3);
    expect(idle.lastRun).toMatchObject({ status: 'succeeded', rows: 0, stored: 0 });
    expect(await connectorEvents(id)).toHaveLength(5);
  });

  it('pages a timestamp cursor exactly, keeping microseconds and rows that share a value', async () => {
    const table = `members_${suffix}`;
    await source.query(
      `CREATE TABLE ${table} (member text, email text, name text, updated_at timestamp(6))`,
    );
    const insert = (rows: string[][]) =>
      source.query(
        `INSERT INTO ${table} SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp[])`,
        [0, 1, 2, 3].map((column) => rows.map((row) => row[column])),
      );
    // Three rows share one timestamp and straddle the first page's boundary (page size 2).
    await insert([
      ['M-1', 'ADA@example.com', 'Ada', '2024-05-01 09:00:00'],
      ['M-2', 'grace@example.com', 'Grace', '2024-05-01 10:00:00.123456'],
      ['M-3', 'linus@example.com', 'Linus', '2024-05-01 10:00:00.123456'],
      ['M-4', 'margaret@example.com', 'Margaret', '2024-05-01 10:00:00.123456'],
      ['M-5', 'alan@example.com', 'Alan', '2024-05-01 10:00:00.123457'],
    ]);
    const id = await createConnector({
      name: 'Members',
      source: {
        type: 'postgres',
        url: sourceUrl,
        query: `SELECT * FROM ${table}`,
        cursorColumn: 'updated_at',
        pageSize: 2,
      },
      mapping: {
        kind: 'profiles',
        columns: [
          { column: 'member', to: 'userId' },
          { column: 'email', to: 'trait', name: 'email', clean: ['email'] },
          { column: 'name', to: 'trait' },
        ],
      },
      schedule: RARELY,
    });

    const first = await runOnce(id, 1);
    expect(first.lastRun).toMatchObject({ status: 'succeeded', rows: 5, stored: 5 });
    expect(first.cursor).toEqual({
      value: '2024-05-01 10:00:00.123457',
      type: 'timestamp without time zone',
    });

    await insert([['M-6', 'barbara@example.com', 'Barbara', '2024-05-01 10:00:00.123458']]);
    const second = await runOnce(id, 2);
    expect(second.lastRun).toMatchObject({ status: 'succeeded', rows: 1, stored: 1 });
    const identifies = await connectorEvents(id);
    expect(identifies.map((event) => event.userId).sort()).toEqual([
      'M-1',
      'M-2',
      'M-3',
      'M-4',
      'M-5',
      'M-6',
    ]);
    const ada = identifies.find((event) => event.userId === 'M-1');
    const profile = await stack.store.profiles.findOne({ _id: ada!.profileId });
    expect(profile?.traits).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
  });

  it('answers 400 with stable codes for a statement that is not a SELECT or a bad cursor column', async () => {
    const response = await api().post('/v1/connectors', {
      name: 'Bad',
      source: {
        type: 'postgres',
        url: sourceUrl,
        query: 'DELETE FROM accounts',
        cursorColumn: 'id"; DROP TABLE accounts; --',
      },
      mapping: { kind: 'profiles', columns: [{ column: 'id', to: 'userId' }] },
      schedule: RARELY,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'not_a_select', path: ['source', 'query'] }),
        expect.objectContaining({
          code: 'invalid_cursor_column',
          path: ['source', 'cursorColumn'],
        }),
      ]),
    );
    const list = await api().get('/v1/connectors');
    expect(list.body.connectors.map((c: { name: string }) => c.name)).not.toContain('Bad');
  });

  it('records an unreachable database as the run error with its context, and keeps the schedule', async () => {
    const port = await freePort();
    const id = await createConnector({
      name: 'Nowhere',
      source: {
        type: 'postgres',
        url: `postgres://junction:hunter2-secret@127.0.0.1:${port}/warehouse`,
        query: 'SELECT * FROM orders',
        cursorColumn: 'id',
      },
      mapping: { kind: 'profiles', columns: [{ column: 'id', to: 'userId' }] },
      schedule: RARELY,
    });

    const failed = await runOnce(id, 1, 45_000);
    expect(failed.lastRun).toMatchObject({ status: 'failed', rows: 0 });
    expect(failed.lastRun.error).toMatch(/cannot reach the database/);
    expect(failed.lastError).toMatchObject({
      code: 'source_unreachable',
      attempt: 4,
      context: { host: `127.0.0.1:${port}`, database: 'warehouse', cursor: null },
    });
    expect(failed.cursor).toBeNull();
    expect(JSON.stringify(failed)).not.toContain('hunter2-secret');
    expect(failed.source.url).toBe(`postgres://junction:***@127.0.0.1:${port}/warehouse`);

    // The run failed once and stopped; the schedule is still there for the next one.
    const schedule = stack.temporal.schedule.getHandle(
      connectorScheduleId(stack.workspace.workspaceId, id),
    );
    expect((await schedule.describe()).state.paused).toBe(false);
    const later = await api().get(`/v1/connectors/${id}`);
    expect(later.body.connector.runs).toHaveLength(1);
  });

  it('fails a run at once, without retries, when the query names a missing table', async () => {
    const id = await createConnector({
      name: 'Missing table',
      source: {
        type: 'postgres',
        url: sourceUrl,
        query: `SELECT * FROM missing_${suffix}`,
        cursorColumn: 'id',
      },
      mapping: { kind: 'profiles', columns: [{ column: 'id', to: 'userId' }] },
      schedule: RARELY,
    });
    const failed = await runOnce(id, 1);
    expect(failed.lastError).toMatchObject({ code: 'source_query_failed', attempt: 1 });
    expect(failed.lastError.message).toContain(`missing_${suffix}`);
  });

  it('never answers the connection password, in one connector or the list', async () => {
    const id = await createConnector({
      name: 'Secret keeper',
      source: { type: 'postgres', url: sourceUrl, query: 'SELECT 1 AS id', cursorColumn: 'id' },
      mapping: { kind: 'profiles', columns: [{ column: 'id', to: 'userId' }] },
      schedule: RARELY,
    });
    const one = await api().get(`/v1/connectors/${id}`);
    const list = await api().get('/v1/connectors');
    expect(one.status).toBe(200);
    expect(one.body.connector.source.url).toContain(':***@127.0.0.1');
    expect(JSON.stringify(one.body)).not.toContain(password);
    expect(JSON.stringify(list.body)).not.toContain(password);
  });

  it('pauses and resumes the schedule, and deletes it with the connector', async () => {
    const id = await createConnector({
      name: 'Short-lived',
      source: { type: 'postgres', url: sourceUrl, query: 'SELECT 1 AS id', cursorColumn: 'id' },
      mapping: { kind: 'profiles', columns: [{ column: 'id', to: 'userId' }] },
      schedule: { type: 'interval', every: { amount: 5, unit: 'minutes' } },
    });
    const schedule = stack.temporal.schedule.getHandle(
      connectorScheduleId(stack.workspace.workspaceId, id),
    );
    const paused = await api().patch(`/v1/connectors/${id}`, { status: 'paused' });
    expect(paused.body.connector.status).toBe('paused');
    expect((await schedule.describe()).state.paused).toBe(true);
    await api().patch(`/v1/connectors/${id}`, { status: 'active' });
    expect((await schedule.describe()).state.paused).toBe(false);

    expect((await api().delete(`/v1/connectors/${id}`)).status).toBe(204);
    await expect(schedule.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    const gone = await api().get(`/v1/connectors/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('connector_not_found');
  });
});
