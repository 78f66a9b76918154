import { Router } from 'express';
import { z } from 'zod';

import type { JourneyRunDoc } from '@junction/core/store';

import { requireWorkspace } from '../http/auth.js';
import { parseInput } from '../http/parse.js';
import type { ProfileReader } from '../profiles/profile-reader.js';
import { JourneyParams, VersionNumber } from './journey-params.js';
import type { JourneyReports } from './journey-reports.js';

const StatsQuery = z.object({ version: VersionNumber.optional() });
const RunsQuery = z.object({
  nodeId: z.string().min(1).max(64).optional(),
  status: z.enum(['active', 'finished']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.string().min(1).max(400).optional(),
});
const RunParams = JourneyParams.extend({ runId: z.string().min(1).max(400) });
const ProfileParams = z.object({ profileId: z.string().min(1).max(100) });
const ProfileRunsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** Where a person is in a run, without the trace: a row of "who is where". */
export function runSummary(doc: JourneyRunDoc) {
  return {
    runId: doc._id,
    journeyId: doc.journeyId,
    version: doc.version,
    profileId: doc.profileId,
    entryId: doc.entryId,
    status: doc.status,
    nodeId: doc.nodeId,
    since: doc.since,
    startedAt: doc.startedAt,
    endedAt: doc.endedAt ?? null,
    exitReason: doc.exitReason ?? null,
  };
}

/** A run with its trace: each step with the conditions evaluated, branches and suppressions. */
export function runTrace(doc: JourneyRunDoc) {
  return {
    ...runSummary(doc),
    steps: doc.steps,
    // The stored trace keeps the newest steps only; this many older ones were dropped.
    earlierSteps: Math.max(0, doc.lastSeq - doc.steps.length),
  };
}

/** Per-node counts, the people at a node, and one run's trace, under `/v1/journeys`. */
export function addReportRoutes(router: Router, reports: JourneyReports): void {
  router.get('/:id/stats', async (req, res) => {
    const { id } = parseInput(JourneyParams, req.params);
    const { version } = parseInput(StatsQuery, req.query);
    res.json(await reports.stats(requireWorkspace(req), id, version));
  });

  router.get('/:id/runs', async (req, res) => {
    const { id } = parseInput(JourneyParams, req.params);
    const query = parseInput(RunsQuery, req.query);
    const page = await reports.runs(requireWorkspace(req), id, query);
    res.json({ runs: page.runs.map(runSummary), next: page.next });
  });

  router.get('/:id/runs/:runId', async (req, res) => {
    const { id, runId } = parseInput(RunParams, req.params);
    res.json({ run: runTrace(await reports.run(requireWorkspace(req), id, runId)) });
  });
}

/** `GET /v1/profiles/:profileId/journeys`: a person's runs, with traces, newest first. */
export function profileJourneyRoutes(reports: JourneyReports, profiles: ProfileReader): Router {
  const router = Router();
  router.get('/:profileId/journeys', async (req, res) => {
    const { profileId } = parseInput(ProfileParams, req.params);
    const { limit } = parseInput(ProfileRunsQuery, req.query);
    const workspaceId = requireWorkspace(req);
    // An id merged away answers for the person it was merged into, as the profile routes do.
    const { profile } = await profiles.live(workspaceId, profileId);
    const ids = [profile._id, ...(profile.mergedFrom ?? [])];
    const { runs, journeyNames } = await reports.profileRuns(workspaceId, ids, limit);
    res.json({
      profileId: profile._id,
      runs: runs.map((run) => ({ ...runTrace(run), journeyName: journeyNames.get(run.journeyId) })),
    });
  });
  return router;
}
