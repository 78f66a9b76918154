import {
  journeyCollections,
  journeyStatsId,
  type JourneyNodeStatsDoc,
  type StepRecord,
} from '@junction/core/store';

import { testWorkspace, useTestWorkspace } from '../audience-api/test-workspace.js';
import { createJourney, publishJourney, saveDraft, welcomeJourney } from './test-journeys.js';
import { insertRun } from './test-runs.js';

describe('journey reports', () => {
  const t = useTestWorkspace();

  async function counts(
    journeyId: string,
    version: number,
    nodeId: string,
    values: Partial<
      Pick<JourneyNodeStatsDoc, 'entered' | 'passed' | 'exited' | 'converted' | 'suppressed'>
    >,
  ): Promise<void> {
    await journeyCollections(t.stack.db).journeyNodeStats.insertOne({
      _id: journeyStatsId(journeyId, version, nodeId),
      workspaceId: t.api.keys.workspaceId,
      journeyId,
      version,
      nodeId,
      entered: 0,
      passed: 0,
      exited: 0,
      converted: 0,
      suppressed: 0,
      ...values,
    });
  }

  it('counts each node per version and over all versions, with who is waiting there now', async () => {
    const id = await createJourney(t.api);
    await publishJourney(t.api, id);
    const v2 = welcomeJourney();
    v2.nodes.splice(2, 0, { id: 'ping', type: 'webhook', url: 'https://example.com/ping' });
    v2.edges = [
      { id: 'e1', source: 'entry', target: 'wait' },
      { id: 'e2', source: 'wait', target: 'ping' },
      { id: 'e3', source: 'ping', target: 'exit' },
    ];
    await saveDraft(t.api, id, v2);
    await publishJourney(t.api, id);
    await counts(id, 1, 'entry', { entered: 10, passed: 10 });
    await counts(id, 1, 'wait', { entered: 10, passed: 6 });
    await counts(id, 1, 'exit', { entered: 6, exited: 6 });
    await counts(id, 2, 'entry', { entered: 5, passed: 5 });
    await counts(id, 2, 'wait', { entered: 5, passed: 1, exited: 1 });
    await counts(id, 2, 'ping', { entered: 1, passed: 1, suppressed: 0 });

    const all = await t.api.get(`/v1/journeys/${id}/stats`);
    expect(all.status).toBe(200);
    expect(all.body.version).toBeNull();
    expect(all.body.nodes).toEqual([
      {
        nodeId: 'entry',
        entered: 15,
        waiting: 0,
        passed: 15,
        exited: 0,
        converted: 0,
        suppressed: 0,
      },
      {
        nodeId: 'wait',
        entered: 15,
        waiting: 7,
        passed: 7,
        exited: 1,
        converted: 0,
        suppressed: 0,
      },
      { nodeId: 'ping', entered: 1, waiting: 0, passed: 1, exited: 0, converted: 0, suppressed: 0 },
      { nodeId: 'exit', entered: 6, waiting: 0, passed: 0, exited: 6, converted: 0, suppressed: 0 },
    ]);
    expect(all.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const first = await t.api.get(`/v1/journeys/${id}/stats`, { version: 1 });
    expect(first.body.version).toBe(1);
    expect(first.body.nodes.map((node: { nodeId: string }) => node.nodeId)).toEqual([
      'entry',
      'wait',
      'exit',
    ]);
    expect(first.body.nodes[1]).toMatchObject({ entered: 10, waiting: 4, passed: 6 });

    expect((await t.api.get(`/v1/journeys/${id}/stats`, { version: 5 })).body.error.code).toBe(
      'version_not_found',
    );
    const bad = await t.api.get(`/v1/journeys/${id}/stats`, { version: 'latest' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toEqual(['version']);
  });

  it('answers zero counts for a journey nobody entered yet, and nothing for a draft', async () => {
    const id = await createJourney(t.api);
    const draft = await t.api.get(`/v1/journeys/${id}/stats`);
    expect(draft.body).toEqual({ journeyId: id, version: null, nodes: [], versions: [] });
    await publishJourney(t.api, id);
    const live = await t.api.get(`/v1/journeys/${id}/stats`);
    expect(live.body.nodes[0]).toEqual({
      nodeId: 'entry',
      entered: 0,
      waiting: 0,
      passed: 0,
      exited: 0,
      converted: 0,
      suppressed: 0,
    });
  });

  it('lists the people at a node page by page', async () => {
    const id = await createJourney(t.api);
    await publishJourney(t.api, id);
    const workspaceId = t.api.keys.workspaceId;
    for (const profileId of ['a', 'b', 'c']) {
      await insertRun(t.stack, { workspaceId, journeyId: id, profileId, nodeId: 'wait' });
    }
    await insertRun(t.stack, {
      workspaceId,
      journeyId: id,
      profileId: 'd',
      nodeId: 'exit',
      status: 'finished',
    });

    const firstPage = await t.api.get(`/v1/journeys/${id}/runs`, { nodeId: 'wait', limit: 2 });
    expect(firstPage.status).toBe(200);
    expect(firstPage.body.runs).toHaveLength(2);
    expect(firstPage.body.runs[0]).not.toHaveProperty('steps');
    expect(firstPage.body.next).toEqual(expect.any(String));
    const secondPage = await t.api.get(`/v1/journeys/${id}/runs`, {
      nodeId: 'wait',
      limit: 2,
      after: firstPage.body.next,
    });
    expect(secondPage.body.next).toBeNull();
    const people = [...firstPage.body.runs, ...secondPage.body.runs].map(
      (run: { profileId: string }) => run.profileId,
    );
    expect(people.sort()).toEqual(['a', 'b', 'c']);

    const done = await t.api.get(`/v1/journeys/${id}/runs`, { status: 'finished' });
    expect(done.body.runs).toEqual([
      expect.objectContaining({ profileId: 'd', nodeId: 'exit', exitReason: 'exit_node' }),
    ]);
    const bad = await t.api.get(`/v1/journeys/${id}/runs`, { status: 'sleeping', limit: 0 });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.issues.map((issue: { path: string[] }) => issue.path[0]).sort();
    expect(paths).toEqual(['limit', 'status']);
  });

  it("shows one run's trace with its conditions, branches and suppressions", async () => {
    const id = await createJourney(t.api);
    await publishJourney(t.api, id);
    const at = new Date('2026-01-05T10:00:00Z');
    const steps: StepRecord[] = [
      { seq: 1, nodeId: 'entry', nodeType: 'entry', version: 1, at, outcome: 'entered' },
      {
        seq: 2,
        nodeId: 'check',
        nodeType: 'condition',
        version: 1,
        at,
        outcome: 'passed',
        branch: 'yes',
        conditions: [
          { path: [], type: 'trait', summary: 'trait plan = "pro"', input: 'pro', result: true },
        ],
      },
      {
        seq: 3,
        nodeId: 'send',
        nodeType: 'message',
        version: 1,
        at,
        outcome: 'suppressed',
        reason: 'frequency_cap',
      },
    ];
    const doc = await insertRun(t.stack, {
      workspaceId: t.api.keys.workspaceId,
      journeyId: id,
      profileId: 'traced',
      steps,
    });

    const response = await t.api.get(`/v1/journeys/${id}/runs/${encodeURIComponent(doc._id)}`);
    expect(response.status).toBe(200);
    expect(response.body.run).toMatchObject({
      runId: doc._id,
      profileId: 'traced',
      earlierSteps: 0,
    });
    expect(response.body.run.steps[1]).toMatchObject({
      branch: 'yes',
      conditions: [{ result: true }],
    });
    expect(response.body.run.steps[2]).toMatchObject({
      outcome: 'suppressed',
      reason: 'frequency_cap',
    });

    const other = await createJourney(t.api);
    const wrongJourney = await t.api.get(
      `/v1/journeys/${other}/runs/${encodeURIComponent(doc._id)}`,
    );
    expect(wrongJourney.status).toBe(404);
    expect(wrongJourney.body.error.code).toBe('run_not_found');
    const outsider = await testWorkspace(t.stack);
    const hidden = await outsider.get(`/v1/journeys/${id}/runs/${encodeURIComponent(doc._id)}`);
    expect(hidden.status).toBe(404);
  });

  it("lists a person's runs across journeys with their traces", async () => {
    await t.api.identify([{ userId: 'reports-user', traits: { first_name: 'Ada' } }]);
    const profile = await t.stack.store.profiles.findOne({ workspaceId: t.api.keys.workspaceId });
    const profileId = profile!._id;
    const first = await createJourney(t.api, welcomeJourney(), 'Onboarding');
    const second = await createJourney(t.api, welcomeJourney(), 'Win-back');
    const workspaceId = t.api.keys.workspaceId;
    const entered = {
      seq: 1,
      nodeId: 'entry',
      nodeType: 'entry',
      version: 1,
      outcome: 'entered',
    } as const;
    await insertRun(t.stack, {
      workspaceId,
      journeyId: first,
      profileId,
      startedAt: new Date('2026-01-01T00:00:00Z'),
      steps: [{ ...entered, at: new Date('2026-01-01T00:00:00Z') }],
    });
    await insertRun(t.stack, {
      workspaceId,
      journeyId: second,
      profileId,
      status: 'finished',
      startedAt: new Date('2026-02-01T00:00:00Z'),
    });
    await insertRun(t.stack, { workspaceId, journeyId: first, profileId: 'someone-else' });

    const response = await t.api.get(`/v1/profiles/${profileId}/journeys`);
    expect(response.status).toBe(200);
    expect(response.body.profileId).toBe(profileId);
    expect(response.body.runs.map((run: { journeyName: string }) => run.journeyName)).toEqual([
      'Win-back',
      'Onboarding',
    ]);
    expect(response.body.runs[1].steps).toEqual([expect.objectContaining({ outcome: 'entered' })]);

    const missing = await t.api.get('/v1/profiles/prf_nobody/journeys');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('profile_not_found');
    const outsider = await testWorkspace(t.stack);
    expect((await outsider.get(`/v1/profiles/${profileId}/journeys`)).status).toBe(404);
  });
});
