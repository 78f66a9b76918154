import { deflateSync, gzipSync } from 'node:zlib';

import request from 'supertest';

import { decodeObject } from '@junction/core';

import { basicAuth, startStack, type TestStack } from '../../../test/harness.js';
import { issueKey } from '../workspaces/credentials.js';

describe('tracking API', () => {
  let stack: TestStack;
  let auth: string;

  beforeAll(async () => {
    stack = await startStack();
    auth = basicAuth(stack.workspace.writeKey);
  });
  afterAll(() => stack.close());

  async function profileOf(userId: string) {
    const identity = await stack.store.identities.findOne({
      _id: `${stack.workspace.workspaceId}:user_id:${userId}`,
    });
    return identity ? stack.store.profiles.findOne({ _id: identity.profileId }) : null;
  }

  function eventOf(messageId: string) {
    return stack.store.events.findOne({ _id: `${stack.workspace.workspaceId}:${messageId}` });
  }

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

  it('stores the same messageId once however often it is sent', async () => {
    const body = { userId: 'u-2', event: 'Viewed', messageId: 'dup-1', properties: { n: 1 } };
    const first = await request(stack.app).post('/v1/track').set('Authorization', auth).send(body);
    const second = await request(stack.app).post('/v1/track').set('Authorization', auth).send(body);
    expect(first.body.status).toBe('stored');
    expect(second.body.status).toBe('duplicate');
    expect(await stack.store.events.countDocuments({ messageId: 'dup-1' })).toBe(1);
  });

  it('changes nothing when an identify is resent under its messageId with other traits', async () => {
    const send = (plan: string) =>
      request(stack.app)
        .post('/v1/identify')
        .set('Authorization', auth)
        .send({ userId: 'u-resend', messageId: 'resend-1', traits: { plan } });
    expect((await send('gold')).body.status).toBe('stored');
    expect((await send('free')).body.status).toBe('duplicate');
    expect((await profileOf('u-resend'))!.traits).toEqual({ plan: 'gold' });
  });

  it('accepts the write key in the body and gzip- or deflate-compressed bodies', async () => {
    const encodings = { gzip: gzipSync, deflate: deflateSync };
    for (const [encoding, compress] of Object.entries(encodings)) {
      const body = compress(
        JSON.stringify({
          writeKey: stack.workspace.writeKey,
          userId: 'u-3',
          event: 'Zipped',
          messageId: `${encoding}-1`,
        }),
      );
      const response = await request(stack.app)
        .post('/v1/track')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        // superagent would JSON-encode the Buffer; the compressed bytes must go out untouched.
        .serialize((buffer: Buffer) => buffer as unknown as string)
        .send(body);
      expect([encoding, response.status]).toEqual([encoding, 200]);
    }
    const ids = ['gzip-1', 'deflate-1'].map((id) => `${stack.workspace.workspaceId}:${id}`);
    expect(await stack.store.events.countDocuments({ _id: { $in: ids } })).toBe(2);
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

  it('stores page, screen, group and alias calls with the fields of their type', async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['/v1/page', { name: 'Pricing', category: 'Docs', properties: { path: '/pricing' } }],
      ['/v1/screen', { name: 'Home', properties: { 'tab.name': 'feed' } }],
      ['/v1/group', { groupId: 'acme', traits: { plan: 'enterprise' } }],
      ['/v1/alias', { previousId: 'anon-calls' }],
    ];
    for (const [path, fields] of calls) {
      const response = await request(stack.app)
        .post(path)
        .set('Authorization', auth)
        .send({ userId: 'u-calls', messageId: `call${path.replace('/v1/', '-')}`, ...fields });
      expect([path, response.status, response.body.status]).toEqual([path, 200, 'stored']);
    }
    expect(await eventOf('call-page')).toMatchObject({
      type: 'page',
      name: 'Pricing',
      category: 'Docs',
      properties: { path: '/pricing' },
    });
    expect(await eventOf('call-screen')).toMatchObject({
      type: 'screen',
      name: 'Home',
      properties: { 'tab%2Ename': 'feed' },
    });
    expect(await eventOf('call-group')).toMatchObject({ type: 'group', groupId: 'acme' });
    expect(await eventOf('call-alias')).toMatchObject({ type: 'alias', previousId: 'anon-calls' });
    const profile = await profileOf('u-calls');
    expect(profile!.groupIds).toEqual(['acme']);
    const alias = await stack.store.identities.findOne({
      _id: `${stack.workspace.workspaceId}:anonymous_id:anon-calls`,
    });
    expect(alias?.profileId).toBe(profile!._id);
  });

  it('takes what analytics.js sends: one-letter paths, text/plain bodies, the key in the body', async () => {
    const writeKey = stack.workspace.writeKey;
    const single = await request(stack.app)
      .post('/v1/t')
      .set('Content-Type', 'text/plain')
      .send(
        JSON.stringify({
          writeKey,
          type: 'track',
          userId: 'u-ajs',
          event: 'Clicked',
          messageId: 'ajs-1',
        }),
      );
    expect(single.status).toBe(200);
    const batch = await request(stack.app)
      .post('/v1/b')
      .set('Content-Type', 'text/plain')
      .send(
        JSON.stringify({
          writeKey,
          sentAt: new Date().toISOString(),
          batch: [
            { type: 'page', anonymousId: 'anon-ajs', name: 'Home', messageId: 'ajs-2' },
            { type: 'identify', userId: 'u-ajs', anonymousId: 'anon-ajs', messageId: 'ajs-3' },
          ],
        }),
      );
    expect(batch.body).toMatchObject({ success: true, stored: 2, duplicates: 0, errors: [] });
    const events = await stack.store.events
      .find({ messageId: { $in: ['ajs-1', 'ajs-2', 'ajs-3'] } })
      .toArray();
    expect(events.map((e) => e.type).sort()).toEqual(['identify', 'page', 'track']);
  });

  it('reports per-message errors inside a batch with index, code and path, and stores the rest', async () => {
    const response = await request(stack.app)
      .post('/v1/batch')
      .set('Authorization', auth)
      .send({
        batch: [
          { type: 'track', userId: 'u-7', event: 'Ok', messageId: 'batch-ok' },
          { type: 'track', userId: 'u-7', messageId: 'batch-bad' },
          { type: 'purchase', userId: 'u-7', messageId: 'batch-unknown' },
          { type: 'identify', userId: 'unknown', messageId: 'batch-junk' },
          { type: 'track', userId: 'u-7', event: 'Ok', messageId: 'batch-ok' },
        ],
        context: { ip: '203.0.113.7' },
      });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ success: false, stored: 1, duplicates: 1 });
    expect(response.body.errors).toEqual([
      expect.objectContaining({ index: 1, code: 'invalid_type', path: ['batch', 1, 'event'] }),
      expect.objectContaining({ index: 2, code: 'unknown_type', path: ['batch', 2, 'type'] }),
      expect.objectContaining({
        index: 3,
        code: 'no_identifier',
        path: ['batch', 3, 'userId'],
        messageId: 'batch-junk',
      }),
    ]);
    const ids = ['batch-ok', 'batch-bad', 'batch-unknown', 'batch-junk'];
    expect(await stack.store.events.countDocuments({ messageId: { $in: ids } })).toBe(1);
    // The batch's context goes to each message that has none of its own.
    expect((await eventOf('batch-ok'))!.context).toEqual({ ip: '203.0.113.7' });
  });

  it('answers 400 with the reason when a single message has no usable identifier', async () => {
    const response = await request(stack.app)
      .post('/v1/identify')
      .set('Authorization', auth)
      .send({ userId: 'unknown', traits: { plan: 'junk' }, messageId: 'junk-1' });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'invalid_request',
      issues: [expect.objectContaining({ code: 'no_identifier', path: ['userId'] })],
    });
    expect(await eventOf('junk-1')).toBeNull();
    expect(await stack.store.profiles.countDocuments({ 'traits.plan': 'junk' })).toBe(0);
  });

  it('answers 400 and stores nothing when no message of a batch can be stored', async () => {
    const response = await request(stack.app)
      .post('/v1/batch')
      .set('Authorization', auth)
      .send({
        batch: [
          { type: 'track', userId: 'u-8' },
          { type: 'alias', userId: 'u-8' },
        ],
      });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.issues).toEqual([
      expect.objectContaining({ index: 0, path: ['batch', 0, 'event'] }),
      expect.objectContaining({ index: 1, path: ['batch', 1, 'previousId'] }),
    ]);
  });

  it('passes a client write key on as a client source, which may not merge two known people', async () => {
    const clientKey = await issueKey(stack.store, stack.workspace.workspaceId, 'write', 'web app', {
      sourceKind: 'client',
    });
    const identify = (key: string, anonymousId: string, traits: Record<string, unknown>) =>
      request(stack.app)
        .post('/v1/identify')
        .set('Authorization', basicAuth(key))
        .send({ anonymousId, traits, messageId: `client-${anonymousId}` });
    await identify(stack.workspace.writeKey, 'cl-1', { email: 'ana@client.test' }).expect(200);
    await identify(stack.workspace.writeKey, 'cl-2', { phone: '+33612345678' }).expect(200);
    const both = { email: 'ana@client.test', phone: '+33612345678' };
    await identify(clientKey, 'cl-3', both).expect(200);

    const merges = await stack.store.merges
      .find({ workspaceId: stack.workspace.workspaceId, 'cause.messageId': 'client-cl-3' })
      .toArray();
    expect(merges).toEqual([
      expect.objectContaining({
        status: 'refused',
        reason: 'untrusted_source',
        cause: expect.objectContaining({ source: 'client' }),
      }),
    ]);
    const owners = await stack.store.identities
      .find({
        _id: {
          $in: ['email:ana@client.test', 'phone:+33612345678'].map(
            (id) => `${stack.workspace.workspaceId}:${id}`,
          ),
        },
      })
      .toArray();
    expect(new Set(owners.map((owner) => owner.profileId)).size).toBe(2);
  });
});
