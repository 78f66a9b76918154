import express, { Router } from 'express';
import { z } from 'zod';

import { JourneyDefinition } from '@junction/core';

import { requireActor, requireWorkspace } from '../http/auth.js';
import { parseInput } from '../http/parse.js';
import type { ControlAction, JourneyLifecycle } from './journey-lifecycle.js';
import type { JourneyReports } from './journey-reports.js';
import { JourneyParams } from './journey-params.js';
import type { JourneyStore } from './journey-store.js';
import { journeyDetail, journeySummary, versionSummary, versionView } from './journey-views.js';
import { addReportRoutes } from './report-routes.js';
import { addVersionRoutes } from './version-routes.js';

const Name = z.string().trim().min(1).max(200);
const CreateJourney = z.strictObject({ name: Name, draft: JourneyDefinition.optional() });
const UpdateDraft = z
  .strictObject({ name: Name.optional(), draft: JourneyDefinition.optional() })
  .refine((body) => body.name !== undefined || body.draft !== undefined, {
    message: 'send a name or a draft',
  });
const Publish = z.strictObject({
  notes: z.string().max(2000).nullish(),
  migrate: z.boolean().optional(),
});
const Migrate = z.strictObject({ toVersion: z.number().int().positive().optional() });
const CONTROL_ACTIONS: ControlAction[] = ['pause', 'resume', 'stop'];

export interface JourneyRouteDeps {
  store: JourneyStore;
  lifecycle: JourneyLifecycle;
  reports: JourneyReports;
}

/** Journey drafts, the lifecycle (publish, pause, resume, stop, migrate), versions, reports. */
export function journeyRoutes(deps: JourneyRouteDeps): Router {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  addDraftRoutes(router, deps);
  addLifecycleRoutes(router, deps);
  addVersionRoutes(router, deps);
  addReportRoutes(router, deps.reports);
  return router;
}

function addDraftRoutes(router: Router, { store, lifecycle }: JourneyRouteDeps): void {
  router.get('/', async (req, res) => {
    const journeys = await store.list(requireWorkspace(req));
    res.json({ journeys: journeys.map(journeySummary) });
  });

  router.post('/', async (req, res) => {
    const body = parseInput(CreateJourney, req.body);
    const workspaceId = requireWorkspace(req);
    const doc = await store.create(workspaceId, body.name, requireActor(req), body.draft);
    const issues = await lifecycle.draftIssues(workspaceId, doc._id, doc.draft);
    res.status(201).json({ journey: journeyDetail(doc), issues });
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseInput(JourneyParams, req.params);
    const workspaceId = requireWorkspace(req);
    const doc = await store.get(workspaceId, id);
    const versions = await store.versions(workspaceId, id);
    res.json({ journey: journeyDetail(doc), versions: versions.map(versionSummary) });
  });

  router.put('/:id/draft', async (req, res) => {
    const { id } = parseInput(JourneyParams, req.params);
    const body = parseInput(UpdateDraft, req.body);
    const workspaceId = requireWorkspace(req);
    const doc = await store.saveDraft(workspaceId, id, body, requireActor(req));
    const issues = await lifecycle.draftIssues(workspaceId, id, doc.draft);
    res.json({ journey: journeyDetail(doc), issues });
  });
}

function addLifecycleRoutes(router: Router, { lifecycle }: JourneyRouteDeps): void {
  router.post('/:id/publish', async (req, res) => {
    const { id } = parseInput(JourneyParams, req.params);
    const { notes, migrate } = parseInput(Publish, req.body ?? {});
    const author = requireActor(req);
    const published = await lifecycle.publish(requireWorkspace(req), id, {
      author,
      notes: notes ?? null,
      migrate,
    });
    res.status(201).json({
      journey: journeySummary(published.journey),
      version: versionView(published.version),
      migrated: published.migrated,
    });
  });

  for (const action of CONTROL_ACTIONS) {
    router.post(`/:id/${action}`, async (req, res) => {
      const { id } = parseInput(JourneyParams, req.params);
      const workspaceId = requireWorkspace(req);
      const result = await lifecycle.control(workspaceId, id, action, requireActor(req));
      res.json({ journey: journeySummary(result.journey), runs: result.signals });
    });
  }

  router.post('/:id/migrate', async (req, res) => {
    const { id } = parseInput(JourneyParams, req.params);
    const { toVersion } = parseInput(Migrate, req.body ?? {});
    const result = await lifecycle.migrate(requireWorkspace(req), id, toVersion);
    res.json({ toVersion: result.toVersion, runs: result.signals });
  });
}
