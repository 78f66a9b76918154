import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { FERRETDB_BIN, TEMPORAL_BIN } from '../scripts/lib/paths.mjs';
import { freePort, startFerretdb, startTemporal } from '../scripts/lib/services.mjs';

/**
 * Every test run gets its own FerretDB and Temporal on free ports with throwaway data, never a
 * stack someone left running. Tools are installed by `npm test` before jest starts.
 */
export default async function globalSetup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'junction-test-'));
  const [mongo, temporal] = await Promise.all([
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
  ]);
  process.env.JUNCTION_TEST_DIR = dir;
  process.env.JUNCTION_TEST_MONGODB_URL = mongo.url;
  process.env.JUNCTION_TEST_TEMPORAL_ADDRESS = temporal.address;
  globalThis.__junctionServices = [mongo, temporal];
}
