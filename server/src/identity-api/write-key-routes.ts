import express, { Router } from 'express';
import { z } from 'zod';

import type { Collections } from '@junction/core/store';

import { requireWorkspace } from '../http/auth.js';
import { parseInput } from '../http/parse.js';
import { issueKey } from '../workspaces/credentials.js';

/**
 * Keys for tracking sources. A `client` key ships inside browsers and apps, so anyone can send
 * with it; what it sends may stitch visitors but never merge two known people.
 */
const CreateWriteKey = z.object({
  name: z.string().trim().min(1).max(200),
  sourceKind: z.enum(['server', 'client']),
});

/** Issues write keys; the key is in the answer once and stored only as a hash. */
export function writeKeyRoutes(db: Collections): Router {
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  router.post('/', async (req, res) => {
    const { name, sourceKind } = parseInput(CreateWriteKey, req.body ?? {});
    const workspaceId = requireWorkspace(req);
    const writeKey = await issueKey(db, workspaceId, 'write', name, { sourceKind });
    res.status(201).json({ writeKey, name, sourceKind });
  });

  return router;
}
