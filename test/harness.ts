import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';

import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import { MongoClient, type Db } from 'mongodb';

import { collections, type Collections } from '@junction/core/store';
import {
  createApp,
  createLogger,
  createWorkspace,
  type AppDeps,
  type NewWorkspace,
} from '@junction/server';

import { ROOT } from '../scripts/lib/paths.mjs';
import { freePort } from '../scripts/lib/services.mjs';

export { ROOT };

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run tests through \`npm test\` (jest globalSetup starts the servers)`,
    );
  return value;
}

export interface TestStack {
  mongo: MongoClient;
  db: Db;
  dbName: string;
  store: Collections;
  connection: Connection;
  temporal: Client;
  app: Express;
  /** The same app wired to other dependencies, e.g. a built studio or another Temporal. */
  appWith(overrides: Partial<AppDeps>): Express;
  workspace: NewWorkspace;
  close(): Promise<void>;
}

// Test files run side by side on one Temporal server: each process's API and the workers it
// starts share a journey queue of their own, so no other file's worker (on another database)
// can take its runs.
process.env.JUNCTION_JOURNEY_TASK_QUEUE ??= `junction-journeys-${randomBytes(4).toString('hex')}`;

/** A fresh database on the run's FerretDB, a Temporal client, the API app and a workspace. */
export async function startStack(): Promise<TestStack> {
  const dbName = `test_${randomBytes(6).toString('hex')}`;
  const mongo = await MongoClient.connect(requiredEnv('JUNCTION_TEST_MONGODB_URL'));
  const db = mongo.db(dbName);
  const store = collections(db);
  const connection = await Connection.connect({
    address: requiredEnv('JUNCTION_TEST_TEMPORAL_ADDRESS'),
  });
  const temporal = new Client({ connection });
  const deps: AppDeps = {
    db,
    temporal,
    temporalNamespace: 'default',
    log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
  };
  const app = createApp(deps);
  const workspace = await createWorkspace(store, 'Test workspace');
  return {
    mongo,
    db,
    dbName,
    store,
    connection,
    temporal,
    app,
    appWith: (overrides) => createApp({ ...deps, ...overrides }),
    workspace,
    async close() {
      await connection.close();
      await mongo.close();
    },
  };
}

/**
 * The stack's app with a Temporal nobody listens for. The client's retry interceptor is left
 * out: its retries would outlive the test and fail on the closed channel.
 */
export async function appWithTemporalDown(
  stack: TestStack,
): Promise<{ app: Express; close(): Promise<void> }> {
  const connection = Connection.lazy({
    address: `127.0.0.1:${await freePort()}`,
    interceptors: [],
  });
  return {
    app: stack.appWith({ temporal: new Client({ connection }) }),
    close: () => connection.close(),
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Kills the process abruptly, as a crash would. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/** Runs the real worker entry point as its own process, against the test database. */
export async function startWorker(dbName: string): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'workers/src/main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        MONGODB_URL: requiredEnv('JUNCTION_TEST_MONGODB_URL'),
        MONGODB_DB: dbName,
        TEMPORAL_ADDRESS: requiredEnv('JUNCTION_TEST_TEMPORAL_ADDRESS'),
        LOG_LEVEL: 'info',
        NODE_OPTIONS: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker did not start in 60s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"worker started"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before starting:\n${output}`));
    });
  });
  return {
    child,
    async crash() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** A real HTTP server that records every request and answers with `respond`. */
export async function startWebhookReceiver(
  respond: (request: ReceivedRequest) => number = () => 200,
) {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: raw ? (JSON.parse(raw) as unknown) : null,
      };
      received.push(request);
      res.writeHead(respond(request), { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}
