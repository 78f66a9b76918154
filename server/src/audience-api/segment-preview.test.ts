import { collections } from '@junction/core/store';

import { startStack, type TestStack } from '../../../test/harness.js';
import { createAudience } from '../audience/index.js';
import { createLogger } from '../logger.js';
import { previewSegment } from './segment-preview.js';
import { segmentOf, testWorkspace, type TestWorkspace } from './test-workspace.js';

const PEOPLE = 300;

/** Every third person is on the pro plan; half of everyone lives in Paris. */
function person(index: number) {
  return {
    userId: `user-${String(index).padStart(3, '0')}`,
    traits: {
      plan: index % 3 === 0 ? 'pro' : 'free',
      seats: index,
      address: { city: index % 2 === 0 ? 'Paris' : 'Lyon' },
      email: `user${index}@example.com`,
    },
  };
}

const proInParis = {
  type: 'all',
  conditions: [
    { type: 'trait', trait: 'plan', op: 'eq', value: 'pro' },
    { type: 'trait', trait: 'address.city', op: 'eq', value: 'Paris' },
  ],
} as const;

describe('segment preview', () => {
  let stack: TestStack;
  let ws: TestWorkspace;

  beforeAll(async () => {
    stack = await startStack();
    ws = await testWorkspace(stack);
    await ws.identify(Array.from({ length: PEOPLE }, (_, index) => person(index)));
  });
  afterAll(() => stack.close());

  it('counts who a draft condition holds for and shows a sample of them', async () => {
    const response = await ws.post('/v1/segments/preview', { condition: proInParis });
    expect(response.status).toBe(200);
    const expected = Array.from({ length: PEOPLE }, (_, i) => i).filter(
      (i) => i % 3 === 0 && i % 2 === 0,
    ).length;
    expect(response.body).toMatchObject({
      estimate: expected,
      matched: expected,
      total: PEOPLE,
      exact: true,
    });
    expect(response.body.scanned).toBeGreaterThanOrEqual(expected);
    expect(response.body.scanned).toBeLessThanOrEqual(PEOPLE);
    expect(response.body.sample).toHaveLength(10);
    for (const profile of response.body.sample) {
      expect(profile.traits).toMatchObject({ plan: 'pro', address: { city: 'Paris' } });
      expect(profile.identities).toContainEqual(expect.objectContaining({ type: 'user_id' }));
    }
    expect((await ws.get('/v1/segments')).body.segments).toEqual([]);
  });

  it('scales the estimate from the profiles it evaluated when the scan stops early', async () => {
    const audience = createAudience({
      db: stack.db,
      temporal: stack.temporal,
      log: createLogger('silent'),
    });
    const defs = await audience.state.load(ws.keys.workspaceId);
    const preview = await previewSegment(
      collections(stack.db),
      ws.keys.workspaceId,
      defs,
      // A `not` is never pushed down, so every live profile is a candidate.
      { type: 'not', condition: { type: 'trait', trait: 'plan', op: 'eq', value: 'pro' } },
      { limits: { maxScanned: 100, maxMs: 60_000, sampleSize: 3 } },
    );
    expect(preview).toMatchObject({ scanned: 100, total: PEOPLE, exact: false });
    expect(preview.sample).toHaveLength(3);
    // Two thirds are not on the pro plan: 200 of 300, estimated from 100 of them.
    expect(preview.estimate).toBeGreaterThan(150);
    expect(preview.estimate).toBeLessThan(250);
  });

  it('reads segments and tags the draft refers to', async () => {
    const saved = await ws.post('/v1/segments', segmentOf('pro', proInParis.conditions[0]));
    expect(saved.status).toBe(201);
    const response = await ws.post('/v1/segments/preview', {
      condition: {
        type: 'all',
        conditions: [
          { type: 'segment', segment: 'pro', member: false },
          { type: 'trait', trait: 'seats', op: 'gte', value: 290 },
        ],
      },
    });
    expect(response.status).toBe(200);
    // 290..299 without the pro plan (multiples of 3: 291, 294, 297).
    expect(response.body).toMatchObject({ matched: 7, exact: true });
  });

  it('refuses an invalid draft with the codes and paths a saved segment gets', async () => {
    const unknown = await ws.post('/v1/segments/preview', {
      condition: { type: 'tag', tag: 'missing', op: 'exists' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      code: 'invalid_definition',
      issues: [{ code: 'condition.unknown_tag', path: ['condition', 'tag'] }],
    });
    const shape = await ws.post('/v1/segments/preview', {
      condition: { type: 'trait', trait: 'plan', op: 'eq', value: 'pro', extra: 1 },
    });
    expect(shape.body.error).toMatchObject({
      code: 'invalid_request',
      issues: [expect.objectContaining({ code: 'unrecognized_keys', path: ['condition'] })],
    });
  });
});
