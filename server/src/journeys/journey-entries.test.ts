import type { JourneyDefinitionInput, ReEntry } from '@junction/core';
import { journeyCollections } from '@junction/core/store';

import { startStack, type TestStack } from '../../../test/harness.js';
import { testWorkspace, type TestWorkspace } from '../audience-api/test-workspace.js';
import { createJourney, publishJourney } from './test-journeys.js';
import { terminateAll } from './test-runs.js';

/** entry by API → wait a day → exit: runs stay active for the whole test. */
function apiJourney(
  settings: { reEntry?: ReEntry; entryCap?: number } = {},
): JourneyDefinitionInput {
  return {
    nodes: [
      { id: 'entry', type: 'entry', trigger: { kind: 'api' } },
      { id: 'wait', type: 'delay', duration: { amount: 1, unit: 'days' } },
      { id: 'exit', type: 'exit' },
    ],
    edges: [
      { id: 'e1', source: 'entry', target: 'wait' },
      { id: 'e2', source: 'wait', target: 'exit' },
    ],
    settings,
  };
}

describe('entering people by API', () => {
  let stack: TestStack;
  let api: TestWorkspace;
  const started: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    api = await testWorkspace(stack);
    await api.identify(
      ['ada', 'bo', 'cy', 'di'].map((userId) => ({ userId, traits: { plan: 'trial' } })),
    );
  });
  afterAll(async () => {
    await terminateAll(stack.temporal, started);
    await stack.close();
  });

  async function live(draft: JourneyDefinitionInput): Promise<string> {
    const id = await createJourney(api, draft);
    await publishJourney(api, id);
    return id;
  }

  async function enter(journeyId: string, userId: string, entryKey?: string) {
    const response = await api.post(`/v1/journeys/${journeyId}/entries`, {
      identifier: { type: 'user_id', value: userId },
      ...(entryKey ? { entryKey } : {}),
    });
    if (response.body.runId) started.push(response.body.runId as string);
    return response;
  }

  it('enters a person found by identifier, books the run and starts its workflow', async () => {
    const id = await live(apiJourney());

    const entered = await enter(id, 'ada', 'signup-ada');

    expect(entered.status).toBe(201);
    expect(entered.body).toMatchObject({ entered: true, entryId: 'api:signup-ada' });
    const run = await journeyCollections(stack.db).journeyRuns.findOne({ _id: entered.body.runId });
    expect(run).toMatchObject({ journeyId: id, status: 'active', version: 1 });
    const described = await stack.temporal.workflow.getHandle(entered.body.runId).describe();
    expect(described.status.name).toBe('RUNNING');
  });

  it('treats a resent entry key as the same entry, counted once', async () => {
    const id = await live(apiJourney({ reEntry: { policy: 'always' } }));

    const first = await enter(id, 'ada', 'order-17');
    const again = await enter(id, 'ada', 'order-17');

    expect(again.status).toBe(201);
    expect(again.body.runId).toBe(first.body.runId);
    const journey = await stack.store.journeys.findOne({ _id: id });
    expect(journey?.entryCount).toBe(1);
  });

  it('applies the re-entry policy to a person whose run is still going', async () => {
    const never = await live(apiJourney({ reEntry: { policy: 'never' } }));
    const afterExit = await live(apiJourney({ reEntry: { policy: 'after_exit' } }));
    const always = await live(apiJourney({ reEntry: { policy: 'always' } }));

    for (const id of [never, afterExit, always]) expect((await enter(id, 'bo')).status).toBe(201);

    expect((await enter(never, 'bo')).body).toMatchObject({ entered: false, reason: 're_entry' });
    expect((await enter(afterExit, 'bo')).body).toMatchObject({
      entered: false,
      reason: 'already_running',
    });
    const second = await enter(always, 'bo');
    expect(second.status).toBe(201);
    const runs = await journeyCollections(stack.db)
      .journeyRuns.find({ journeyId: always })
      .toArray();
    expect(runs).toHaveLength(2);
  });

  it('refuses entries beyond the journey cap and says so', async () => {
    const id = await live(apiJourney({ entryCap: 2 }));

    expect((await enter(id, 'ada')).status).toBe(201);
    expect((await enter(id, 'bo')).status).toBe(201);
    const third = await enter(id, 'cy');

    expect(third.status).toBe(200);
    expect(third.body).toMatchObject({ entered: false, reason: 'entry_cap' });
    expect((await stack.store.journeys.findOne({ _id: id }))?.entryCount).toBe(2);
  });

  it('answers 409 for a paused journey and 404 for an unknown journey or person', async () => {
    const id = await live(apiJourney());
    await api.post(`/v1/journeys/${id}/pause`);

    const paused = await enter(id, 'di');
    expect(paused.status).toBe(409);
    expect(paused.body.error.code).toBe('journey_paused');
    const missing = await enter('jrn_missing', 'di');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('journey_not_found');
    const nobody = await enter(id, 'nobody-at-all');
    expect(nobody.status).toBe(404);
    expect(nobody.body.error.code).toBe('profile_not_found');
  });

  it('answers 400 with the field path for a body naming nobody or two people', async () => {
    const id = await live(apiJourney());
    const both = await api.post(`/v1/journeys/${id}/entries`, {
      profileId: 'prf_x',
      identifier: { type: 'user_id', value: 'ada' },
    });
    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe('invalid_request');
    const badKey = await api.post(`/v1/journeys/${id}/entries`, {
      profileId: 'prf_x',
      entryKey: 'has spaces',
    });
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.issues).toEqual([expect.objectContaining({ path: ['entryKey'] })]);
    const injected = await api.post(`/v1/journeys/${id}/entries`, { profileId: { $ne: null } });
    expect(injected.status).toBe(400);
    expect(injected.body.error.issues[0].path).toEqual(['profileId']);
  });
});
