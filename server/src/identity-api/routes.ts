import express, { Router } from 'express';
import { z } from 'zod';

import { IdentitySettings } from '@junction/core';

import { requireWorkspace } from '../http/auth.js';
import { parseInput } from '../http/parse.js';
import type { Identity } from '../identity/index.js';
import type { MergeHistory } from '../profiles/merge-history.js';
import { BeforeParam, PageLimit } from '../profiles/page.js';
import { mergeDetail, mergeSummary } from '../profiles/profile-views.js';

const MergeParams = z.object({ id: z.string().min(1).max(100) });
const MergeListQuery = z.object({
  limit: PageLimit,
  before: BeforeParam.optional(),
  status: z.enum(['merged', 'refused', 'undone']).optional(),
});

/** Identity graph management: settings, the merge record, and undoing a merge. */
export function identityRoutes(identity: Identity, history: MergeHistory): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));

  router.get('/settings', async (req, res) => {
    res.json({ settings: await identity.settings.get(requireWorkspace(req)) });
  });

  // TODO(audit): settings changes are not yet versioned or written to an audit log.
  router.put('/settings', async (req, res) => {
    const settings = parseInput(IdentitySettings, req.body);
    await identity.settings.put(requireWorkspace(req), settings);
    res.json({ settings });
  });

  router.get('/merges', async (req, res) => {
    const query = parseInput(MergeListQuery, req.query);
    const page = await history.list(requireWorkspace(req), query);
    res.json({ merges: page.items.map(mergeSummary), next: page.next });
  });

  router.get('/merges/:id', async (req, res) => {
    const { id } = parseInput(MergeParams, req.params);
    res.json({ merge: mergeDetail(await history.get(requireWorkspace(req), id)) });
  });

  router.post('/merges/:id/undo', async (req, res) => {
    const { id } = parseInput(MergeParams, req.params);
    const undone = await identity.merges.undo(requireWorkspace(req), id);
    res.json({ merge: mergeSummary(undone) });
  });

  return router;
}
