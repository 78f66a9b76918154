import { randomUUID } from 'node:crypto';

import express, { Router } from 'express';
import { z } from 'zod';

import { HttpError } from '../http/errors.js';
import { requireWorkspace } from '../http/auth.js';
import { parseInput } from '../http/parse.js';
import type { ProfileReader } from '../profiles/profile-reader.js';
import type { EntryRefusal } from './journey-entries-guard.js';
import type { EntryRequest, EntryResult } from './journey-entries.js';
import { JourneyParams } from './journey-params.js';

const EntryBody = z
  .strictObject({
    /** A profile id, or an identifier that resolves to one; exactly one of the two. */
    profileId: z.string().min(1).max(64).optional(),
    identifier: z
      .strictObject({ type: z.string().min(1).max(40), value: z.string().min(1).max(1000) })
      .optional(),
    /** The caller's idempotency key: the same key enters the person once, however often sent. */
    entryKey: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'use up to 128 letters, digits, _ . : -')
      .optional(),
  })
  .refine((body) => (body.profileId === undefined) !== (body.identifier === undefined), {
    message: 'send exactly one of profileId and identifier',
  });

// What a refused entry answers: a journey that cannot take anybody is a 409, a person who may
// not enter now is a 200 with `entered: false`, as Braze answers an ineligible recipient.
const CONFLICTS: ReadonlySet<EntryRefusal> = new Set(['not_live', 'paused', 'stopped']);

export interface EntryRouteDeps {
  entries: { enter(request: EntryRequest): Promise<EntryResult> };
  profiles: Pick<ProfileReader, 'live' | 'byIdentifier'>;
}

/** `POST /v1/journeys/:id/entries`: enters one person into a journey with an API trigger. */
export function entryRoutes(deps: EntryRouteDeps): Router {
  const router = Router();
  router.post('/:id/entries', express.json({ limit: '16kb' }), async (req, res) => {
    const { id } = parseInput(JourneyParams, req.params);
    const body = parseInput(EntryBody, req.body);
    const workspaceId = requireWorkspace(req);
    const profileId = await resolveProfile(deps.profiles, workspaceId, body);
    const entryId = `api:${body.entryKey ?? randomUUID()}`;
    const result = await deps.entries.enter({
      workspaceId,
      journeyId: id,
      profileId,
      entryId,
      entry: { kind: 'api', at: new Date().toISOString() },
    });
    if (result.entered) {
      res.status(201).json({ entered: true, runId: result.runId, profileId, entryId });
      return;
    }
    if (result.reason === 'not_found') {
      throw new HttpError(404, 'journey_not_found', `no journey ${JSON.stringify(id)}`);
    }
    if (CONFLICTS.has(result.reason)) {
      throw new HttpError(409, `journey_${result.reason}`, `the journey is ${result.reason}`);
    }
    res.status(200).json({ entered: false, reason: result.reason, profileId, entryId });
  });
  return router;
}

async function resolveProfile(
  profiles: EntryRouteDeps['profiles'],
  workspaceId: string,
  body: z.infer<typeof EntryBody>,
): Promise<string> {
  if (body.profileId !== undefined) {
    return (await profiles.live(workspaceId, body.profileId)).profile._id;
  }
  const { type, value } = body.identifier!;
  const found = await profiles.byIdentifier(workspaceId, type, value, {
    type: ['identifier', 'type'],
    value: ['identifier', 'value'],
  });
  if (!found) {
    throw new HttpError(404, 'profile_not_found', 'nobody in this workspace has that identifier');
  }
  return found.profile._id;
}
