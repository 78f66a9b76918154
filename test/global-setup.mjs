import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { FERRETDB_BIN, TEMPORAL_BIN } from '../scripts/lib/paths.mjs';
import { startPostgres } from '../scripts/lib/postgres.mjs';
import { freePort, startFerretdb, startTemporal } from '../scripts/lib/services.mjs';

/**
 * Every test run gets its own FerretDB, Temporal and PostgreSQL on free ports with throwaway
 * data, never a stack someone left running. Tools are installed by `npm test` before jest starts.
 */
export default async function globalSetup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'junction-test-'));
  // As root, PostgreSQL runs as the postgres user, who must be able to enter (not list) the dir.
  chmodSync(dir, 0o711);
  const [mongo, temporal, postgres] = await Promise.all([
    startFerretdb({
      bin: FERRETDB_BIN,
      port: await freePort(),
      dataDir: path.join(dir, 'ferretdb'),
      logFile: path.join(dir, 'ferretdb.log'),
    }),
    startTemporal({
      bin: TEMPORAL_BIN,
      port: await freePort(),
      httpPort: await freePort(),
      dbFile: path.join(dir, 'temporal.db'),
      logFile: path.join(dir, 'temporal.log'),
    }),
    startPostgres({
      binDir: process.env.JUNCTION_POSTGRES_BIN_DIR,
      dataDir: path.join(dir, 'postgres'),
      port: await freePort(),
      logFile: path.join(dir, 'postgres.log'),
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    }),
  ]);
  process.env.JUNCTION_TEST_DIR = dir;
  process.env.JUNCTION_TEST_MONGODB_URL = mongo.url;
  process.env.JUNCTION_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.JUNCTION_TEST_POSTGRES_URL = postgres.url;
  globalThis.__junctionServices = [mongo, temporal, postgres];
}
