import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { FERRETDB_BIN, TEMPORAL_BIN } from '../../scripts/lib/paths.mjs';
import {
  freePort,
  startFerretdb,
  startTemporal,
  type ServiceHandle,
} from '../../scripts/lib/services.mjs';

export interface BenchStack {
  mongoUrl: string;
  temporalAddress: string;
  /** Where the servers come from, for the report. */
  describe: string;
  /** Directory with the started services' data and logs; undefined when nothing was started. */
  dir: string | undefined;
  /** Stops what this stack started; keeps `dir` (for its logs) when `keepData` is set. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** Starts the services that have no address yet, both at once, recording each in `started`. */
async function startLocal(
  dir: string,
  need: { mongo: boolean; temporal: boolean },
  started: ServiceHandle[],
) {
  const ferret = need.mongo
    ? startFerretdb({
        bin: FERRETDB_BIN,
        port: await freePort(),
        dataDir: path.join(dir, 'ferretdb'),
        logFile: path.join(dir, 'ferretdb.log'),
      })
    : undefined;
  const temporal = need.temporal
    ? startTemporal({
        bin: TEMPORAL_BIN,
        port: await freePort(),
        httpPort: await freePort(),
        dbFile: path.join(dir, 'temporal.db'),
        logFile: path.join(dir, 'temporal.log'),
      })
    : undefined;
  // Wait for both, so that when one fails the other is still recorded and stopped.
  const [mongo, temporalResult] = await Promise.allSettled([ferret, temporal]);
  for (const result of [mongo, temporalResult]) {
    if (result.status === 'fulfilled' && result.value) started.push(result.value);
  }
  if (mongo.status === 'rejected') throw mongo.reason;
  if (temporalResult.status === 'rejected') throw temporalResult.reason;
  return { mongoUrl: mongo.value?.url, temporalAddress: temporalResult.value?.address };
}

/**
 * FerretDB and Temporal for one bench run, on free ports with throwaway data, unless
 * `MONGODB_URL` / `TEMPORAL_ADDRESS` point at servers to use instead.
 */
export async function startBenchStack(log: (line: string) => void): Promise<BenchStack> {
  const envMongo = process.env.MONGODB_URL;
  const envTemporal = process.env.TEMPORAL_ADDRESS;
  const started: ServiceHandle[] = [];
  let dir: string | undefined;
  const stop = async ({ keepData = false } = {}): Promise<void> => {
    await Promise.allSettled(started.map((service) => service.stop()));
    started.length = 0;
    if (dir && !keepData) rmSync(dir, { recursive: true, force: true });
  };

  try {
    let local: { mongoUrl?: string | undefined; temporalAddress?: string | undefined } = {};
    if (!envMongo || !envTemporal) {
      dir = mkdtempSync(path.join(os.tmpdir(), 'junction-bench-'));
      const names = [!envMongo && 'FerretDB', !envTemporal && 'Temporal'].filter(Boolean);
      log(`starting ${names.join(' and ')} in ${dir}`);
      local = await startLocal(dir, { mongo: !envMongo, temporal: !envTemporal }, started);
    }
    return {
      mongoUrl: envMongo || local.mongoUrl!,
      temporalAddress: envTemporal || local.temporalAddress!,
      describe: [
        envMongo ? 'MongoDB from MONGODB_URL' : 'FerretDB (local, SQLite)',
        envTemporal ? 'Temporal from TEMPORAL_ADDRESS' : 'Temporal dev server (local)',
      ].join(', '),
      dir,
      stop,
    };
  } catch (error) {
    await stop({ keepData: true });
    throw error;
  }
}
