import express, { Router } from 'express';
import type { Collection } from 'mongodb';
import { z } from 'zod';

import { Condition, SegmentDefinition } from '@junction/core';
import type { AudienceJobDoc, Collections } from '@junction/core/store';

import { requireWorkspace } from '../http/auth.js';
import { parseInput } from '../http/parse.js';
import type { Logger } from '../logger.js';
import { PageLimit } from '../profiles/page.js';
import { checkDraftCondition, type AudienceCatalog } from './audience-catalog.js';
import type { AudienceRuntime } from './audience-runtime.js';
import { DefinitionChanges } from './definition-changes.js';
import { addDefinitionRoutes } from './definition-routes.js';
import { matchesSearch } from './definition-search.js';
import type { DefinitionStore } from './definition-store.js';
import { segmentSummary, segmentView } from './definition-views.js';
import { memberPage, segmentSize, writeMembersCsv } from './segment-members.js';
import { previewSegment } from './segment-preview.js';

export interface SegmentRouteDeps {
  db: Collections;
  store: DefinitionStore<SegmentDefinition>;
  catalog: AudienceCatalog;
  runtime: AudienceRuntime;
  jobs: Collection<AudienceJobDoc>;
  log: Logger;
}

const ListQuery = z.object({ q: z.string().max(200).optional() });
const KeyParams = z.object({ key: SegmentDefinition.shape.key });
const PreviewBody = z.strictObject({ condition: Condition });
const MembersQuery = z.object({
  limit: PageLimit,
  after: z.string().min(1).max(200).optional(),
});

/** Segments: definitions, versions and lineage, plus previews, members and exports. */
export function segmentRoutes(deps: SegmentRouteDeps): Router {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/', async (req, res) => {
    const { q } = parseInput(ListQuery, req.query);
    const docs = await deps.store.list(requireWorkspace(req));
    const found = docs.filter((doc) => matchesSearch(doc.definition, q));
    res.json({ segments: found.map(segmentSummary) });
  });

  router.post('/preview', async (req, res) => {
    const { condition } = parseInput(PreviewBody, req.body);
    const workspaceId = requireWorkspace(req);
    checkDraftCondition(await deps.catalog.load(workspaceId), condition);
    const defs = await deps.runtime.state.load(workspaceId);
    res.json(await previewSegment(deps.db, workspaceId, defs, condition));
  });

  router.get('/:key/members', async (req, res) => {
    const { key } = parseInput(KeyParams, req.params);
    const query = parseInput(MembersQuery, req.query);
    const workspaceId = requireWorkspace(req);
    await deps.store.get(workspaceId, key);
    res.json({ key, ...(await memberPage(deps.db, workspaceId, key, query)) });
  });

  router.get('/:key/members.csv', async (req, res) => {
    const { key } = parseInput(KeyParams, req.params);
    const workspaceId = requireWorkspace(req);
    await deps.store.get(workspaceId, key);
    res.status(200).type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${key}-members.csv"`);
    try {
      await writeMembersCsv(deps.db, workspaceId, key, res);
    } catch (error) {
      // Rows are already out, so no error answer can follow: cut the download short instead.
      deps.log.error({ err: error, workspaceId, segment: key }, 'members export failed');
      res.destroy(error instanceof Error ? error : undefined);
      return;
    }
    res.end();
  });

  addDefinitionRoutes(router, {
    schema: SegmentDefinition,
    store: deps.store,
    changes: new DefinitionChanges(deps.store, deps.catalog, deps.runtime),
    catalog: deps.catalog,
    jobs: deps.jobs,
    view: segmentView,
    details: async (workspaceId, doc) => ({
      size: await segmentSize(deps.db, workspaceId, doc.key),
    }),
  });
  return router;
}
