import { Router } from 'express';
import type { Db } from 'mongodb';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

import { journeyTaskQueue } from '../journeys/task-queue.js';

interface Check {
  ok: boolean;
  latencyMs: number;
  error?: string;
  [detail: string]: unknown;
}

/** A dependency that does not answer within this long counts as down. */
const CHECK_TIMEOUT_MS = 3_000;

async function timed(fn: () => Promise<Record<string, unknown> | void>): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    const detail = (await Promise.race([fn(), timeout])) ?? {};
    return { ok: true, latencyMs: Math.round(performance.now() - started), ...detail };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: (error as Error).message,
    };
  } finally {
    clearTimeout(timer);
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
        // The deadline bounds the call and its retries when the cluster hangs rather than refuses.
        const response = await client.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
          client.workflowService.describeTaskQueue({
            namespace,
            taskQueue: { name: journeyTaskQueue() },
            taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
          }),
        );
        return { workers: response.pollers?.length ?? 0 };
      }),
    ]);
    const ok = mongodb.ok && temporalCheck.ok;
    res.status(ok ? 200 : 503).json({ ok, mongodb, temporal: temporalCheck });
  });
  return router;
}
