import type { Express } from 'express';
import request from 'supertest';

import type { Condition, SegmentDefinition, TagDefinition, TagRule } from '@junction/core';

import { basicAuth, startStack, type TestStack } from '../../../test/harness.js';
import { createWorkspace, type NewWorkspace } from '../workspaces/credentials.js';

/** A fresh workspace and an API client for it, shared by the audience API tests. */
export async function testWorkspace(stack: TestStack, app: Express = stack.app) {
  const keys = await createWorkspace(stack.store, 'Audience test');
  const bearer = (as: NewWorkspace = keys) => `Bearer ${as.apiKey}`;
  return {
    keys,
    get: (path: string, query: Record<string, string | number> = {}, as = keys) =>
      request(app).get(path).query(query).set('Authorization', bearer(as)),
    post: (path: string, body: object = {}, as = keys) =>
      request(app).post(path).set('Authorization', bearer(as)).send(body),
    put: (path: string, body: object, as = keys) =>
      request(app).put(path).set('Authorization', bearer(as)).send(body),
    delete: (path: string, query: Record<string, string | number> = {}, as = keys) =>
      request(app).delete(path).query(query).set('Authorization', bearer(as)),
    /** Sends identify calls through the tracking API in batches, as a server SDK would. */
    async identify(people: { userId: string; traits: Record<string, unknown> }[]) {
      for (let start = 0; start < people.length; start += 100) {
        const batch = people
          .slice(start, start + 100)
          .map((person) => ({ type: 'identify', ...person }));
        const response = await request(app)
          .post('/v1/batch')
          .set('Authorization', basicAuth(keys.writeKey))
          .send({ batch });
        if (response.status !== 200) throw new Error(`batch refused: ${response.text}`);
      }
    },
  };
}

export type TestWorkspace = Awaited<ReturnType<typeof testWorkspace>>;

/**
 * A stack and a fresh workspace for the tests of one `describe`: started before them, closed
 * after. Read `stack` and `api` inside tests, once `beforeAll` has set them.
 */
export function useTestWorkspace(): { stack: TestStack; api: TestWorkspace } {
  const context = {} as { stack: TestStack; api: TestWorkspace };
  beforeAll(async () => {
    context.stack = await startStack();
    context.api = await testWorkspace(context.stack);
  });
  afterAll(() => context.stack.close());
  return context;
}

export function tagOf(key: string, rule: TagRule, extra: Partial<TagDefinition> = {}) {
  return { key, name: `Tag ${key}`, rule, ...extra };
}

export function segmentOf(
  key: string,
  condition: Condition,
  extra: Partial<SegmentDefinition> = {},
) {
  return { key, name: `Segment ${key}`, condition, ...extra };
}
