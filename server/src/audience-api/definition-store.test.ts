import type { TagDefinition } from '@junction/core';
import { audienceCollections, audienceVersionId } from '@junction/core/store';

import { startStack, type TestStack } from '../../../test/harness.js';
import { newId } from '../workspaces/credentials.js';
import { DefinitionStore } from './definition-store.js';

const author = { id: 'abc123def456', name: 'test key' };

function tag(name: string): TagDefinition {
  return {
    key: 'plan',
    name,
    description: '',
    owner: '',
    rule: { kind: 'static', trait: 'plan', valueType: 'string' },
  };
}

describe('definition store', () => {
  let stack: TestStack;
  let store: DefinitionStore<TagDefinition>;

  beforeAll(async () => {
    stack = await startStack();
    const stored = audienceCollections(stack.db);
    store = new DefinitionStore('tag', stored.tags, stored.tagVersions);
  });
  afterAll(() => stack.close());

  it('lets only one of two writers of the same version win', async () => {
    const workspaceId = newId('ws');
    await store.write(workspaceId, 'plan', tag('Plan'), author);
    // Both start from version 1: whether they overlap or not, only one may follow it.
    const results = await Promise.allSettled([
      store.write(workspaceId, 'plan', tag('Tier'), author, { expectedVersion: 1 }),
      store.write(workspaceId, 'plan', tag('Level'), author, { expectedVersion: 1 }),
    ]);
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ reason: { status: 409, code: 'version_conflict' } });
    const head = await store.get(workspaceId, 'plan');
    const winner = await store.version(workspaceId, 'plan', 2);
    expect(head).toMatchObject({ version: 2, definition: { name: winner.definition?.name } });
  });

  it('continues after a version whose writer crashed before moving the head', async () => {
    const workspaceId = newId('ws');
    await store.write(workspaceId, 'plan', tag('Plan'), author);
    const stored = audienceCollections(stack.db);
    await stored.tagVersions.insertOne({
      _id: audienceVersionId(workspaceId, 'plan', 2),
      workspaceId,
      key: 'plan',
      version: 2,
      definition: tag('Abandoned'),
      author,
      createdAt: new Date(Date.now() - 5 * 60_000),
      changes: [{ path: ['name'], before: 'Plan', after: 'Abandoned' }],
    });

    const result = await store.write(workspaceId, 'plan', tag('Tier'), author);
    expect(result.version).toMatchObject({
      version: 3,
      changes: [{ path: ['name'], before: 'Abandoned', after: 'Tier' }],
    });
    expect(await store.get(workspaceId, 'plan')).toMatchObject({ version: 3 });
    const history = await store.history(workspaceId, 'plan', { limit: 10 });
    expect(history.versions.map((version) => version.version)).toEqual([3, 2, 1]);
  });

  it('keeps a deleted key out of the list and continues its versions when it returns', async () => {
    const workspaceId = newId('ws');
    await store.write(workspaceId, 'plan', tag('Plan'), author);
    const deleted = await store.write(workspaceId, 'plan', null, author);
    expect(deleted.head).toMatchObject({ deleted: true, version: 2, definition: tag('Plan') });
    expect(await store.list(workspaceId)).toEqual([]);
    const back = await store.write(workspaceId, 'plan', tag('Plan'), author);
    expect(back.version).toMatchObject({ version: 3, changes: [{ path: [], after: tag('Plan') }] });
    expect(await store.list(workspaceId)).toHaveLength(1);
  });
});
