import { fileURLToPath } from 'node:url';

import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';

import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);

const mongo = await MongoClient.connect(config.MONGODB_URL, { serverSelectionTimeoutMS: 10_000 });
const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });

const studioDist =
  config.STUDIO_DIST ?? fileURLToPath(new URL('../../studio/dist', import.meta.url));
const app = createApp({
  db: mongo.db(config.MONGODB_DB),
  temporal,
  temporalNamespace: config.TEMPORAL_NAMESPACE,
  log,
  studioDist,
});

const server = app.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log.info({ host: config.HOST, port }, 'api listening');
});
// A file import streams for as long as its upload takes; Node's default cuts it at 5 minutes.
// Slow-header clients are still cut off by `headersTimeout`.
server.requestTimeout = 0;

async function shutdown(signal: string): Promise<void> {
  log.info({ signal }, 'api stopping');
  server.close();
  await connection.close();
  await mongo.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
