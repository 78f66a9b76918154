// Events per second through POST /v1/batch against a raw insertMany of the same documents into
// the same database. Flags: --events N --batch-size B --concurrency C --rounds R --users U
// --timeout SECONDS (per request), --log-level LEVEL (the app's logs, to stderr), --trace-db
// (counts the app's database commands; this slows the HTTP phase a little).
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

import { Client, Connection } from '@temporalio/client';
import { MongoClient, type Db } from 'mongodb';
import { pino } from 'pino';

import { collections, type EventDoc } from '@junction/core/store';
import { createApp } from '@junction/server';

import { Cleanups, log, runBench } from './lib/bench-run.js';
import { traceCommands } from './lib/db-trace.js';
import { positiveInteger } from './lib/options.js';
import { jsonClient } from './lib/http-client.js';
import {
  checkDedupe,
  documentShape,
  httpRound,
  rawRound,
  type IngestBench,
  type TimedRound,
} from './lib/ingest-phases.js';
import { renderReport, summarize } from './lib/ingest-report.js';
import { buildWorkload, knownPeopleWorkload } from './lib/ingest-workload.js';
import { startBenchStack, type BenchStack } from './lib/stack.js';

function readOptions() {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '20000' },
      'batch-size': { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '4' },
      rounds: { type: 'string', default: '2' },
      users: { type: 'string', default: '1000' },
      timeout: { type: 'string', default: '60' },
      'log-level': { type: 'string', default: 'error' },
      'trace-db': { type: 'boolean', default: false },
    },
  });
  const positive = (name: keyof typeof values, max?: number) => positiveInteger(values, name, max);
  return {
    events: positive('events'),
    // The server refuses batches over 500 KB; our events are about 1 KB of JSON each.
    batchSize: positive('batch-size', 400),
    concurrency: positive('concurrency'),
    rounds: positive('rounds'),
    users: positive('users'),
    timeoutSeconds: positive('timeout'),
    logLevel: values['log-level'],
    traceDb: values['trace-db'],
  };
}
type Options = ReturnType<typeof readOptions>;

const cleanups = new Cleanups();

async function connect(stack: BenchStack, traceDb: boolean) {
  const dbName = `bench_ingest_${randomBytes(4).toString('hex')}`;
  const mongoOptions = { serverSelectionTimeoutMS: 10_000 };
  const appMongo = await MongoClient.connect(stack.mongoUrl, {
    ...mongoOptions,
    monitorCommands: traceDb,
  });
  cleanups.add(() => appMongo.close());
  const rawMongo = await MongoClient.connect(stack.mongoUrl, mongoOptions);
  cleanups.add(() => rawMongo.close());
  cleanups.add(async () => void (await rawMongo.db(dbName).dropDatabase()));
  const connection = await Connection.connect({ address: stack.temporalAddress });
  cleanups.add(() => connection.close());
  return {
    db: appMongo.db(dbName),
    rawDb: rawMongo.db(dbName),
    trace: traceDb ? traceCommands(appMongo) : undefined,
    temporal: new Client({ connection }),
  };
}

/** The real app on a free port, as `npm start` serves it; its logs go to stderr. */
async function listen(db: Db, temporal: Client, logLevel: string): Promise<string> {
  const appLog = pino({ level: logLevel }, pino.destination({ fd: 2, sync: true }));
  const app = createApp({ db, temporal, temporalNamespace: 'default', log: appLog });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  cleanups.add(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  // Requests cut off by a stop fail inside the app; those errors are not the bench's findings.
  cleanups.add(() => void (appLog.level = 'silent'));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Each round's figure as soon as it is known, so a run cut short still tells something. */
function logRound(label: string, round: TimedRound): void {
  const perSec = Math.round(round.events / round.seconds);
  log(
    `${round.phase.padEnd(4)} ${label}: ${round.events} events in ${round.seconds.toFixed(2)} s, ${perSec}/s`,
  );
}

/** A, B, A, B, ... so that drift of a noisy machine touches both phases alike. */
async function measure(stack: BenchStack, options: Options) {
  const { db, rawDb, trace, temporal } = await connect(stack, options.traceDb);
  const client = jsonClient(await listen(db, temporal, options.logLevel), options.concurrency);
  cleanups.add(() => client.close());
  const workload = buildWorkload({
    events: options.events,
    people: options.users,
    batchSize: options.batchSize,
  });
  const known = knownPeopleWorkload(workload);
  const bench: IngestBench = {
    workload,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutSeconds * 1000,
    store: collections(db),
    raw: rawDb.collection<EventDoc>('raw_events'),
    post: client.post,
  };
  log(
    `${stack.describe}; ${workload.calls.length} events in ${workload.bodies.length} batches, ` +
      `${options.users} users, ${options.concurrency} in flight, ${options.rounds} rounds`,
  );

  const first = { bodies: workload.bodies.slice(0, 1), batches: workload.batches.slice(0, 1) };
  const warmup = { ...bench, workload: { ...workload, ...first, calls: first.batches[0]! } };
  await httpRound(warmup, 'warm-up');
  await rawRound(warmup, 'warm-up');

  const rounds: TimedRound[] = [];
  const workspaces: { workspaceId: string; writeKey: string }[] = [];
  let rawWorkspace = '';
  for (let index = 1; index <= options.rounds; index++) {
    const label = `round ${index}/${options.rounds}`;
    trace?.start();
    const http = await httpRound(bench, label);
    trace?.stop();
    workspaces.push(http);
    logRound(label, http.round);
    const raw = await rawRound(bench, label);
    rawWorkspace = raw.workspaceId;
    logRound(label, raw.round);
    const again = { ...bench, workload: known };
    const httpKnown = await httpRound(again, label, http);
    logRound(label, httpKnown.round);
    const rawKnown = await rawRound(again, label, true);
    logRound(label, rawKnown.round);
    rounds.push(http.round, raw.round, httpKnown.round, rawKnown.round);
  }

  // Each workspace holds a round's first pass and its known-people pass.
  const storedByRound = await Promise.all(
    workspaces.map(
      async ({ workspaceId }) => (await bench.store.events.countDocuments({ workspaceId })) / 2,
    ),
  );
  const dedupe = await checkDedupe(bench, workspaces[0]!);
  const shapes = {
    http: await documentShape(bench, bench.store.events, workspaces[0]!.workspaceId),
    raw: await documentShape(bench, bench.raw, rawWorkspace),
  };
  return { rounds, storedByRound, dedupe, shapes, commands: trace?.results() ?? [] };
}

async function main(options: Options) {
  const stack = await startBenchStack(log);
  let keepData = false;
  cleanups.add(() => stack.stop({ keepData }));
  try {
    const results = await measure(stack, options);
    const summary = summarize(options, results);
    return { text: renderReport(options, results, summary), summary };
  } catch (error) {
    if (stack.dir) {
      keepData = true;
      log(`service logs kept in ${stack.dir}`);
    }
    throw error;
  }
}

let options: Options;
try {
  options = readOptions();
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
const { events, batchSize, concurrency } = options;
await runBench(cleanups, { bench: 'ingest', events, batchSize, concurrency }, () => main(options));
