import type { Router } from 'express';
import type { Collection } from 'mongodb';
import { z } from 'zod';

import {
  AudienceKey,
  dependentsOf,
  readsOf,
  transitiveDependentsOf,
  type SegmentDefinition,
  type TagDefinition,
} from '@junction/core';
import type { AudienceJobDoc, AudienceObjectDoc } from '@junction/core/store';

import { requireActor, requireWorkspace } from '../http/auth.js';
import { invalidInput } from '../http/errors.js';
import { parseInput } from '../http/parse.js';
import type { AudienceCatalog } from './audience-catalog.js';
import type { ChangeResult, DefinitionChanges } from './definition-changes.js';
import type { DefinitionStore } from './definition-store.js';
import { jobView, versionSummary, versionView } from './definition-views.js';

export interface DefinitionRouteDeps<D extends TagDefinition | SegmentDefinition> {
  schema: z.ZodType<D>;
  store: DefinitionStore<D>;
  changes: DefinitionChanges<D>;
  catalog: AudienceCatalog;
  jobs: Collection<AudienceJobDoc>;
  view(doc: AudienceObjectDoc<D>): object;
  /** Facts only one kind has, added to `GET /:key` (a segment's size). */
  details?(workspaceId: string, doc: AudienceObjectDoc<D>): Promise<Record<string, unknown>>;
}

const KeyParams = z.object({ key: AudienceKey });
const VersionParams = KeyParams.extend({ version: z.coerce.number().int().positive() });
const ExpectedVersion = z.number().int().min(0);
const ChangeOptions = z.object({ expectedVersion: ExpectedVersion.optional() });
const DeleteQuery = z.object({ expectedVersion: z.coerce.number().int().min(0).optional() });
const Rollback = z.strictObject({
  version: z.number().int().positive(),
  expectedVersion: ExpectedVersion.optional(),
});
const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional(),
});

/**
 * The routes tags and segments share: read, change, delete, version history, rollback and
 * lineage. `POST /` is the only way to create; `PUT /:key` changes an existing key.
 */
export function addDefinitionRoutes<D extends TagDefinition | SegmentDefinition>(
  router: Router,
  deps: DefinitionRouteDeps<D>,
): void {
  addReadRoutes(router, deps);
  addChangeRoutes(router, deps);
}

function addReadRoutes<D extends TagDefinition | SegmentDefinition>(
  router: Router,
  deps: DefinitionRouteDeps<D>,
): void {
  const { kind } = deps.store;

  router.get('/:key', async (req, res) => {
    const { key } = parseInput(KeyParams, req.params);
    const workspaceId = requireWorkspace(req);
    const doc = await deps.store.get(workspaceId, key);
    const [sources, job, details] = await Promise.all([
      deps.catalog.load(workspaceId),
      latestJob(deps.jobs, workspaceId, `${kind}:${key}`),
      deps.details?.(workspaceId, doc),
    ]);
    res.json({
      [kind]: deps.view(doc),
      ...details,
      reads: readsOf(doc.definition),
      dependents: dependentsOf({ kind, key }, sources),
      backfill: job && jobView(job),
    });
  });

  router.get('/:key/versions', async (req, res) => {
    const { key } = parseInput(KeyParams, req.params);
    const query = parseInput(HistoryQuery, req.query);
    const page = await deps.store.history(requireWorkspace(req), key, query);
    res.json({ key, versions: page.versions.map(versionSummary), next: page.next });
  });

  router.get('/:key/versions/:version', async (req, res) => {
    const { key, version } = parseInput(VersionParams, req.params);
    res.json(versionView(await deps.store.version(requireWorkspace(req), key, version)));
  });

  router.get('/:key/lineage', async (req, res) => {
    const { key } = parseInput(KeyParams, req.params);
    const workspaceId = requireWorkspace(req);
    const doc = await deps.store.get(workspaceId, key);
    const sources = await deps.catalog.load(workspaceId);
    res.json({
      key,
      reads: readsOf(doc.definition),
      readBy: dependentsOf({ kind, key }, sources),
      downstream: transitiveDependentsOf({ kind, key }, sources),
    });
  });
}

function addChangeRoutes<D extends TagDefinition | SegmentDefinition>(
  router: Router,
  deps: DefinitionRouteDeps<D>,
): void {
  const answer = (result: ChangeResult<D>) => ({
    [deps.store.kind]: deps.view(result.head),
    version: versionView(result.version),
    changed: result.written,
    dependents: result.dependents,
    backfill: result.backfill && jobView(result.backfill),
  });

  router.post('/', async (req, res) => {
    const definition = parseInput(deps.schema, req.body);
    const result = await deps.changes.create(requireWorkspace(req), definition, requireActor(req));
    res.status(201).json(answer(result));
  });

  router.put('/:key', async (req, res) => {
    const { key } = parseInput(KeyParams, req.params);
    const { definition, expectedVersion } = changeBody(deps.schema, key, req.body);
    const workspaceId = requireWorkspace(req);
    const result = await deps.changes.update(
      workspaceId,
      definition,
      requireActor(req),
      expectedVersion,
    );
    res.json(answer(result));
  });

  router.delete('/:key', async (req, res) => {
    const { key } = parseInput(KeyParams, req.params);
    const { expectedVersion } = parseInput(DeleteQuery, req.query);
    const workspaceId = requireWorkspace(req);
    const result = await deps.changes.remove(workspaceId, key, requireActor(req), expectedVersion);
    res.json({ deleted: true, version: versionView(result.version) });
  });

  router.post('/:key/rollback', async (req, res) => {
    const { key } = parseInput(KeyParams, req.params);
    const body = parseInput(Rollback, req.body);
    const workspaceId = requireWorkspace(req);
    const author = requireActor(req);
    const result = await deps.changes.rollback(
      workspaceId,
      key,
      body.version,
      author,
      body.expectedVersion,
    );
    res.json(answer(result));
  });
}

/** A changed definition: the key comes from the path, so the body may leave it out. */
function changeBody<D>(
  schema: z.ZodType<D>,
  key: string,
  body: unknown,
): { definition: D; expectedVersion: number | undefined } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidInput([{ code: 'invalid_type', path: [], message: 'send a JSON object' }]);
  }
  const { expectedVersion, ...rest } = body as Record<string, unknown>;
  if (rest.key !== undefined && rest.key !== key) {
    const message = 'the key cannot change; create a new definition instead';
    throw invalidInput([{ code: 'key_mismatch', path: ['key'], message }]);
  }
  const options = parseInput(ChangeOptions, { expectedVersion });
  const definition = parseInput(schema, { ...rest, key });
  return { definition, expectedVersion: options.expectedVersion };
}

async function latestJob(
  jobs: Collection<AudienceJobDoc>,
  workspaceId: string,
  target: string,
): Promise<AudienceJobDoc | null> {
  const [job] = await jobs.find({ workspaceId, target }).sort({ startedAt: -1 }).limit(1).toArray();
  return job ?? null;
}
