import type { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';

import { Router } from 'express';
import type { Db } from 'mongodb';

import { requireWorkspace } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/parse.js';
import type { Logger } from '../logger.js';
import { ErrorsQuery, readImportRequest } from './import-request.js';
import {
  ImportRunner,
  type IdentitySettingsSource,
  type MessageSink,
  type RunnerOptions,
} from './import-runner.js';
import { ImportStore, importView } from './import-store.js';
import { byteCounter, chain, sourceRows } from './read-rows.js';

/** Failures caused by the file itself, answered with 400 rather than treated as ours. */
const CLIENT_FAILURES = new Set(['invalid_csv', 'duplicate_column', 'invalid_gzip']);

/**
 * File imports under `/v1/imports`, behind API-key auth. The upload is read as it arrives and
 * the answer comes once the whole file is imported; meanwhile `GET /v1/imports/:id` shows the
 * job's progress (its id is in the `Location` header and in the list of imports).
 */
export function importRoutes(
  db: Db,
  sink: MessageSink,
  settings: IdentitySettingsSource,
  log: Logger,
  options: Partial<RunnerOptions> = {},
): Router {
  const store = new ImportStore(db);
  const runner = new ImportRunner(store, sink, settings, log, options);
  const router = Router();

  router.post('/', async (req, res) => {
    const workspaceId = requireWorkspace(req);
    const request = readImportRequest(req.query, req.headers);
    const { kind, format, mapping } = request;
    const job = await store.create(workspaceId, { kind, format, mapping });
    let bytes = 0;
    const steps: Transform[] = [byteCounter((n) => (bytes += n))];
    if (request.gzip) steps.push(createGunzip());
    const rows = sourceRows(chain(req, ...steps), format, request.delimiter);
    res.setHeader('Location', `/v1/imports/${job._id}`);
    try {
      await runner.run(job, rows, () => bytes);
    } catch (error) {
      if (!job.failure || !CLIENT_FAILURES.has(job.failure.code)) throw error;
      const { code, message } = job.failure;
      const issues = [{ code, path: ['body'], message }];
      res.status(400).json({ error: { code, message, issues }, import: importView(job) });
      return;
    }
    res.status(201).json({ import: importView(job) });
  });

  router.get('/', async (req, res) => {
    const jobs = await store.list(requireWorkspace(req), 50);
    res.json({ imports: jobs.map((job) => importView(job)) });
  });

  router.get('/:id', async (req, res) => {
    const job = await store.get(requireWorkspace(req), req.params.id);
    if (!job) throw new HttpError(404, 'not_found', 'no such import');
    res.json({ import: importView(job) });
  });

  router.get('/:id/errors', async (req, res) => {
    const query = parseInput(ErrorsQuery, req.query);
    const job = await store.get(requireWorkspace(req), req.params.id);
    if (!job) throw new HttpError(404, 'not_found', 'no such import');
    const page = await store.errors(job, query.after, query.limit);
    res.json({ ...page, rejectedRows: job.counts.rejected, stored: job.errorsStored });
  });

  return router;
}
