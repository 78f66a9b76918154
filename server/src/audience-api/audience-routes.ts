import express, { Router } from 'express';
import { z } from 'zod';

import { isValidTimeZone } from '@junction/core';

import { requireWorkspace } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/parse.js';
import type { AudienceRuntime } from './audience-runtime.js';
import { jobView } from './definition-views.js';

const JobParams = z.object({ id: z.string().min(1).max(100) });
const Settings = z.strictObject({ timeZone: z.string().min(1).max(100) });

/** Workspace-wide audience settings and the progress of batch jobs. */
export function audienceRoutes(runtime: AudienceRuntime): Router {
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  router.get('/jobs/:id', async (req, res) => {
    const { id } = parseInput(JobParams, req.params);
    const job = await runtime.backfills.get(requireWorkspace(req), id);
    if (!job)
      throw new HttpError(404, 'job_not_found', `no audience job "${id}" in this workspace`);
    res.json({ job: jobView(job) });
  });

  router.get('/settings', async (req, res) => {
    res.json({ settings: { timeZone: await runtime.state.timeZone(requireWorkspace(req)) } });
  });

  router.put('/settings', async (req, res) => {
    const { timeZone } = parseInput(Settings, req.body);
    if (!isValidTimeZone(timeZone)) {
      const message = `"${timeZone}" is not an IANA time zone, e.g. Europe/Paris`;
      const issue = { code: 'invalid_time_zone', path: ['timeZone'], message };
      throw new HttpError(400, 'invalid_time_zone', message, [issue]);
    }
    const workspaceId = requireWorkspace(req);
    await runtime.state.setTimeZone(workspaceId, timeZone);
    res.json({ settings: { timeZone } });
  });

  return router;
}
