import express, { Router } from 'express';
import type { Collection } from 'mongodb';
import { z } from 'zod';

import { TagDefinition } from '@junction/core';
import type { AudienceJobDoc } from '@junction/core/store';

import { requireWorkspace } from '../http/auth.js';
import { parseInput } from '../http/parse.js';
import type { AudienceCatalog } from './audience-catalog.js';
import type { AudienceRuntime } from './audience-runtime.js';
import { DefinitionChanges } from './definition-changes.js';
import { addDefinitionRoutes } from './definition-routes.js';
import { matchesSearch } from './definition-search.js';
import type { DefinitionStore } from './definition-store.js';
import { tagSummary, tagView } from './definition-views.js';

export interface TagRouteDeps {
  store: DefinitionStore<TagDefinition>;
  catalog: AudienceCatalog;
  runtime: AudienceRuntime;
  jobs: Collection<AudienceJobDoc>;
}

const ListQuery = z.object({
  q: z.string().max(200).optional(),
  kind: z.enum(['static', 'behavioral', 'dynamic', 'model']).optional(),
});

/** Tags: the label definitions, their versions and lineage. */
export function tagRoutes(deps: TagRouteDeps): Router {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/', async (req, res) => {
    const { q, kind } = parseInput(ListQuery, req.query);
    const docs = await deps.store.list(requireWorkspace(req));
    const found = docs.filter(
      (doc) =>
        (kind === undefined || doc.definition.rule.kind === kind) &&
        matchesSearch(doc.definition, q),
    );
    res.json({ tags: found.map(tagSummary) });
  });

  addDefinitionRoutes(router, {
    schema: TagDefinition,
    store: deps.store,
    changes: new DefinitionChanges(deps.store, deps.catalog, deps.runtime),
    catalog: deps.catalog,
    jobs: deps.jobs,
    view: tagView,
  });
  return router;
}
