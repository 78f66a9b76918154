import { fileURLToPath } from 'node:url';

import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
} from '@temporalio/worker';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';

import { journeyTaskQueue, type Journeys } from '@junction/server/journeys';

import { ensureSearchAttributes } from '../../workers/src/search-attributes.js';
import { wireActivities } from '../../workers/src/wire-activities.js';
import type { BaselineActivities } from './baseline-workflow.js';

/** Activity calls made since the last `take`, by kind. */
export interface ActivityCounts {
  remote: number;
  local: number;
  byName: Record<string, number>;
}

export interface BenchWorker {
  /** The same journey entry the worker's activities use, for entering people directly. */
  journeys: Journeys;
  /** Returns the calls counted since the previous call and starts counting afresh. */
  takeCounts(): ActivityCounts;
  stop(): Promise<void>;
}

type AnyActivity = (...args: never[]) => Promise<unknown>;

/** Wraps every activity to count its calls, telling local activities from task-queue ones. */
function counted<T extends Record<string, AnyActivity>>(activities: T, counts: ActivityCounts): T {
  const wrapped: Record<string, AnyActivity> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = (...args) => {
      if (Context.current().info.isLocal) counts.local++;
      else counts.remote++;
      counts.byName[name] = (counts.byName[name] ?? 0) + 1;
      return activity(...args);
    };
  }
  return wrapped as T;
}

/**
 * The journey worker as `workers/src/main.ts` builds it (real activities, default worker
 * options), in this process, with the baseline workflow and its no-op activity bundled in.
 */
export async function startBenchWorker(deps: {
  db: Db;
  temporal: Client;
  temporalAddress: string;
  log: Logger;
}): Promise<BenchWorker> {
  const { db, temporal, log } = deps;
  // As the worker entry point does: the SDK's own chatter only from warnings up.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: deps.temporalAddress });
  await ensureSearchAttributes(connection, 'default', log);
  const { activities: real, journeys } = wireActivities({ db, temporal, log });
  const baseline: BaselineActivities = { benchNoop: () => Promise.resolve() };
  const counts: ActivityCounts = { remote: 0, local: 0, byName: {} };
  const activities = counted({ ...real, ...baseline }, counts);
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./journey-bench-workflows.ts', import.meta.url)),
    logger: Runtime.instance().logger,
  });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: journeyTaskQueue(),
    workflowBundle,
    activities,
  });
  const running = worker.run();
  return {
    journeys,
    takeCounts() {
      const taken = { ...counts, byName: { ...counts.byName } };
      counts.remote = 0;
      counts.local = 0;
      counts.byName = {};
      return taken;
    },
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
