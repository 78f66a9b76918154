import { gzipSync } from 'node:zlib';

import request from 'supertest';

import { decodeObject } from '@junction/core';

import { basicAuth, startStack, type TestStack } from '../../../test/harness.js';

describe('tracking API', () => {
  let stack: TestStack;
  let auth: string;

  beforeAll(async () => {
    stack = await startStack();
    auth = basicAuth(stack.workspace.writeKey);
  });
  afterAll(() => stack.close());

  it('stores an identify as one profile with its traits and identities', async () => {
    const response = await request(stack.app)
      .post('/v1/identify')
      .set('Authorization', auth)
      .send({
        userId: 'u-1',
        anonymousId: 'anon-1',
        traits: { email: 'ada@example.com', plan: 'pro' },
        messageId: 'id-1',
      });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ success: true, status: 'stored', messageId: 'id-1' });

    const profiles = await stack.store.profiles
      .find({ workspaceId: stack.workspace.workspaceId })
      .toArray();
    expect(profiles).toHaveLength(1);
    expect(profiles[0]!.traits).toEqual({ email: 'ada@example.com', plan: 'pro' });
    expect(profiles[0]!.identities).toEqual(
      expect.arrayContaining([
        { type: 'user_id', value: 'u-1' },
        { type: 'anonymous_id', value: 'anon-1' },
      ]),
    );
    const identity = await stack.store.identities.findOne({
      _id: `${stack.workspace.workspaceId}:user_id:u-1`,
    });
    expect(identity?.profileId).toBe(profiles[0]!._id);
  });

  it('resolves concurrent first messages from one new person to one profile', async () => {
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        request(stack.app)
          .post('/v1/batch')
          .set('Authorization', auth)
          .send({
            batch: [
              {
                type: 'track',
                userId: 'u-race',
                anonymousId: `anon-race-${i % 3}`,
                event: 'Opened',
                messageId: `race-${i}`,
              },
            ],
          }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
    const identity = await stack.store.identities.findOne({
      _id: `${stack.workspace.workspaceId}:user_id:u-race`,
    });
    const events = await stack.store.events
      .find({ messageId: { $in: responses.map((_, i) => `race-${i}`) } })
      .toArray();
    expect(events).toHaveLength(12);
    expect(new Set(events.map((e) => e.profileId))).toEqual(new Set([identity!.profileId]));
    expect(await stack.store.profiles.countDocuments({ 'identities.value': 'u-race' })).toBe(1);
  });

  it('applies traits from full, concurrent batches of identifies for people already known', async () => {
    const identifies = (round: number) =>
      Array.from({ length: 120 }, (_, i) => ({
        type: 'identify',
        userId: `known-${i}`,
        traits: { round, plan: i % 2 ? 'pro' : 'free' },
        messageId: `known-${round}-${i}`,
      }));
    const send = (round: number) =>
      request(stack.app)
        .post('/v1/batch')
        .set('Authorization', auth)
        .send({ batch: identifies(round) });
    expect((await send(1)).body.stored).toBe(120);
    // Six batches of updates at once: enough to deadlock FerretDB without bounded bulk writes.
    const responses = await Promise.all([2, 3, 4, 5, 6, 7].map(send));
    expect(responses.map((r) => [r.status, r.body.stored])).toEqual(Array(6).fill([200, 120]));
    const identity = await stack.store.identities.findOne({
      _id: `${stack.workspace.workspaceId}:user_id:known-7`,
    });
    const profile = await stack.store.profiles.findOne({ _id: identity!.profileId });
    expect(profile!.traits).toEqual({ round: expect.any(Number), plan: 'pro' });
    expect(await stack.store.profiles.countDocuments({ 'identities.value': 'known-7' })).toBe(1);
  }, 30_000);

  it('stores the same messageId once however often it is sent', async () => {
    const body = { userId: 'u-2', event: 'Viewed', messageId: 'dup-1', properties: { n: 1 } };
    const first = await request(stack.app).post('/v1/track').set('Authorization', auth).send(body);
    const second = await request(stack.app).post('/v1/track').set('Authorization', auth).send(body);
    expect(first.body.status).toBe('stored');
    expect(second.body.status).toBe('duplicate');
    expect(await stack.store.events.countDocuments({ messageId: 'dup-1' })).toBe(1);
  });

  it('accepts the write key in the body and gzip-compressed bodies', async () => {
    const body = gzipSync(
      JSON.stringify({
        writeKey: stack.workspace.writeKey,
        userId: 'u-3',
        event: 'Zipped',
        messageId: 'gz-1',
      }),
    );
    const response = await request(stack.app)
      .post('/v1/track')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      // superagent would JSON-encode the Buffer; the gzip bytes must go out untouched.
      .serialize((buffer: Buffer) => buffer as unknown as string)
      .send(body);
    expect(response.status).toBe(200);
    expect(
      await stack.store.events.countDocuments({ _id: `${stack.workspace.workspaceId}:gz-1` }),
    ).toBe(1);
  });

  it('answers 400 for a body that claims gzip but is not', async () => {
    const response = await request(stack.app)
      .post('/v1/track')
      .set('Authorization', auth)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{"userId":"u","event":"X"}');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('bad_request');
  });

  it('answers 401 without a write key, and with an unknown or management key', async () => {
    const body = { userId: 'u', event: 'X' };
    const missing = await request(stack.app).post('/v1/track').send(body);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('missing_write_key');
    const unknown = await request(stack.app)
      .post('/v1/track')
      .set('Authorization', basicAuth('wk_not-a-key'))
      .send(body);
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('invalid_write_key');
    const apiKey = await request(stack.app)
      .post('/v1/track')
      .set('Authorization', basicAuth(stack.workspace.apiKey))
      .send(body);
    expect(apiKey.status).toBe(401);
  });

  it('answers 400 with the code and path of each bad field and stores nothing', async () => {
    const response = await request(stack.app)
      .post('/v1/track')
      .set('Authorization', auth)
      .send({ userId: 'u-4', event: 42, messageId: 'bad-1', timestamp: 'yesterday' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'invalid_type', path: ['event'] }),
        expect.objectContaining({ code: 'invalid_format', path: ['timestamp'] }),
      ]),
    );
    const noId = await request(stack.app)
      .post('/v1/track')
      .set('Authorization', auth)
      .send({ event: 'X' });
    expect(noId.body.error.issues).toEqual([
      expect.objectContaining({ code: 'identity_required', path: ['userId'] }),
    ]);
    expect(await stack.store.events.countDocuments({ messageId: 'bad-1' })).toBe(0);
  });

  it('answers 400 invalid_json for a body that is not JSON', async () => {
    const response = await request(stack.app)
      .post('/v1/track')
      .set('Authorization', auth)
      .set('Content-Type', 'application/json')
      .send('{"userId": "u", ');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_json');
  });

  it('answers 413 for a message over 32 KB and a batch over 500 KB', async () => {
    const big = { userId: 'u-5', event: 'Big', properties: { blob: 'x'.repeat(40 * 1024) } };
    const single = await request(stack.app).post('/v1/track').set('Authorization', auth).send(big);
    expect(single.status).toBe(413);
    expect(single.body.error.code).toBe('payload_too_large');

    const batch = Array.from({ length: 20 }, (_, i) => ({
      type: 'track',
      userId: 'u',
      event: 'E',
      messageId: `b${i}`,
      properties: { blob: 'x'.repeat(30 * 1024) },
    }));
    const tooBig = await request(stack.app)
      .post('/v1/batch')
      .set('Authorization', auth)
      .send({ batch });
    expect(tooBig.status).toBe(413);
  });

  it('stores trait and property keys with dots and dollars escaped, and never as operators', async () => {
    const traits = { 'address.city': 'Lyon', $set: { admin: true }, plain: 1 };
    const response = await request(stack.app)
      .post('/v1/identify')
      .set('Authorization', auth)
      .send({ userId: 'u-6', traits, messageId: 'keys-1' });
    expect(response.status).toBe(200);
    const identity = await stack.store.identities.findOne({
      _id: `${stack.workspace.workspaceId}:user_id:u-6`,
    });
    const profile = await stack.store.profiles.findOne({ _id: identity!.profileId });
    expect(Object.keys(profile!.traits)).toEqual(
      expect.arrayContaining(['address%2Ecity', '%24set', 'plain']),
    );
    expect(profile).not.toHaveProperty('admin');
    expect(decodeObject(profile!.traits)).toEqual(traits);
  });

  it('reports per-message errors inside a batch and stores the valid messages', async () => {
    const response = await request(stack.app)
      .post('/v1/batch')
      .set('Authorization', auth)
      .send({
        batch: [
          { type: 'track', userId: 'u-7', event: 'Ok', messageId: 'batch-ok' },
          { type: 'track', userId: 'u-7', messageId: 'batch-bad' },
          { type: 'alias', userId: 'u-7' },
        ],
      });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ success: false, stored: 1, duplicates: 0 });
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ index: 1, path: ['batch', 1, 'event'] }),
        expect.objectContaining({ index: 2, path: ['batch', 2, 'type'] }),
      ]),
    );
    expect(
      await stack.store.events.countDocuments({ messageId: { $in: ['batch-ok', 'batch-bad'] } }),
    ).toBe(1);
  });
});
