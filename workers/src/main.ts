import { fileURLToPath } from 'node:url';

import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
} from '@temporalio/worker';
import { MongoClient } from 'mongodb';

import { audienceTaskQueue } from '@junction/server/audience';
import { connectorTaskQueue } from '@junction/server/connectors';
import { journeyTaskQueue } from '@junction/server/journeys';

import { createLogger } from './logger.js';
import { ensureSearchAttributes } from './search-attributes.js';
import { wireActivities } from './wire-activities.js';

const env = {
  mongodbUrl: process.env.MONGODB_URL ?? 'mongodb://127.0.0.1:27017/',
  mongodbDb: process.env.MONGODB_DB ?? 'junction',
  temporalAddress: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
  namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
  /** Which queues this process serves: `journeys`, `connectors`, `audience` (all by default). */
  roles: (process.env.JUNCTION_WORKER_ROLES ?? 'journeys,connectors,audience')
    .split(',')
    .map((r) => r.trim()),
};
const log = createLogger();
Runtime.install({ logger: new DefaultLogger('WARN') });

const mongo = await MongoClient.connect(env.mongodbUrl, { serverSelectionTimeoutMS: 10_000 });
const connection = await NativeConnection.connect({ address: env.temporalAddress });
await ensureSearchAttributes(connection, env.namespace, log);
// Connector runs ingest rows, and ingestion starts journey runs through a Temporal client.
const clientConnection = await Connection.connect({ address: env.temporalAddress });
const temporal = new Client({ connection: clientConnection, namespace: env.namespace });

const db = mongo.db(env.mongodbDb);
const { activities } = wireActivities({ db, temporal, log });
const queueOf: Record<string, string> = {
  journeys: journeyTaskQueue(),
  connectors: connectorTaskQueue(),
  audience: audienceTaskQueue(),
};
const taskQueues = env.roles.map((role) => {
  const queue = queueOf[role];
  if (!queue) throw new Error(`JUNCTION_WORKER_ROLES: unknown role "${role}"`);
  return queue;
});
// Bundled once for every queue's worker.
const workflowBundle = await bundleWorkflowCode({
  workflowsPath: fileURLToPath(import.meta.resolve('@junction/workflows')),
  logger: Runtime.instance().logger,
});
const workers = await Promise.all(
  taskQueues.map((taskQueue) =>
    Worker.create({ connection, namespace: env.namespace, taskQueue, workflowBundle, activities }),
  ),
);

log.info({ taskQueues, namespace: env.namespace }, 'worker started');
// One worker stopping (a signal, or a fatal error) stops the others, so the process exits.
const stopAll = () =>
  workers.forEach((worker) => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  });
try {
  await Promise.all(workers.map((worker) => worker.run().finally(stopAll)));
} finally {
  await clientConnection.close();
  await connection.close();
  await mongo.close();
  log.info('worker stopped');
}
