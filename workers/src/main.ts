import { fileURLToPath } from 'node:url';

import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { MongoClient } from 'mongodb';

import { JOURNEY_TASK_QUEUE } from '@junction/core';
import { collections } from '@junction/core/store';

import { createActivities } from './activities/index.js';
import { createLogger } from './logger.js';
import { ensureSearchAttributes } from './search-attributes.js';

const env = {
  mongodbUrl: process.env.MONGODB_URL ?? 'mongodb://127.0.0.1:27017/',
  mongodbDb: process.env.MONGODB_DB ?? 'junction',
  temporalAddress: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
  namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
};
const log = createLogger();
Runtime.install({ logger: new DefaultLogger('WARN') });

const mongo = await MongoClient.connect(env.mongodbUrl, { serverSelectionTimeoutMS: 10_000 });
const connection = await NativeConnection.connect({ address: env.temporalAddress });
await ensureSearchAttributes(connection, env.namespace, log);

const worker = await Worker.create({
  connection,
  namespace: env.namespace,
  taskQueue: JOURNEY_TASK_QUEUE,
  workflowsPath: fileURLToPath(import.meta.resolve('@junction/workflows')),
  activities: createActivities({ db: collections(mongo.db(env.mongodbDb)), log }),
});

log.info({ taskQueue: JOURNEY_TASK_QUEUE, namespace: env.namespace }, 'worker started');
try {
  await worker.run();
} finally {
  await connection.close();
  await mongo.close();
  log.info('worker stopped');
}
