import express, { Router } from 'express';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import { z } from 'zod';

import { ConnectorDefinition } from '@junction/core';
import { connectorCollection } from '@junction/core/store';

import { requireWorkspace } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/parse.js';
import type { Logger } from '../logger.js';
import { ConnectorSchedules } from './connector-schedules.js';
import { ConnectorStore } from './connector-store.js';
import { connectorSummary, connectorView } from './connector-view.js';
import { connectorTaskQueue } from './task-queue.js';

const ConnectorParams = z.object({ id: z.string().min(1).max(64) });
const UpdateConnector = z.object({ status: z.enum(['active', 'paused']) });

export interface ConnectorRouteDeps {
  db: Db;
  temporal: Client;
  log: Logger;
  taskQueue?: string;
}

function temporalDown(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ScheduleNotFoundError) {
    return new HttpError(409, 'schedule_not_found', 'the connector has no Temporal schedule');
  }
  return new HttpError(503, 'temporal_unavailable', 'Temporal did not answer; retry', [], {
    cause: error,
  });
}

/** Database pull connectors: definitions, their Temporal schedules, and run-now. */
export function connectorRoutes(deps: ConnectorRouteDeps): Router {
  const store = new ConnectorStore(connectorCollection(deps.db));
  const schedules = new ConnectorSchedules(deps.temporal, deps.taskQueue ?? connectorTaskQueue());
  const router = Router();
  router.use(express.json({ limit: '256kb' }));

  router.get('/', async (req, res) => {
    const connectors = await store.list(requireWorkspace(req));
    res.json({ connectors: connectors.map(connectorSummary) });
  });

  router.post('/', async (req, res) => {
    const definition = parseInput(ConnectorDefinition, req.body);
    const workspaceId = requireWorkspace(req);
    const doc = await store.create(workspaceId, definition);
    try {
      await schedules.create(doc);
    } catch (error) {
      // Nothing half-written: a connector exists only with its schedule.
      await store.remove(workspaceId, doc._id);
      throw error;
    }
    deps.log.info({ workspaceId, connectorId: doc._id }, 'connector created');
    res.status(201).json({ connector: connectorView(doc) });
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseInput(ConnectorParams, req.params);
    res.json({ connector: connectorView(await store.get(requireWorkspace(req), id)) });
  });

  router.post('/:id/run', async (req, res) => {
    const { id } = parseInput(ConnectorParams, req.params);
    const workspaceId = requireWorkspace(req);
    await store.get(workspaceId, id);
    await schedules.trigger(workspaceId, id).catch((error: unknown) => {
      throw temporalDown(error);
    });
    res.status(202).json({ triggered: true });
  });

  router.patch('/:id', async (req, res) => {
    const { id } = parseInput(ConnectorParams, req.params);
    const { status } = parseInput(UpdateConnector, req.body);
    const workspaceId = requireWorkspace(req);
    await store.get(workspaceId, id);
    const change =
      status === 'paused' ? schedules.pause(workspaceId, id) : schedules.resume(workspaceId, id);
    await change.catch((error: unknown) => {
      throw temporalDown(error);
    });
    const doc = await store.setStatus(workspaceId, id, status);
    res.json({ connector: connectorView(doc) });
  });

  router.delete('/:id', async (req, res) => {
    const { id } = parseInput(ConnectorParams, req.params);
    const workspaceId = requireWorkspace(req);
    await store.get(workspaceId, id);
    await schedules.delete(workspaceId, id).catch((error: unknown) => {
      throw temporalDown(error);
    });
    await store.remove(workspaceId, id);
    deps.log.info({ workspaceId, connectorId: id }, 'connector deleted');
    res.status(204).end();
  });

  return router;
}
