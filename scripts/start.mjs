#!/usr/bin/env node
// `npm start`: installs what is missing, starts FerretDB, Temporal, the API (which serves the
// studio) and a worker, waits until each is healthy, prints the URLs, and stops it all on Ctrl-C.
// Data lives in .data/ and survives restarts. MONGODB_URL / TEMPORAL_ADDRESS use existing servers.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

import { DATA_DIR, ROOT } from './lib/paths.mjs';
import { run, step } from './lib/run.mjs';
import { portOpen, startFerretdb, startService, startTemporal } from './lib/services.mjs';
import { ensureFerretdb, ensureNodeModules, ensureTemporal } from './lib/tools.mjs';

const env = process.env;
const ports = {
  api: Number(env.PORT ?? 4000),
  mongo: Number(env.JUNCTION_FERRETDB_PORT ?? 27017),
  temporal: Number(env.JUNCTION_TEMPORAL_PORT ?? 7233),
  temporalHttp: Number(env.JUNCTION_TEMPORAL_HTTP_PORT ?? 7243),
  temporalUi: Number(env.JUNCTION_TEMPORAL_UI_PORT ?? 8233),
};
const LOGS = path.join(DATA_DIR, 'logs');
const services = [];
let stopping = false;

async function requireFreePort(port, what, variable) {
  if (await portOpen(port)) {
    throw new Error(
      `port ${port} (${what}) is already in use: stop what holds it, or set ${variable}`,
    );
  }
}

function newestMtime(target) {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...readdirSync(target).map((name) => newestMtime(path.join(target, name))),
  );
}

function buildStudioIfStale() {
  const studio = path.join(ROOT, 'studio');
  const built = path.join(studio, 'dist', 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((name) =>
    path.join(studio, name),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  step('building the studio');
  run('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: studio });
}

function node(script, extraEnv) {
  return {
    cmd: process.execPath,
    args: ['--import', 'tsx', path.join(ROOT, script)],
    env: extraEnv,
  };
}

/** The local workspace's keys, kept in .data so restarts print the same keys. */
function localWorkspace(appEnv) {
  const file = path.join(DATA_DIR, 'local-workspace.json');
  const target = `${appEnv.MONGODB_URL}#${appEnv.MONGODB_DB}`;
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    if (saved.target === target) return saved;
  }
  step('creating a local workspace');
  const output = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'server/src/cli/create-workspace.ts'),
      '--name',
      'Local workspace',
      '--json',
    ],
    { cwd: ROOT, env: { ...env, ...appEnv }, encoding: 'utf8' },
  );
  const workspace = { ...JSON.parse(output), target };
  writeFileSync(file, JSON.stringify(workspace, null, 2));
  chmodSync(file, 0o600);
  return workspace;
}

async function apiHealthy() {
  const response = await fetch(`http://127.0.0.1:${ports.api}/health`);
  if (!response.ok) return false;
  const health = await response.json();
  return health.ok && health.temporal.workers > 0;
}

async function main() {
  mkdirSync(LOGS, { recursive: true });
  ensureNodeModules();
  const mongodbUrl = env.MONGODB_URL;
  const temporalAddress = env.TEMPORAL_ADDRESS;
  const ferretdbBin = mongodbUrl ? null : ensureFerretdb();
  const temporalBin = temporalAddress ? null : ensureTemporal();
  buildStudioIfStale();

  await requireFreePort(ports.api, 'API', 'PORT');
  const starting = [];
  if (ferretdbBin) {
    await requireFreePort(ports.mongo, 'FerretDB', 'JUNCTION_FERRETDB_PORT');
    step(`starting FerretDB on :${ports.mongo}`);
    starting.push(
      startFerretdb({
        bin: ferretdbBin,
        port: ports.mongo,
        dataDir: path.join(DATA_DIR, 'ferretdb'),
        logFile: path.join(LOGS, 'ferretdb.log'),
      }),
    );
  }
  if (temporalBin) {
    await requireFreePort(ports.temporal, 'Temporal', 'JUNCTION_TEMPORAL_PORT');
    step(`starting Temporal on :${ports.temporal}`);
    starting.push(
      startTemporal({
        bin: temporalBin,
        port: ports.temporal,
        httpPort: ports.temporalHttp,
        uiPort: ports.temporalUi,
        dbFile: path.join(DATA_DIR, 'temporal.db'),
        logFile: path.join(LOGS, 'temporal.log'),
      }),
    );
  }
  const started = await Promise.all(starting);
  services.push(...started);
  const appEnv = {
    MONGODB_URL: mongodbUrl ?? started.find((s) => s.url)?.url,
    MONGODB_DB: env.MONGODB_DB ?? 'junction',
    TEMPORAL_ADDRESS: temporalAddress ?? started.find((s) => s.address)?.address,
    PORT: String(ports.api),
    HOST: env.HOST ?? '127.0.0.1',
  };

  step('starting the worker and the API');
  const worker = node('workers/src/main.ts', appEnv);
  services.push(
    await startService({
      name: 'worker',
      ...worker,
      cwd: ROOT,
      logFile: path.join(LOGS, 'worker.log'),
      ready: async () => true,
    }),
  );
  const api = node('server/src/main.ts', appEnv);
  services.push(
    await startService({
      name: 'API',
      ...api,
      cwd: ROOT,
      logFile: path.join(LOGS, 'api.log'),
      ready: apiHealthy,
    }),
  );

  for (const service of services) {
    service.child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(
        `\n${service.name} stopped unexpectedly (${signal ?? code}); see ${service.logFile}`,
      );
      void shutdown(1);
    });
  }

  const workspace = localWorkspace(appEnv);
  const base = `http://localhost:${ports.api}`;
  console.log(`
Junction is running.

  Studio       ${base}/studio/#apiKey=${workspace.apiKey}
  API          ${base}   (health: ${base}/health)
  Temporal UI  ${temporalBin ? `http://localhost:${ports.temporalUi}` : '(external cluster)'}
  MongoDB      ${appEnv.MONGODB_URL}${appEnv.MONGODB_DB}

  Workspace    ${workspace.workspaceId}
  Write key    ${workspace.writeKey}
  API key      ${workspace.apiKey}

  Logs in ${path.relative(process.cwd(), LOGS) || LOGS}/. Press Ctrl-C to stop; data in .data/ is kept.
`);
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  for (const service of [...services].reverse()) await service.stop();
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async (error) => {
  console.error(`\n${error.message}`);
  await shutdown(1);
});
