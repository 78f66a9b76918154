import { startStack, type TestStack } from '../../../test/harness.js';
import { testWorkspace, type TestWorkspace } from '../audience-api/test-workspace.js';
import { createJourney, publishJourney, saveDraft, welcomeJourney } from './test-journeys.js';
import { insertRun, signalsOf, startIdleWorkflow, terminateAll } from './test-runs.js';

describe('signals to the runs of a journey', () => {
  let stack: TestStack;
  let api: TestWorkspace;
  const started: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    api = await testWorkspace(stack);
  });
  afterAll(async () => {
    await terminateAll(stack.temporal, started);
    await stack.close();
  });

  /** A run document plus, unless `withoutWorkflow`, a real workflow under its id. */
  async function run(
    journeyId: string,
    profileId: string,
    options: { version?: number; status?: 'active' | 'finished'; withoutWorkflow?: boolean } = {},
  ): Promise<string> {
    const doc = await insertRun(stack, {
      workspaceId: api.keys.workspaceId,
      journeyId,
      profileId,
      version: options.version ?? 1,
      status: options.status ?? 'active',
    });
    if (!options.withoutWorkflow) {
      await startIdleWorkflow(stack.temporal, doc._id);
      started.push(doc._id);
    }
    return doc._id;
  }

  it('pauses, resumes and stops exactly the active runs of the journey', async () => {
    const id = await createJourney(api);
    await publishJourney(api, id);
    const other = await createJourney(api);
    await publishJourney(api, other);
    const active = [await run(id, 'p1'), await run(id, 'p2')];
    const finished = await run(id, 'p3', { status: 'finished' });
    const elsewhere = await run(other, 'p1');
    // A run whose workflow is gone although its document still says active.
    await run(id, 'p4', { withoutWorkflow: true });

    const paused = await api.post(`/v1/journeys/${id}/pause`);
    expect(paused.body.runs).toEqual({ signalled: 2, gone: 1 });
    const resumed = await api.post(`/v1/journeys/${id}/resume`);
    expect(resumed.body.runs).toEqual({ signalled: 2, gone: 1 });
    const stopped = await api.post(`/v1/journeys/${id}/stop`);
    expect(stopped.body.runs).toEqual({ signalled: 2, gone: 1 });

    for (const runId of active) {
      expect(await signalsOf(stack.temporal, runId)).toEqual([
        { name: 'journeyControl', arg: { v: 1, action: 'pause' } },
        { name: 'journeyControl', arg: { v: 1, action: 'resume' } },
        { name: 'journeyControl', arg: { v: 1, action: 'stop' } },
      ]);
    }
    expect(await signalsOf(stack.temporal, finished)).toEqual([]);
    expect(await signalsOf(stack.temporal, elsewhere)).toEqual([]);
  });

  it('migrates the active runs on older versions when publishing with migrate', async () => {
    const id = await createJourney(api);
    await publishJourney(api, id);
    const onV1 = await run(id, 'm1', { version: 1 });
    await saveDraft(api, id, welcomeJourney(15));
    await publishJourney(api, id);
    const onV2 = await run(id, 'm2', { version: 2 });
    await saveDraft(api, id, welcomeJourney(20));

    const published = await api.post(`/v1/journeys/${id}/publish`, { migrate: true });
    expect(published.status).toBe(201);
    expect(published.body.migrated).toEqual({ signalled: 2, gone: 0 });
    for (const runId of [onV1, onV2]) {
      expect(await signalsOf(stack.temporal, runId)).toEqual([
        { name: 'journeyMigrate', arg: { v: 1, toVersion: 3 } },
      ]);
    }
    const plain = await api.post(`/v1/journeys/${id}/rollback`, { version: 2 });
    expect(plain.body.migrated).toBeNull();
  });

  it('migrates on request only the runs below the target version', async () => {
    const id = await createJourney(api);
    await publishJourney(api, id);
    await saveDraft(api, id, welcomeJourney(15));
    await publishJourney(api, id);
    await saveDraft(api, id, welcomeJourney(20));
    await publishJourney(api, id);
    const onV1 = await run(id, 'n1', { version: 1 });
    const onV2 = await run(id, 'n2', { version: 2 });
    const onV3 = await run(id, 'n3', { version: 3 });

    const migrated = await api.post(`/v1/journeys/${id}/migrate`, { toVersion: 2 });
    expect(migrated.status).toBe(200);
    expect(migrated.body).toEqual({ toVersion: 2, runs: { signalled: 1, gone: 0 } });
    expect(await signalsOf(stack.temporal, onV1)).toEqual([
      { name: 'journeyMigrate', arg: { v: 1, toVersion: 2 } },
    ]);
    expect(await signalsOf(stack.temporal, onV2)).toEqual([]);

    const toLive = await api.post(`/v1/journeys/${id}/migrate`);
    expect(toLive.body).toEqual({ toVersion: 3, runs: { signalled: 2, gone: 0 } });
    expect(await signalsOf(stack.temporal, onV3)).toEqual([]);
  });
});
