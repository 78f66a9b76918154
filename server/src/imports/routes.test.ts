import { gzipSync } from 'node:zlib';

import request from 'supertest';

import { decodeObject } from '@junction/core';
import { createWorkspace } from '@junction/server';

import { startStack, type TestStack } from '../../../test/harness.js';

const PROFILES_CSV = [
  'User ID,Email,Mobile,First Name,Score',
  'u-1, Ada@Example.com ,+44 7700 900001,Ada,12',
  'u-2,grace@example.com,,Grace,7',
  'u-3,not-an-email,,Alan,3',
  'u-4,"katherine@example.com",,"Johnson, K",1',
].join('\n');

const EVENTS_NDJSON = [
  '{"user":"u-1","name":"Order Completed","at":"2024-05-01T10:00:00+02:00","total":"42.50"}',
  '',
  '{"user":"u-2","name":"Order Completed","at":"2024-05-02","total":"10"}',
  'not json',
  '{"user":"u-3","name":"Order Completed","at":"yesterday","total":"5"}',
].join('\n');

const EVENTS_MAPPING = {
  columns: [
    { column: 'user', to: 'userId' },
    { column: 'name', to: 'event' },
    { column: 'at', to: 'timestamp' },
    { column: 'total', to: 'property', clean: ['number'] },
  ],
};

describe('file imports API', () => {
  let stack: TestStack;
  let auth: string;

  beforeAll(async () => {
    stack = await startStack();
    auth = `Bearer ${stack.workspace.apiKey}`;
  });
  afterAll(() => stack.close());

  const upload = (query: string, body: string | Buffer, type = 'text/csv') =>
    request(stack.app)
      .post(`/v1/imports?${query}`)
      .set('Authorization', auth)
      .set('Content-Type', type)
      .send(body);

  const errorsOf = async (id: string, query = '') =>
    (await request(stack.app).get(`/v1/imports/${id}/errors?${query}`).set('Authorization', auth))
      .body;

  it('imports a CSV of profiles with a mapping suggested from its header', async () => {
    const response = await upload('kind=profiles', PROFILES_CSV);
    expect(response.status).toBe(201);
    const job = response.body.import;
    expect(response.headers.location).toBe(`/v1/imports/${job.id}`);
    expect(job).toMatchObject({
      kind: 'profiles',
      format: 'csv',
      status: 'completed',
      mappingSuggested: true,
      counts: { rows: 4, stored: 3, duplicates: 0, rejected: 1, bytes: PROFILES_CSV.length },
    });
    expect(job.mapping.columns[1]).toMatchObject({ column: 'Email', to: 'trait', name: 'email' });

    const identity = await stack.store.identities.findOne({
      _id: `${stack.workspace.workspaceId}:email:ada@example.com`,
    });
    const ada = await stack.store.profiles.findOne({ _id: identity!.profileId });
    expect(decodeObject(ada!.traits)).toEqual({
      email: 'ada@example.com',
      phone: '+447700900001',
      first_name: 'Ada',
      score: 12,
    });
    expect(ada!.identities).toEqual(
      expect.arrayContaining([
        { type: 'user_id', value: 'u-1' },
        { type: 'phone', value: '+447700900001' },
      ]),
    );
    expect((await errorsOf(job.id)).errors).toEqual([
      {
        row: 3,
        code: 'invalid_email',
        field: 'Email',
        message: '"not-an-email" is not an email address',
      },
    ]);
  });

  it('stores nothing new when the same file is imported again', async () => {
    const workspaceId = stack.workspace.workspaceId;
    const before = {
      events: await stack.store.events.countDocuments({ workspaceId }),
      profiles: await stack.store.profiles.countDocuments({ workspaceId }),
    };
    const response = await upload('kind=profiles', PROFILES_CSV);
    expect(response.body.import.counts).toMatchObject({ stored: 0, duplicates: 3, rejected: 1 });
    expect(await stack.store.events.countDocuments({ workspaceId })).toBe(before.events);
    expect(await stack.store.profiles.countDocuments({ workspaceId })).toBe(before.profiles);
  });

  it('imports NDJSON events through a mapping and reports each bad row', async () => {
    const mapping = encodeURIComponent(JSON.stringify(EVENTS_MAPPING));
    const response = await upload(
      `kind=events&mapping=${mapping}`,
      EVENTS_NDJSON,
      'application/x-ndjson',
    );
    expect(response.status).toBe(201);
    const job = response.body.import;
    expect(job).toMatchObject({
      format: 'ndjson',
      status: 'completed',
      mappingSuggested: false,
      counts: { rows: 4, stored: 2, rejected: 2 },
    });
    const events = await stack.store.events
      .find({ workspaceId: stack.workspace.workspaceId, type: 'track', event: 'Order Completed' })
      .sort({ timestamp: 1 })
      .toArray();
    expect(events.map((e) => [e.userId, e.timestamp.toISOString(), e.properties])).toEqual([
      ['u-1', '2024-05-01T08:00:00.000Z', { total: 42.5 }],
      ['u-2', '2024-05-02T00:00:00.000Z', { total: 10 }],
    ]);
    expect((await errorsOf(job.id)).errors).toEqual([
      { row: 4, code: 'invalid_json', field: 'row', message: expect.any(String) },
      { row: 5, code: 'invalid_date', field: 'at', message: '"yesterday" is not a date' },
    ]);
  });

  it('pages through errors without splitting a row', async () => {
    const rows = ['id,email,joined'];
    for (let n = 1; n <= 5; n++) rows.push(`p-${n},bad-${n},someday`);
    const mapping = {
      columns: [
        { column: 'id', to: 'userId' },
        { column: 'email', to: 'trait', clean: ['email'] },
        { column: 'joined', to: 'trait', clean: ['date'] },
      ],
    };
    const { body } = await upload(
      `kind=profiles&mapping=${encodeURIComponent(JSON.stringify(mapping))}`,
      rows.join('\n'),
    );
    expect(body.import.counts).toMatchObject({ rows: 5, rejected: 5, stored: 0 });
    const first = await errorsOf(body.import.id, 'limit=3');
    expect(first.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [1, 'email'],
      [1, 'joined'],
      [2, 'email'],
    ]);
    const second = await errorsOf(body.import.id, `limit=3&after=${first.next}`);
    expect(second.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [2, 'joined'],
      [3, 'email'],
      [3, 'joined'],
    ]);
    expect(second).toMatchObject({ rejectedRows: 5, stored: 10 });
  });

  it('reads a gzipped upload', async () => {
    const csv = 'userId,plan\ngz-1,pro\ngz-2,free\n';
    const response = await request(stack.app)
      .post('/v1/imports?kind=profiles&format=csv')
      .set('Authorization', auth)
      .set('Content-Encoding', 'gzip')
      .set('Content-Type', 'application/octet-stream')
      .send(gzipSync(csv));
    expect(response.status).toBe(201);
    expect(response.body.import.counts).toMatchObject({ rows: 2, stored: 2 });
    const identity = await stack.store.identities.findOne({
      _id: `${stack.workspace.workspaceId}:user_id:gz-2`,
    });
    const profile = await stack.store.profiles.findOne({ _id: identity!.profileId });
    expect(profile!.traits).toEqual({ plan: 'free' });
  });

  it('reports a row with the wrong number of fields as an issue of that row', async () => {
    const response = await upload('kind=profiles', 'userId,plan\nf-1,pro\nf-2,pro,extra\n');
    expect(response.body.import.counts).toMatchObject({ rows: 2, stored: 1, rejected: 1 });
    expect((await errorsOf(response.body.import.id)).errors).toEqual([
      { row: 2, code: 'field_count', field: 'row', message: 'expected 2 fields, found 3' },
    ]);
  });

  it('fails the import with 400 and the row of a broken quote', async () => {
    const response = await upload('kind=profiles', 'userId,plan\nq-1,pro\nq-2,pro\nq-3,"open\n');
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'invalid_csv',
      issues: [{ path: ['body'] }],
    });
    expect(response.body.import).toMatchObject({
      status: 'failed',
      failure: { code: 'invalid_csv', row: 3 },
    });
    const job = await request(stack.app)
      .get(`/v1/imports/${response.body.import.id}`)
      .set('Authorization', auth);
    expect(job.body.import.status).toBe('failed');
  });

  it('answers 400 with the code and path of bad parameters', async () => {
    const cases: [string, string, (string | number)[]][] = [
      ['format=csv', 'invalid_value', ['kind']],
      ['kind=people&format=csv', 'invalid_value', ['kind']],
      ['kind=events&format=xml', 'invalid_value', ['format']],
      ['kind=events', 'format_required', ['format']],
      ['kind=events&format=csv&mapping=%7B', 'invalid_json', ['mapping']],
      [
        'kind=events&format=csv&mapping=%7B%22columns%22%3A%5B%5D%7D',
        'too_small',
        ['mapping', 'columns'],
      ],
      [
        'kind=events&format=csv&mapping=%7B%22kind%22%3A%22profiles%22%7D',
        'kind_mismatch',
        ['mapping', 'kind'],
      ],
    ];
    for (const [query, code, path] of cases) {
      const response = await upload(query, 'a,b\n1,2\n', 'application/octet-stream');
      expect([query, response.status]).toEqual([query, 400]);
      expect(response.body.error.issues).toEqual(
        expect.arrayContaining([expect.objectContaining({ code, path })]),
      );
    }
    const unauthenticated = await request(stack.app).post('/v1/imports?kind=profiles&format=csv');
    expect(unauthenticated.status).toBe(401);
  });

  it('shows a job only to its own workspace', async () => {
    const { body } = await upload('kind=profiles', 'userId\nown-1\n');
    const mine = await request(stack.app)
      .get(`/v1/imports/${body.import.id}`)
      .set('Authorization', auth);
    expect(mine.body.import).toMatchObject({ id: body.import.id, status: 'completed' });
    const list = await request(stack.app).get('/v1/imports').set('Authorization', auth);
    expect(list.body.imports[0].id).toBe(body.import.id);

    const other = await createWorkspace(stack.store, 'Other');
    const theirs = await request(stack.app)
      .get(`/v1/imports/${body.import.id}`)
      .set('Authorization', `Bearer ${other.apiKey}`);
    expect(theirs.status).toBe(404);
  });
});
