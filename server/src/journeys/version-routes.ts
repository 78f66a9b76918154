import type { Router } from 'express';
import { z } from 'zod';

import { diffJourneyVersions, type JourneyDefinition } from '@junction/core';

import { requireActor, requireWorkspace } from '../http/auth.js';
import { invalidInput } from '../http/errors.js';
import { parseInput } from '../http/parse.js';
import type { JourneyLifecycle } from './journey-lifecycle.js';
import { JourneyParams, VersionNumber } from './journey-params.js';
import type { JourneyStore } from './journey-store.js';
import { journeySummary, versionSummary, versionView } from './journey-views.js';

const VersionParams = JourneyParams.extend({ version: VersionNumber });
/** A published version, or `draft` for the journey's unpublished draft. */
const VersionRef = z.union([z.literal('draft'), VersionNumber]);
const DiffQuery = z.object({ from: VersionRef.optional(), to: VersionRef.default('draft') });
const Rollback = z.strictObject({
  version: z.number().int().positive(),
  notes: z.string().max(2000).nullish(),
  migrate: z.boolean().optional(),
});

/** Version history, one version, the diff between two, and rollback to an earlier one. */
export function addVersionRoutes(
  router: Router,
  { store, lifecycle }: { store: JourneyStore; lifecycle: JourneyLifecycle },
): void {
  router.get('/:id/versions', async (req, res) => {
    const { id } = parseInput(JourneyParams, req.params);
    const workspaceId = requireWorkspace(req);
    await store.get(workspaceId, id);
    const versions = await store.versions(workspaceId, id);
    res.json({ journeyId: id, versions: versions.map(versionSummary) });
  });

  router.get('/:id/versions/:version', async (req, res) => {
    const { id, version } = parseInput(VersionParams, req.params);
    res.json(versionView(await store.version(requireWorkspace(req), id, version)));
  });

  // From the live version to the draft unless asked otherwise: "what would publishing change".
  router.get('/:id/diff', async (req, res) => {
    const { id } = parseInput(JourneyParams, req.params);
    const query = parseInput(DiffQuery, req.query);
    const workspaceId = requireWorkspace(req);
    const journey = await store.get(workspaceId, id);
    const from = query.from ?? journey.liveVersion;
    if (from === null) {
      const message = 'the journey has no live version; say which version to compare from';
      throw invalidInput([{ code: 'missing_from', path: ['from'], message }], message);
    }
    const definitionOf = async (ref: number | 'draft'): Promise<JourneyDefinition> =>
      ref === 'draft' ? journey.draft : (await store.version(workspaceId, id, ref)).definition;
    const [before, after] = await Promise.all([definitionOf(from), definitionOf(query.to)]);
    res.json({ journeyId: id, from, to: query.to, changes: diffJourneyVersions(before, after) });
  });

  router.post('/:id/rollback', async (req, res) => {
    const { id } = parseInput(JourneyParams, req.params);
    const body = parseInput(Rollback, req.body ?? {});
    const published = await lifecycle.rollback(requireWorkspace(req), id, body.version, {
      author: requireActor(req),
      notes: body.notes ?? null,
      migrate: body.migrate,
    });
    res.status(201).json({
      journey: journeySummary(published.journey),
      version: versionView(published.version),
      migrated: published.migrated,
    });
  });
}
