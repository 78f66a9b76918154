import { useTestWorkspace } from '../audience-api/test-workspace.js';
import { createJourney, publishJourney, saveDraft, welcomeJourney } from './test-journeys.js';

describe('journey lifecycle', () => {
  const t = useTestWorkspace();

  const status = async (id: string) => (await t.api.get(`/v1/journeys/${id}`)).body.journey.status;
  const expectError = async (
    response: Promise<{ status: number; body: { error?: { code: string } } }>,
    code: number,
    errorCode: string,
  ) => {
    const answered = await response;
    expect({ status: answered.status, code: answered.body.error?.code }).toEqual({
      status: code,
      code: errorCode,
    });
  };

  it('moves draft → live → paused → live → stopped, refusing every other step with a code', async () => {
    const id = await createJourney(t.api);
    await expectError(t.api.post(`/v1/journeys/${id}/pause`), 409, 'not_live');
    await expectError(t.api.post(`/v1/journeys/${id}/resume`), 409, 'not_live');
    await expectError(t.api.post(`/v1/journeys/${id}/stop`), 409, 'not_live');
    await expectError(t.api.post(`/v1/journeys/${id}/migrate`, {}), 409, 'not_live');

    await publishJourney(t.api, id);
    await expectError(t.api.post(`/v1/journeys/${id}/resume`), 409, 'not_paused');
    const paused = await t.api.post(`/v1/journeys/${id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      journey: { status: 'paused', liveVersion: 1 },
      runs: { signalled: 0, gone: 0 },
    });
    await expectError(t.api.post(`/v1/journeys/${id}/pause`), 409, 'already_paused');

    const resumed = await t.api.post(`/v1/journeys/${id}/resume`);
    expect(resumed.body.journey.status).toBe('live');
    const stopped = await t.api.post(`/v1/journeys/${id}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.journey).toMatchObject({
      status: 'stopped',
      updatedBy: expect.any(Object),
    });

    for (const action of ['pause', 'resume', 'stop']) {
      await expectError(t.api.post(`/v1/journeys/${id}/${action}`), 409, 'journey_stopped');
    }
    await expectError(t.api.post(`/v1/journeys/${id}/publish`, {}), 409, 'journey_stopped');
    await expectError(
      t.api.post(`/v1/journeys/${id}/rollback`, { version: 1 }),
      409,
      'journey_stopped',
    );
    await expectError(t.api.post(`/v1/journeys/${id}/migrate`, {}), 409, 'journey_stopped');
    expect(await status(id)).toBe('stopped');
  });

  it('keeps a paused journey paused when a new version is published', async () => {
    const id = await createJourney(t.api);
    await publishJourney(t.api, id);
    await t.api.post(`/v1/journeys/${id}/pause`);
    await saveDraft(t.api, id, welcomeJourney(10));
    const published = await t.api.post(`/v1/journeys/${id}/publish`, { notes: 'while paused' });
    expect(published.status).toBe(201);
    expect(published.body.journey).toMatchObject({ status: 'paused', liveVersion: 2 });
  });

  it('can stop a paused journey', async () => {
    const id = await createJourney(t.api);
    await publishJourney(t.api, id);
    await t.api.post(`/v1/journeys/${id}/pause`);
    expect((await t.api.post(`/v1/journeys/${id}/stop`)).body.journey.status).toBe('stopped');
  });

  it('answers 404 journey_not_found for every lifecycle call on an unknown journey', async () => {
    const calls = [
      t.api.post('/v1/journeys/jrn_missing/publish', {}),
      t.api.post('/v1/journeys/jrn_missing/pause'),
      t.api.post('/v1/journeys/jrn_missing/resume'),
      t.api.post('/v1/journeys/jrn_missing/stop'),
      t.api.post('/v1/journeys/jrn_missing/migrate', {}),
      t.api.post('/v1/journeys/jrn_missing/rollback', { version: 1 }),
      t.api.get('/v1/journeys/jrn_missing/versions'),
      t.api.put('/v1/journeys/jrn_missing/draft', { name: 'x' }),
    ];
    for (const call of calls) await expectError(call, 404, 'journey_not_found');
  });

  it('lets only one of two concurrent pauses win; the other gets a 409', async () => {
    const id = await createJourney(t.api);
    await publishJourney(t.api, id);
    const answers = await Promise.all([
      t.api.post(`/v1/journeys/${id}/pause`),
      t.api.post(`/v1/journeys/${id}/pause`),
    ]);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 409]);
    const refused = answers.find((answer) => answer.status === 409)!;
    expect(['already_paused', 'journey_conflict']).toContain(refused.body.error.code);
    expect(await status(id)).toBe('paused');
  });

  it('rolls back by publishing an earlier definition as a new version', async () => {
    const id = await createJourney(t.api);
    await publishJourney(t.api, id, { notes: 'five minutes' });
    await saveDraft(t.api, id, welcomeJourney(60));
    await publishJourney(t.api, id, { notes: 'an hour' });

    const rolled = await t.api.post(`/v1/journeys/${id}/rollback`, { version: 1 });
    expect(rolled.status).toBe(201);
    expect(rolled.body.journey).toMatchObject({ liveVersion: 3, latestVersion: 3 });
    expect(rolled.body.version).toMatchObject({
      version: 3,
      rolledBackFrom: 1,
      notes: 'rollback to version 1',
    });
    expect(rolled.body.version.definition.nodes[1].duration).toEqual({
      amount: 5,
      unit: 'minutes',
    });
    expect(rolled.body.version.changes.nodes.changed).toEqual([
      expect.objectContaining({ id: 'wait' }),
    ]);
    // The draft is left as it was: rolling back does not throw away unpublished work.
    const detail = await t.api.get(`/v1/journeys/${id}`);
    expect(detail.body.journey.draft.nodes[1].duration).toEqual({ amount: 60, unit: 'minutes' });

    await expectError(
      t.api.post(`/v1/journeys/${id}/rollback`, { version: 9 }),
      404,
      'version_not_found',
    );
    const bad = await t.api.post(`/v1/journeys/${id}/rollback`, { version: 'one' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toEqual(['version']);
  });

  it('refuses a migration to a version that does not exist, and a body with unknown fields', async () => {
    const id = await createJourney(t.api);
    await publishJourney(t.api, id);
    await expectError(
      t.api.post(`/v1/journeys/${id}/migrate`, { toVersion: 4 }),
      404,
      'version_not_found',
    );
    const bad = await t.api.post(`/v1/journeys/${id}/migrate`, { to: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    const migrated = await t.api.post(`/v1/journeys/${id}/migrate`, {});
    expect(migrated.body).toEqual({ toVersion: 1, runs: { signalled: 0, gone: 0 } });
  });
});
