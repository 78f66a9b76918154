import request from 'supertest';

import { segmentOf, testWorkspace, useTestWorkspace } from '../audience-api/test-workspace.js';
import {
  createChannelAndTemplate,
  createJourney,
  messageJourney,
  publishJourney,
  saveDraft,
  welcomeJourney,
} from './test-journeys.js';

describe('journey drafts and publishing', () => {
  const t = useTestWorkspace();

  it('publishes immutable versions: a later draft change never alters a published version', async () => {
    const id = await createJourney(t.api);
    const v1 = await t.api.post(`/v1/journeys/${id}/publish`, { notes: 'launch' });
    expect(v1.status).toBe(201);
    expect(v1.body.version).toMatchObject({ journeyId: id, version: 1, notes: 'launch' });
    expect(v1.body.journey).toMatchObject({ status: 'live', liveVersion: 1 });

    await saveDraft(t.api, id, welcomeJourney(2 * 24 * 60));
    expect(await publishJourney(t.api, id)).toBe(2);

    const first = await t.api.get(`/v1/journeys/${id}/versions/1`);
    expect(first.body.definition.nodes[1].duration).toEqual({ amount: 5, unit: 'minutes' });
    const detail = await t.api.get(`/v1/journeys/${id}`);
    expect(detail.body.journey).toMatchObject({ status: 'live', liveVersion: 2, latestVersion: 2 });
    expect(detail.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('records who published each version, with notes and what changed since the one before', async () => {
    const id = await createJourney(t.api);
    await publishJourney(t.api, id, { notes: 'first cut' });
    await saveDraft(t.api, id, welcomeJourney(30));
    await publishJourney(t.api, id, { notes: 'wait longer' });

    const history = await t.api.get(`/v1/journeys/${id}/versions`);
    expect(history.status).toBe(200);
    const [second, first] = history.body.versions;
    const author = { id: expect.any(String), name: expect.any(String) };
    expect(first).toMatchObject({ version: 1, notes: 'first cut', author, changes: null });
    expect(second).toMatchObject({ version: 2, notes: 'wait longer', author });
    expect(second.changes.nodes.changed.map((node: { id: string }) => node.id)).toEqual(['wait']);
    expect(second.changes.nodes.added).toEqual([]);
    expect(second).not.toHaveProperty('definition');
  });

  it('refuses to publish a broken graph and lists each problem with its node', async () => {
    const { nodes, edges } = welcomeJourney();
    const id = await createJourney(t.api, {
      nodes: [...nodes, { id: 'lost', type: 'exit' }],
      edges: [edges[0]!],
    });
    const response = await t.api.post(`/v1/journeys/${id}/publish`, {});
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_journey');
    expect(response.body.error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'journey.missing_next',
          nodeId: 'wait',
          path: ['draft', 'nodes', 1],
        }),
        expect.objectContaining({ code: 'journey.unreachable_node', nodeId: 'exit' }),
        expect.objectContaining({ code: 'journey.unreachable_node', nodeId: 'lost' }),
      ]),
    );
    const detail = await t.api.get(`/v1/journeys/${id}`);
    expect(detail.body.versions).toEqual([]);
    expect(detail.body.journey.status).toBe('draft');
  });

  it('refuses to publish a journey naming a missing channel, template or segment, and saves the draft with the same issues', async () => {
    const draft = messageJourney('missing_hook', 'missing_note');
    draft.settings = { exitCriteria: [{ kind: 'segment_exited', segment: 'vip_people' }] };
    const created = await t.api.post('/v1/journeys', { name: 'Refs', draft });
    expect(created.status).toBe(201);
    const expected = [
      expect.objectContaining({
        code: 'journey.unknown_channel',
        nodeId: 'send',
        path: ['draft', 'nodes', 1, 'channel'],
      }),
      expect.objectContaining({
        code: 'journey.unknown_template',
        path: ['draft', 'nodes', 1, 'template'],
      }),
      expect.objectContaining({
        code: 'journey.unknown_segment',
        path: ['draft', 'settings', 'exitCriteria', 0, 'segment'],
      }),
    ];
    expect(created.body.issues).toEqual(expect.arrayContaining(expected));

    const id = created.body.journey.id as string;
    const refused = await t.api.post(`/v1/journeys/${id}/publish`, {});
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('invalid_journey');
    expect(refused.body.error.issues).toEqual(expect.arrayContaining(expected));

    await createChannelAndTemplate(t.api, 'missing_hook', 'missing_note');
    const segment = segmentOf('vip_people', { type: 'trait', trait: 'vip', op: 'eq', value: true });
    expect((await t.api.post('/v1/segments', segment)).status).toBe(201);
    const saved = await t.api.put(`/v1/journeys/${id}/draft`, { name: 'Refs, fixed' });
    expect(saved.body.issues).toEqual([]);
    expect(await publishJourney(t.api, id)).toBe(1);
  });

  it('answers 400 with paths for a draft that breaks the schema', async () => {
    const response = await t.api.post('/v1/journeys', {
      name: 'Bad',
      draft: { nodes: [{ id: 'a.b', type: 'webhook', url: 'ftp://x' }], edges: [] },
    });
    expect(response.status).toBe(400);
    const paths = (response.body.error.issues as { path: unknown[] }[]).map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        ['draft', 'nodes', 0, 'id'],
        ['draft', 'nodes', 0, 'url'],
      ]),
    );
    const badNotes = await t.api.post(`/v1/journeys/${await createJourney(t.api)}/publish`, {
      notes: 42,
    });
    expect(badNotes.status).toBe(400);
    expect(badNotes.body.error.issues[0].path).toEqual(['notes']);
  });

  it('lets exactly one of several concurrent publishes take each version number', async () => {
    const id = await createJourney(t.api);
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => t.api.post(`/v1/journeys/${id}/publish`, {})),
    );
    const won = responses.filter((response) => response.status === 201);
    const lost = responses.filter((response) => response.status !== 201);
    for (const response of lost) {
      expect(response.status).toBe(409);
      expect(['publish_conflict', 'journey_conflict']).toContain(response.body.error.code);
    }
    const numbers = won.map((response) => response.body.version.version as number).sort();
    expect(numbers).toEqual(numbers.map((_, index) => index + 1));
    const history = await t.api.get(`/v1/journeys/${id}/versions`);
    expect(history.body.versions).toHaveLength(won.length);
    const detail = await t.api.get(`/v1/journeys/${id}`);
    expect(detail.body.journey.latestVersion).toBe(won.length);
  });

  it('diffs two versions, and the live version against the draft by default', async () => {
    const id = await createJourney(t.api);
    await publishJourney(t.api, id);
    await saveDraft(t.api, id, welcomeJourney(60));
    await publishJourney(t.api, id);
    const explicit = await t.api.get(`/v1/journeys/${id}/diff`, { from: 1, to: 2 });
    expect(explicit.status).toBe(200);
    expect(explicit.body).toMatchObject({ from: 1, to: 2 });
    expect(explicit.body.changes.nodes.changed).toEqual([expect.objectContaining({ id: 'wait' })]);

    const unchanged = await t.api.get(`/v1/journeys/${id}/diff`);
    expect(unchanged.body).toMatchObject({ from: 2, to: 'draft' });
    expect(unchanged.body.changes.nodes.changed).toEqual([]);

    expect((await t.api.get(`/v1/journeys/${id}/diff`, { from: 7 })).body.error.code).toBe(
      'version_not_found',
    );
    const bad = await t.api.get(`/v1/journeys/${id}/diff`, { from: 'first' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toEqual(['from']);
    const neverPublished = await t.api.get(`/v1/journeys/${await createJourney(t.api)}/diff`);
    expect(neverPublished.status).toBe(400);
    expect(neverPublished.body.error.issues[0].path).toEqual(['from']);
  });

  it('keeps workspaces apart: another workspace cannot see or publish this journey', async () => {
    const id = await createJourney(t.api);
    const other = await testWorkspace(t.stack);
    const seen = await other.get(`/v1/journeys/${id}`);
    expect(seen.status).toBe(404);
    expect(seen.body.error.code).toBe('journey_not_found');
    expect((await other.post(`/v1/journeys/${id}/publish`, {})).status).toBe(404);
    expect((await other.get(`/v1/journeys/${id}/versions`)).status).toBe(404);
    expect((await other.get('/v1/journeys')).body.journeys).toEqual([]);
  });

  it('answers 401 without an API key and with a write key', async () => {
    expect((await request(t.stack.app).get('/v1/journeys')).status).toBe(401);
    const withWriteKey = await request(t.stack.app)
      .get('/v1/journeys')
      .set('Authorization', `Bearer ${t.api.keys.writeKey}`);
    expect(withWriteKey.status).toBe(401);
  });
});
