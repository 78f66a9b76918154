import { createGzip, deflateSync, gzipSync } from 'node:zlib';

import request from 'supertest';

import { decodeObject } from '@junction/core';
import type { ProfileDoc } from '@junction/core/store';

import { basicAuth, startStack, type TestStack } from '../../../test/harness.js';

/** `levels` objects nested under key `a`, with `leaf` at the bottom. */
function nested(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/** Gzip of `megabytes` of one repeated byte: a few hundred KB on the wire. */
async function gzipBomb(prefix: string, megabytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  gzip.write(prefix);
  const block = Buffer.alloc(1024 * 1024, 'a');
  for (let i = 0; i < megabytes; i++) {
    if (!gzip.write(block)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end('"}}]}');
  await done;
  return Buffer.concat(chunks);
}

describe('tracking API under hostile input', () => {
  let stack: TestStack;
  let auth: string;
  let victim: ProfileDoc;

  beforeAll(async () => {
    stack = await startStack();
    auth = basicAuth(stack.workspace.writeKey);
    await request(stack.app)
      .post('/v1/identify')
      .set('Authorization', auth)
      .send({ userId: 'victim', traits: { plan: 'pro', score: 1 }, messageId: 'victim-0' })
      .expect(200);
    victim = (await victimProfile())!;
  });
  afterAll(() => stack.close());

  async function victimProfile() {
    const identity = await stack.store.identities.findOne({
      _id: `${stack.workspace.workspaceId}:user_id:victim`,
    });
    return stack.store.profiles.findOne({ _id: identity!.profileId });
  }

  /** Every test aims its bad input at one known person, whose profile must not move. */
  async function expectVictimUnchanged(): Promise<void> {
    expect(await victimProfile()).toEqual(victim);
    expect(await stack.store.profiles.countDocuments({ 'identities.value': 'victim' })).toBe(1);
  }

  function post(path: string) {
    return request(stack.app).post(path).set('Authorization', auth);
  }

  /** Sends `body` as is, for JSON a JavaScript object literal cannot express. */
  function postRaw(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
    return post(path)
      .set({ 'Content-Type': 'application/json', ...headers })
      .serialize((raw: string | Buffer) => raw as string)
      .send(body);
  }

  it('refuses values of the wrong type with the code and path of each, one error per event', async () => {
    const response = await post('/v1/batch').send({
      batch: [
        { type: 'identify', userId: 'victim', traits: ['not', 'an', 'object'] },
        { type: 'identify', userId: { $ne: null }, traits: { plan: 'hacked' } },
        { type: 'track', userId: 'victim', event: 'E', timestamp: 1700000000 },
        { type: 'identify', userId: 'victim', traits: { plan: 'hacked' }, messageId: 42 },
        { type: 'group', userId: 'victim', groupId: true },
        { type: 'identify', userId: true, traits: { plan: 'hacked' } },
        'identify victim',
        null,
        [{ type: 'identify', userId: 'victim', traits: { plan: 'hacked' } }],
      ],
      // An envelope context is added to each message, but never turns a non-object into one.
      context: { ip: '203.0.113.9' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([
      expect.objectContaining({ index: 0, code: 'invalid_type', path: ['batch', 0, 'traits'] }),
      expect.objectContaining({ index: 1, code: 'invalid_union', path: ['batch', 1, 'userId'] }),
      expect.objectContaining({ index: 2, code: 'invalid_type', path: ['batch', 2, 'timestamp'] }),
      expect.objectContaining({ index: 3, code: 'invalid_type', path: ['batch', 3, 'messageId'] }),
      expect.objectContaining({ index: 4, code: 'invalid_union', path: ['batch', 4, 'groupId'] }),
      expect.objectContaining({ index: 5, code: 'invalid_union', path: ['batch', 5, 'userId'] }),
      expect.objectContaining({ index: 6, code: 'invalid_type', path: ['batch', 6] }),
      expect.objectContaining({ index: 7, code: 'invalid_type', path: ['batch', 7] }),
      expect.objectContaining({ index: 8, code: 'invalid_type', path: ['batch', 8] }),
    ]);

    const single = await post('/v1/identify').send({ userId: 'victim', traits: 'plan=hacked' });
    expect(single.status).toBe(400);
    expect(single.body.error.issues).toEqual([
      expect.objectContaining({ code: 'invalid_type', path: ['traits'] }),
    ]);
    await expectVictimUnchanged();
  });

  it('answers a stable code for unknown, missing and mismatched call types', async () => {
    const response = await post('/v1/batch').send({
      batch: [
        { type: 'purchase', userId: 'victim', traits: { plan: 'hacked' } },
        { userId: 'victim', traits: { plan: 'hacked' } },
        { type: 'IDENTIFY', userId: 'victim', traits: { plan: 'hacked' } },
        { type: { $eq: 'identify' }, userId: 'victim', traits: { plan: 'hacked' } },
        { type: 'track', userId: 'bystander', event: 'Checked', messageId: 'types-ok' },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ success: false, stored: 1 });
    expect(
      response.body.errors.map((e: { code: string; path: unknown }) => [e.code, e.path]),
    ).toEqual([
      ['unknown_type', ['batch', 0, 'type']],
      ['type_required', ['batch', 1, 'type']],
      ['unknown_type', ['batch', 2, 'type']],
      ['unknown_type', ['batch', 3, 'type']],
    ]);

    const mismatch = await post('/v1/track').send({
      type: 'identify',
      userId: 'victim',
      event: 'E',
      traits: { plan: 'hacked' },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.issues).toEqual([
      expect.objectContaining({ code: 'type_mismatch', path: ['type'] }),
    ]);
    const unknownRoute = await post('/v1/purchase').send({ userId: 'victim' });
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body.error.code).toBe('not_found');
    await expectVictimUnchanged();
  });

  it('refuses an oversized event: 413 for a single call, message_too_large inside a batch', async () => {
    const big = { userId: 'victim', traits: { plan: 'hacked', blob: 'x'.repeat(40 * 1024) } };
    const single = await post('/v1/identify').send(big);
    expect(single.status).toBe(413);
    expect(single.body.error.code).toBe('payload_too_large');

    const batch = await post('/v1/batch').send({
      batch: [
        { type: 'identify', ...big, messageId: 'big-1' },
        { type: 'track', userId: 'bystander', event: 'Small', messageId: 'small-1' },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ success: false, stored: 1 });
    expect(batch.body.errors).toEqual([
      {
        index: 0,
        messageId: 'big-1',
        code: 'message_too_large',
        path: ['batch', 0],
        message: expect.stringContaining('over the limit of 32768'),
      },
    ]);
    await expectVictimUnchanged();
  });

  it('answers 413 for a batch whose inflated body is over 500 KB without inflating the rest', async () => {
    const bomb = await gzipBomb(
      '{"batch":[{"type":"identify","userId":"victim","traits":{"plan":"',
      256,
    );
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const peakBefore = process.resourceUsage().maxRSS;
    const response = await postRaw('/v1/batch', bomb, { 'Content-Encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
    // Inflating all 256 MB would raise the process's peak memory by at least that much.
    const peakGrowthKb = process.resourceUsage().maxRSS - peakBefore;
    expect(peakGrowthKb).toBeLessThan(128 * 1024);

    const plain = Array.from({ length: 20 }, () => ({
      type: 'identify',
      userId: 'victim',
      traits: { plan: 'hacked', blob: 'x'.repeat(30 * 1024) },
    }));
    const tooBig = await post('/v1/batch').send({ batch: plain });
    expect(tooBig.status).toBe(413);
    await expectVictimUnchanged();
  });

  it('stores keys with dots and dollars escaped, so they round-trip and never act as operators', async () => {
    const traits = {
      $where: 'sleep(1000)',
      'a.b': { 'c.d': 1, $gt: 2 },
      constructor: 'plain data',
      prototype: { toString: 'not a function' },
      '': 'empty',
    };
    const response = await post('/v1/identify').send({ userId: 'keys', traits, messageId: 'k-1' });
    expect(response.status).toBe(200);
    const identity = await stack.store.identities.findOne({
      _id: `${stack.workspace.workspaceId}:user_id:keys`,
    });
    const profile = await stack.store.profiles.findOne({ _id: identity!.profileId });
    expect(Object.keys(profile!.traits).sort()).toEqual(
      ['%', '%24where', 'a%2Eb', 'constructor', 'prototype'].sort(),
    );
    expect(decodeObject(profile!.traits)).toEqual(traits);

    const properties = { 'price.usd': 5, $inc: { score: 100 } };
    await post('/v1/track')
      .send({ userId: 'victim', event: 'Paid', properties, messageId: 'k-2' })
      .expect(200);
    const event = await stack.store.events.findOne({ _id: `${stack.workspace.workspaceId}:k-2` });
    expect(event!.properties).toEqual({ 'price%2Eusd': 5, '%24inc': { score: 100 } });
    await expectVictimUnchanged();
  });

  it('refuses a __proto__ key at any depth with forbidden_key and its path', async () => {
    const single = await postRaw(
      '/v1/identify',
      '{"userId":"victim","traits":{"plan":"hacked","__proto__":{"admin":true}}}',
    );
    expect(single.status).toBe(400);
    expect(single.body.error.issues).toEqual([
      expect.objectContaining({ code: 'forbidden_key', path: ['traits', '__proto__'] }),
    ]);

    const batch = await postRaw(
      '/v1/batch',
      JSON.stringify({
        batch: [
          { type: 'identify', userId: 'victim', traits: { plan: 'hacked', profile: 'PROTO' } },
          { type: 'track', userId: 'victim', event: 'E', context: 'PROTO' },
          { type: 'track', userId: 'bystander', event: 'Fine', messageId: 'proto-ok' },
        ],
      })
        .replace('"profile":"PROTO"', '"profile":{"__proto__":{"admin":true}}')
        .replace('"context":"PROTO"', '"context":{"__proto__":{"admin":true}}'),
    );
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ stored: 1 });
    expect(batch.body.errors).toEqual([
      expect.objectContaining({
        index: 0,
        code: 'forbidden_key',
        path: ['batch', 0, 'traits', 'profile', '__proto__'],
      }),
      expect.objectContaining({
        index: 1,
        code: 'forbidden_key',
        path: ['batch', 1, 'context', '__proto__'],
      }),
    ]);
    expect(({} as { admin?: unknown }).admin).toBeUndefined();
    await expectVictimUnchanged();
  });

  it('refuses nesting deeper than 16 levels, however deep, with the path where it goes too deep', async () => {
    const single = await post('/v1/identify').send({
      userId: 'victim',
      traits: { plan: 'hacked', deep: nested(17) },
    });
    expect(single.status).toBe(400);
    expect(single.body.error.issues).toEqual([
      expect.objectContaining({
        code: 'too_deep',
        path: ['traits', 'deep', ...Array<string>(16).fill('a')],
      }),
    ]);
    await post('/v1/identify')
      .send({ userId: 'bystander', traits: { deep: nested(15) }, messageId: 'deep-ok' })
      .expect(200);

    // 100,000 levels: far past what a recursive walk of the JSON could survive.
    const depth = 100_000;
    const body =
      '{"batch":[{"type":"identify","userId":"victim","traits":{"plan":"hacked","deep":' +
      '['.repeat(depth) +
      ']'.repeat(depth) +
      '}},{"type":"track","userId":"bystander","event":"Shallow","messageId":"deep-2"}]}';
    const batch = await postRaw('/v1/batch', body);
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ stored: 1 });
    expect(batch.body.errors).toEqual([
      expect.objectContaining({
        index: 0,
        code: 'too_deep',
        path: ['batch', 0, 'traits', 'deep', ...Array<number>(16).fill(0)],
      }),
    ]);
    const singleDeep = await postRaw(
      '/v1/track',
      `{"userId":"victim","event":"E","properties":{"p":${'['.repeat(15_000)}${']'.repeat(15_000)}}}`,
    );
    expect(singleDeep.status).toBe(400);
    expect(singleDeep.body.error.issues[0].code).toBe('too_deep');
    await expectVictimUnchanged();
  });

  it('answers invalid_json or invalid_request for bodies that are not one JSON object', async () => {
    const cases: [string, string, number, string][] = [
      ['/v1/identify', '{"userId": "victim", "traits": {"plan": ', 400, 'invalid_json'],
      ['/v1/identify', '"identify victim"', 400, 'invalid_json'],
      ['/v1/identify', '42', 400, 'invalid_json'],
      ['/v1/identify', 'null', 400, 'invalid_json'],
      ['/v1/identify', '[{"userId":"victim","traits":{"plan":"hacked"}}]', 400, 'invalid_request'],
      ['/v1/batch', '{"batch":{"type":"identify","userId":"victim"}}', 400, 'invalid_request'],
      ['/v1/batch', '{"batch":[]}', 400, 'invalid_request'],
      ['/v1/batch', '{"type":"identify","userId":"victim"}', 400, 'invalid_request'],
    ];
    const answers = [];
    for (const [path, body] of cases) {
      const response = await postRaw(path, body);
      answers.push([path, body, response.status, response.body.error?.code]);
    }
    expect(answers).toEqual(cases);
    const envelope = await postRaw('/v1/batch', '{"batch":{}}');
    expect(envelope.body.error.issues).toEqual([
      expect.objectContaining({ code: 'invalid_type', path: ['batch'] }),
    ]);

    // Bodies are JSON whatever their Content-Type says (rudder-sdk-node calls its JSON a form).
    const form = await post('/v1/identify')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('userId=victim&traits[plan]=hacked');
    expect(form.status).toBe(400);
    expect(form.body.error.code).toBe('invalid_json');
    await expectVictimUnchanged();
  });

  it('answers invalid_encoding for a body that is not what its Content-Encoding says', async () => {
    const json = JSON.stringify({ userId: 'victim', traits: { plan: 'hacked' } });
    const notGzip = await postRaw('/v1/identify', json, { 'Content-Encoding': 'gzip' });
    const truncated = await postRaw('/v1/identify', gzipSync(json).subarray(0, 20), {
      'Content-Encoding': 'gzip',
    });
    const wrongKind = await postRaw('/v1/identify', deflateSync(json), {
      'Content-Encoding': 'gzip',
    });
    const unknown = await postRaw('/v1/identify', json, { 'Content-Encoding': 'compress' });
    expect(
      [notGzip, truncated, wrongKind, unknown].map((r) => [r.status, r.body.error.code]),
    ).toEqual([
      [400, 'invalid_encoding'],
      [400, 'invalid_encoding'],
      [400, 'invalid_encoding'],
      [415, 'unsupported_encoding'],
    ]);
    await expectVictimUnchanged();
  });

  it('refuses a messageId that is too long or not a string', async () => {
    const tooLong = await post('/v1/identify').send({
      userId: 'victim',
      traits: { plan: 'hacked' },
      messageId: 'm'.repeat(201),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.issues).toEqual([
      expect.objectContaining({ code: 'too_big', path: ['messageId'] }),
    ]);
    const object = await post('/v1/identify').send({
      userId: 'victim',
      traits: { plan: 'hacked' },
      messageId: { $gt: '' },
    });
    expect(object.body.error.issues).toEqual([
      expect.objectContaining({ code: 'invalid_type', path: ['messageId'] }),
    ]);
    await expectVictimUnchanged();
  });
});
