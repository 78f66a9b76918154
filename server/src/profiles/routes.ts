import { Router } from 'express';
import { z } from 'zod';

import { MESSAGE_TYPES, type MessageType } from '@junction/core';

import { requireWorkspace } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/parse.js';
import type { MergeHistory } from './merge-history.js';
import { BeforeParam, CursorParam, PageLimit } from './page.js';
import type { ProfileReader } from './profile-reader.js';
import { eventView, mergeSummary, profileView } from './profile-views.js';
import type { SegmentHistory } from './segment-history.js';

const ProfileParams = z.object({ id: z.string().min(1).max(100) });
const LookupQuery = z.object({
  type: z.string().min(1).max(40),
  value: z.string().min(1).max(1000),
});
const TimelineQuery = z.object({
  limit: PageLimit,
  before: BeforeParam.optional(),
  type: z.enum(MESSAGE_TYPES as readonly [MessageType, ...MessageType[]]).optional(),
  event: z.string().min(1).max(200).optional(),
});
const HistoryQuery = z.object({ limit: PageLimit, before: BeforeParam.optional() });
const SearchQuery = z
  .object({
    trait: z.string().min(1).max(256).optional(),
    value: z.string().max(1000).optional(),
    identifier: z
      .string()
      .max(1300)
      .regex(/^[^:]+:.+$/, 'expected type:value, e.g. email:ada@example.com')
      .optional(),
    limit: PageLimit,
    after: CursorParam.optional(),
  })
  .superRefine((query, ctx) => {
    const issue = (path: string, code: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message, params: { code } });
    if (query.identifier !== undefined && query.trait !== undefined) {
      issue('identifier', 'conflicting_search', 'search by trait or by identifier, not both');
    } else if (query.identifier === undefined && query.trait === undefined) {
      issue('trait', 'missing_search', 'send trait and value, or identifier');
    } else if (query.trait !== undefined && query.value === undefined) {
      issue('value', 'missing_value', 'a trait search needs the value to match');
    }
  });

/**
 * Profiles: lookup by identifier, one profile, its timeline, merges and segments, search by
 * trait.
 */
export function profileRoutes(
  profiles: ProfileReader,
  merges: MergeHistory,
  segments: SegmentHistory,
): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const workspaceId = requireWorkspace(req);
    const query = parseInput(SearchQuery, req.query);
    if (query.identifier !== undefined) {
      const split = query.identifier.indexOf(':');
      const path = ['identifier'];
      const found = await profiles.byIdentifier(
        workspaceId,
        query.identifier.slice(0, split),
        query.identifier.slice(split + 1),
        { type: path, value: path },
      );
      res.json({ profiles: found ? [profileView(found.profile)] : [], next: null });
      return;
    }
    const page = await profiles.searchByTrait(workspaceId, {
      name: query.trait!,
      value: query.value!,
      limit: query.limit,
      after: query.after,
    });
    res.json({ profiles: page.items.map((doc) => profileView(doc)), next: page.next });
  });

  router.get('/lookup', async (req, res) => {
    const { type, value } = parseInput(LookupQuery, req.query);
    const found = await profiles.byIdentifier(requireWorkspace(req), type, value);
    if (!found) {
      throw new HttpError(404, 'profile_not_found', 'nobody in this workspace has that identifier');
    }
    res.json({ profile: profileView(found.profile), identifier: found.identifier });
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseInput(ProfileParams, req.params);
    const { profile, resolvedFrom } = await profiles.live(requireWorkspace(req), id);
    res.json({ profile: profileView(profile, resolvedFrom) });
  });

  router.get('/:id/events', async (req, res) => {
    const { id } = parseInput(ProfileParams, req.params);
    const query = parseInput(TimelineQuery, req.query);
    const workspaceId = requireWorkspace(req);
    const { profile } = await profiles.live(workspaceId, id);
    const page = await profiles.timeline(workspaceId, profile, query);
    res.json({ profileId: profile._id, events: page.items.map(eventView), next: page.next });
  });

  router.get('/:id/merges', async (req, res) => {
    const { id } = parseInput(ProfileParams, req.params);
    const query = parseInput(HistoryQuery, req.query);
    const workspaceId = requireWorkspace(req);
    const { profile } = await profiles.live(workspaceId, id);
    const page = await merges.list(workspaceId, {
      ...query,
      profileIds: [profile._id, ...(profile.mergedFrom ?? [])],
    });
    res.json({ profileId: profile._id, merges: page.items.map(mergeSummary), next: page.next });
  });

  router.get('/:id/segments', async (req, res) => {
    const { id } = parseInput(ProfileParams, req.params);
    const query = parseInput(HistoryQuery, req.query);
    const workspaceId = requireWorkspace(req);
    const { profile } = await profiles.live(workspaceId, id);
    const [current, history] = await Promise.all([
      segments.current(workspaceId, profile),
      segments.changes(workspaceId, profile, query),
    ]);
    res.json({
      profileId: profile._id,
      segments: current,
      history: history.items,
      next: history.next,
    });
  });

  return router;
}
