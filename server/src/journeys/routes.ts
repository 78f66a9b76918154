import express, { Router } from 'express';
import { z } from 'zod';

import { JourneyDefinition, validateJourneyGraph } from '@junction/core';
import type { JourneyDoc, JourneyVersionDoc } from '@junction/core/store';

import { requireWorkspace } from '../http/auth.js';
import { parseInput } from '../http/parse.js';
import type { JourneyRuns } from './journey-runs.js';
import type { JourneyStore } from './journey-store.js';

const CreateJourney = z.object({
  name: z.string().trim().min(1).max(200),
  draft: JourneyDefinition.optional(),
});
const UpdateDraft = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    draft: JourneyDefinition.optional(),
  })
  .refine((body) => body.name !== undefined || body.draft !== undefined, {
    message: 'send a name or a draft',
  });
const Publish = z.object({ notes: z.string().max(2000).nullish() });
const JourneyParams = z.object({ id: z.string().min(1).max(64) });
const VersionParams = JourneyParams.extend({ version: z.coerce.number().int().positive() });

function summary(doc: JourneyDoc) {
  return {
    id: doc._id,
    name: doc.name,
    status: doc.status,
    liveVersion: doc.liveVersion,
    latestVersion: doc.latestVersion,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function versionView(doc: JourneyVersionDoc) {
  return {
    journeyId: doc.journeyId,
    version: doc.version,
    definition: doc.definition,
    publishedAt: doc.publishedAt,
    notes: doc.notes,
  };
}

/** Journey drafts, publishing, and immutable versions. */
export function journeyRoutes(store: JourneyStore, runs: JourneyRuns): Router {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/', async (req, res) => {
    const journeys = await store.list(requireWorkspace(req));
    res.json({ journeys: journeys.map(summary) });
  });

  router.post('/', async (req, res) => {
    const body = parseInput(CreateJourney, req.body);
    const doc = await store.create(requireWorkspace(req), body.name, body.draft);
    res.status(201).json({
      journey: { ...summary(doc), draft: doc.draft },
      issues: validateJourneyGraph(doc.draft),
    });
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseInput(JourneyParams, req.params);
    const workspaceId = requireWorkspace(req);
    const doc = await store.get(workspaceId, id);
    const versions = await store.versions(workspaceId, id);
    res.json({
      journey: { ...summary(doc), draft: doc.draft },
      versions: versions.map((v) => ({
        version: v.version,
        publishedAt: v.publishedAt,
        notes: v.notes,
      })),
    });
  });

  router.put('/:id/draft', async (req, res) => {
    const { id } = parseInput(JourneyParams, req.params);
    const body = parseInput(UpdateDraft, req.body);
    const doc = await store.saveDraft(requireWorkspace(req), id, body);
    res.json({
      journey: { ...summary(doc), draft: doc.draft },
      issues: validateJourneyGraph(doc.draft),
    });
  });

  router.post('/:id/publish', async (req, res) => {
    const { id } = parseInput(JourneyParams, req.params);
    const { notes } = parseInput(Publish, req.body ?? {});
    const workspaceId = requireWorkspace(req);
    const version = await store.publish(workspaceId, id, notes ?? null);
    runs.invalidate(workspaceId);
    res.status(201).json(versionView(version));
  });

  router.get('/:id/versions/:version', async (req, res) => {
    const { id, version } = parseInput(VersionParams, req.params);
    res.json(versionView(await store.version(requireWorkspace(req), id, version)));
  });

  return router;
}
