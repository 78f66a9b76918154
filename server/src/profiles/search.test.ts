import request from 'supertest';

import { basicAuth, startStack, type TestStack } from '../../../test/harness.js';
import { createWorkspace, type NewWorkspace } from '../workspaces/credentials.js';
import { traitValues } from './profile-reader.js';

describe('profile search', () => {
  let stack: TestStack;
  let keys: NewWorkspace;

  const search = (query: Record<string, string | number>) =>
    request(stack.app)
      .get('/v1/profiles')
      .query(query)
      .set('Authorization', `Bearer ${keys.apiKey}`);

  const ids = (response: request.Response) =>
    (response.body.profiles as { identities: { type: string; value: string }[] }[]).map(
      (p) => p.identities.find((id) => id.type === 'user_id')?.value,
    );

  beforeAll(async () => {
    stack = await startStack();
    keys = await createWorkspace(stack.store, 'Search test');
    const people = [
      { userId: 'n-number', traits: { score: 42, plan: 'pro', $where: 'x', 'a.b': 'dotted' } },
      { userId: 'n-string', traits: { score: '42', plan: 'pro', vip: true } },
      { userId: 'n-other', traits: { score: 7, plan: 'free', vip: 'true' } },
      ...Array.from({ length: 5 }, (_, i) => ({ userId: `team-${i}`, traits: { team: 'blue' } })),
    ];
    const response = await request(stack.app)
      .post('/v1/batch')
      .set('Authorization', basicAuth(keys.writeKey))
      .send({ batch: people.map((person) => ({ type: 'identify', ...person })) });
    expect(response.status).toBe(200);
  });
  afterAll(() => stack.close());

  it('matches a numeric value as both the number and the string', async () => {
    const response = await search({ trait: 'score', value: '42' });
    expect(response.status).toBe(200);
    expect(ids(response).sort()).toEqual(['n-number', 'n-string']);
    expect(ids(await search({ trait: 'vip', value: 'true' })).sort()).toEqual([
      'n-other',
      'n-string',
    ]);
    expect(ids(await search({ trait: 'plan', value: 'free' }))).toEqual(['n-other']);
  });

  it('treats hostile trait names as plain names, never as operators or paths', async () => {
    for (const trait of ['$where', '$ne', 'a.b', 'traits', '%24where', '__proto__', 'a.$b']) {
      const response = await search({ trait, value: 'x' });
      expect(response.status).toBe(200);
      expect(response.body.profiles).toEqual(trait === '$where' ? [expect.anything()] : []);
    }
    expect(ids(await search({ trait: 'a.b', value: 'dotted' }))).toEqual(['n-number']);
    const shown = (await search({ trait: '$where', value: 'x' })).body.profiles[0];
    expect(shown.traits).toMatchObject({ $where: 'x', 'a.b': 'dotted' });
  });

  it('pages through matches with the next cursor, each profile once', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 5; page++) {
      const response = await search({
        trait: 'team',
        value: 'blue',
        limit: 2,
        ...(after && { after }),
      });
      expect(response.status).toBe(200);
      expect(response.body.profiles.length).toBeLessThanOrEqual(2);
      seen.push(...(ids(response) as string[]));
      after = response.body.next ?? undefined;
      if (!after) break;
    }
    expect(seen.sort()).toEqual(['team-0', 'team-1', 'team-2', 'team-3', 'team-4']);
  });

  it('looks up by identifier as type:value and answers an empty list for nobody', async () => {
    const found = await search({ identifier: 'user_id:n-string' });
    expect(found.status).toBe(200);
    expect(ids(found)).toEqual(['n-string']);
    expect((await search({ identifier: 'user_id:nobody' })).body.profiles).toEqual([]);
    const unknown = await search({ identifier: 'passport:X1' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues[0].path).toEqual(['identifier']);
  });

  it('answers 400 with a path when the search is incomplete or contradictory', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'trait'],
      [{ trait: 'plan' }, 'value'],
      [{ trait: 'plan', value: 'pro', identifier: 'user_id:x' }, 'identifier'],
      [{ identifier: 'no-colon' }, 'identifier'],
      [{ trait: 'plan', value: 'pro', after: '!!' }, 'after'],
    ];
    for (const [query, path] of cases) {
      const response = await search(query);
      expect(response.status).toBe(400);
      expect(response.body.error.issues.map((i: { path: string[] }) => i.path)).toContainEqual([
        path,
      ]);
    }
  });

  it('leaves profiles merged into others out of the results', async () => {
    const batch = [
      { type: 'identify', anonymousId: 'anon-s', traits: { colour: 'teal' } },
      { type: 'identify', userId: 'teal-person', traits: { colour: 'teal' } },
      { type: 'identify', userId: 'teal-person', anonymousId: 'anon-s' },
    ];
    for (const message of batch) {
      await request(stack.app)
        .post('/v1/batch')
        .set('Authorization', basicAuth(keys.writeKey))
        .send({ batch: [message] });
    }
    expect(ids(await search({ trait: 'colour', value: 'teal' }))).toEqual(['teal-person']);
  });
});

describe('traitValues', () => {
  it('reads numbers and booleans both ways and everything else as text', () => {
    expect(traitValues('42')).toEqual(['42', 42]);
    expect(traitValues('-1.5e3')).toEqual(['-1.5e3', -1500]);
    expect(traitValues('042')).toEqual(['042']);
    expect(traitValues('false')).toEqual(['false', false]);
    expect(traitValues('Pro')).toEqual(['Pro']);
  });
});
