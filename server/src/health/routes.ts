import { Router } from 'express';
import type { Db } from 'mongodb';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

import { JOURNEY_TASK_QUEUE } from '@junction/core';

interface Check {
  ok: boolean;
  latencyMs: number;
  error?: string;
  [detail: string]: unknown;
}

async function timed(fn: () => Promise<Record<string, unknown> | void>): Promise<Check> {
  const started = performance.now();
  try {
    const detail = (await fn()) ?? {};
    return { ok: true, latencyMs: Math.round(performance.now() - started), ...detail };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: (error as Error).message,
    };
  }
}

/**
 * `GET /health`: MongoDB and Temporal reachability, and how many workers poll the journey task
 * queue (zero pollers means journeys will not advance). 200 when all are healthy, else 503.
 */
export function healthRoutes(db: Db, client: Client, namespace: string): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const [mongodb, temporalCheck] = await Promise.all([
      timed(async () => {
        await db.command({ ping: 1 });
      }),
      timed(async () => {
        const response = await client.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: JOURNEY_TASK_QUEUE },
          taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        });
        return { workers: response.pollers?.length ?? 0 };
      }),
    ]);
    const ok = mongodb.ok && temporalCheck.ok;
    res.status(ok ? 200 : 503).json({ ok, mongodb, temporal: temporalCheck });
  });
  return router;
}
