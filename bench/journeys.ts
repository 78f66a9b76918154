// Journey runs per second against bare workflows making as many no-op activity calls on the same
// worker, then event-to-first-send latency at a steady rate against the tracking API's own
// answer time. Flags: --runs N --warmup W --delay SECONDS --rate EVENTS_PER_S --seconds S
// --log-level LEVEL (the worker's and the API's logs).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';

import { Cleanups, log, runBench } from './lib/bench-run.js';
import { benchApi, pingJourney, throughputJourney, type BenchApi } from './lib/journey-setup.js';
import { baselineRound, journeyRound, type ThroughputRound } from './lib/journey-throughput.js';
import { latencyRun, percentile, type LatencyRun } from './lib/journey-latency.js';
import { startBenchWorker } from './lib/journey-worker.js';
import { round, table } from './lib/measure.js';
import { positiveInteger } from './lib/options.js';
import { startServerProcess } from './lib/server-process.js';
import { startBenchStack, type BenchStack } from './lib/stack.js';
import { startWebhookSink, type SinkMessage } from './lib/webhook-sink.js';

function readOptions() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '2000' },
      warmup: { type: 'string', default: '50' },
      delay: { type: 'string', default: '1' },
      rate: { type: 'string', default: '50' },
      seconds: { type: 'string', default: '20' },
      'log-level': { type: 'string', default: 'error' },
    },
  });
  const positive = (name: keyof typeof values, max?: number) => positiveInteger(values, name, max);
  return {
    runs: positive('runs'),
    warmup: positive('warmup'),
    delaySeconds: positive('delay', 3600),
    rate: positive('rate', 1000),
    seconds: positive('seconds'),
    logLevel: values['log-level'],
  };
}
type Options = ReturnType<typeof readOptions>;

const THROUGHPUT_GOAL = 0.7;
const LATENCY_GOAL_MS = 1000;
const cleanups = new Cleanups();

/** The database, Temporal, the sink, the API as its own process, and the in-process worker. */
async function connect(stack: BenchStack, options: Options) {
  const dbName = `bench_journeys_${randomBytes(4).toString('hex')}`;
  const mongo = await MongoClient.connect(stack.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  cleanups.add(() => mongo.close());
  cleanups.add(async () => void (await mongo.db(dbName).dropDatabase()));
  const connection = await Connection.connect({ address: stack.temporalAddress });
  cleanups.add(() => connection.close());
  const temporal = new Client({ connection });

  let onMessage: (message: SinkMessage) => void = () => {};
  const sink = await startWebhookSink((message) => onMessage(message));
  cleanups.add(() => sink.close());
  const server = await startServerProcess({
    mongoUrl: stack.mongoUrl,
    dbName,
    temporalAddress: stack.temporalAddress,
    logFile: path.join(stack.dir ?? os.tmpdir(), `${dbName}-api.log`),
    logLevel: options.logLevel,
  });
  cleanups.add(() => server.stop());
  const db = mongo.db(dbName);
  const api = await benchApi(db, server.url, 64);
  cleanups.add(() => api.close());

  const workerLog = pino({ level: options.logLevel }, pino.destination({ fd: 2, sync: true }));
  const worker = await startBenchWorker({
    db,
    temporal,
    temporalAddress: stack.temporalAddress,
    log: workerLog,
  });
  cleanups.add(() => worker.stop());
  const listen = (handler: (message: SinkMessage) => void) => void (onMessage = handler);
  return { temporal, sink, api, worker, listen };
}

type Bench = Awaited<ReturnType<typeof connect>>;

/** Warm-up journey runs, counted to size the baseline; then baseline and journey alike. */
async function measureThroughput(bench: Bench, api: BenchApi, options: Options) {
  const { temporal, worker } = bench;
  const journeyId = await api.publish('Bench flow', throughputJourney(options.delaySeconds));
  const users = Array.from({ length: options.warmup + options.runs }, (_, i) => `flow-${i}`);
  log(`identifying ${users.length} people`);
  const profileIds = await api.identify(users);
  const { workspaceId } = api.workspace;
  const target = { temporal, entries: worker.journeys.entries, workspaceId, journeyId };

  worker.takeCounts();
  await journeyRound(target, profileIds.slice(0, options.warmup), 'warm-up');
  const warm = worker.takeCounts();
  const perRun = (count: number) => Math.round(count / options.warmup);
  const input = {
    remoteCalls: perRun(warm.remote),
    localCalls: perRun(warm.local),
    delayMs: options.delaySeconds * 1000,
  };
  log(`a journey run makes ${input.remoteCalls} activity and ${input.localCalls} local calls`);

  const baseline = await baselineRound(temporal, options.runs, input, 'baseline');
  worker.takeCounts();
  const journey = await journeyRound(target, profileIds.slice(options.warmup), 'journey');
  const calls = worker.takeCounts();
  const sent = bench.sink.counts.get(journeyId) ?? 0;
  return {
    baseline,
    journey,
    input,
    callsPerRun: { remote: calls.remote / options.runs, local: calls.local / options.runs },
    byName: calls.byName,
    messagesMissing: options.warmup + options.runs - sent,
  };
}

/** A short unmeasured burst (caches, connections, bundle), then the measured steady rate. */
async function measureLatency(bench: Bench, api: BenchApi, options: Options) {
  await api.publish('Bench ping', pingJourney());
  const track = (seq: number) => api.track(`ping-${seq}`, seq);
  const warmEvents = Math.min(options.rate * 2, 100);
  const warm = latencyRun({
    track,
    rate: options.rate,
    events: warmEvents,
    firstSeq: 0,
    label: 'latency warm-up',
  });
  bench.listen(warm.onMessage);
  await warm.execute();
  const events = options.rate * options.seconds;
  const label = `latency at ${options.rate}/s`;
  const measured = latencyRun({ track, rate: options.rate, events, firstSeq: warmEvents, label });
  bench.listen(measured.onMessage);
  return measured.execute();
}

function summarize(options: Options, stack: BenchStack, results: Results) {
  const { throughput, latency } = results;
  // Lost messages and failed requests rank slowest; a percentile landing on one is null.
  const figures = (values: number[], lost: number) => {
    const all = [...values, ...Array<number>(lost).fill(Infinity)];
    const at = (p: number) => {
      const value = percentile(all, p);
      return Number.isFinite(value) ? round(value) : null;
    };
    return { p50: at(50), p95: at(95), p99: at(99) };
  };
  const ack = figures(latency.ackMs, latency.errors);
  const send = figures(latency.sendMs, latency.lost);
  const sendP95 = send.p95 ?? Infinity;
  const ratio = throughput.journey.runsPerSecond / throughput.baseline.runsPerSecond;
  return {
    bench: 'journeys',
    ok: throughput.messagesMissing === 0 && latency.errors === 0 && latency.lost === 0,
    stack: stack.describe,
    runs: options.runs,
    delaySeconds: options.delaySeconds,
    baselineCalls: throughput.input,
    journeyCallsPerRun: throughput.callsPerRun,
    journeyCallsByName: throughput.byName,
    baselineRunsPerSec: round(throughput.baseline.runsPerSecond, 1),
    journeyRunsPerSec: round(throughput.journey.runsPerSecond, 1),
    ratio: round(ratio, 2),
    ratioGoal: THROUGHPUT_GOAL,
    ratioGoalMet: ratio >= THROUGHPUT_GOAL,
    messagesMissing: throughput.messagesMissing,
    rate: options.rate,
    achievedRate: round(latency.rate, 1),
    events: latency.events,
    errors: latency.errors,
    lost: latency.lost,
    ackMs: ack,
    sendMs: send,
    // Baseline: the API's answer to the very requests being timed, so a slow machine slows both.
    latencyRatio: send.p95 !== null && ack.p95 !== null ? round(send.p95 / ack.p95, 2) : null,
    p95GoalMs: LATENCY_GOAL_MS,
    p95GoalMet: sendP95 < LATENCY_GOAL_MS,
    // Above 1, events arrive faster than the stack finishes journey runs: latency is queueing.
    rateOverCapacity: round(options.rate / throughput.journey.runsPerSecond, 2),
  };
}

interface Results {
  throughput: Awaited<ReturnType<typeof measureThroughput>>;
  latency: LatencyRun;
}
type Summary = ReturnType<typeof summarize>;

function renderReport(options: Options, summary: Summary, rounds: ThroughputRound[]): string {
  const { baselineCalls: calls } = summary;
  const throughputRows = rounds.map((r) => [
    r.phase === 'journey' ? 'journey (5 nodes)' : 'baseline (no-op calls)',
    r.runs,
    r.seconds.toFixed(2),
    r.runsPerSecond.toFixed(1),
  ]);
  const cells = ({ p50, p95, p99 }: Summary['ackMs']) => [p50, p95, p99].map((v) => v ?? 'lost');
  const latencyRows = [
    ['tracking API answer', ...cells(summary.ackMs)],
    ['event -> first send', ...cells(summary.sendMs)],
  ];
  const goal = (met: boolean) => (met ? 'met' : 'NOT met');
  return [
    `Journeys bench: ${summary.stack}`,
    '',
    `Throughput: ${options.runs} runs each, one in-process worker; a baseline run makes ` +
      `${calls.remoteCalls} activity + ${calls.localCalls} local no-op calls and a ` +
      `${options.delaySeconds} s timer, as a journey run does`,
    table(['phase', 'runs', 'seconds', 'runs/s'], throughputRows),
    `ratio journey/baseline: ${summary.ratio} (goal >= ${THROUGHPUT_GOAL}: ` +
      `${goal(summary.ratioGoalMet)}); messages missing: ${summary.messagesMissing}`,
    '',
    `Latency: ${summary.events} track events at ${summary.achievedRate}/s ` +
      `(asked ${options.rate}/s), entry -> message -> exit`,
    table(['ms', 'p50', 'p95', 'p99'], latencyRows),
    `p95 send / p95 answer: ${summary.latencyRatio}; p95 goal < ${LATENCY_GOAL_MS} ms: ` +
      `${goal(summary.p95GoalMet)}; errors ${summary.errors}, lost ${summary.lost}`,
    ...(summary.rateOverCapacity > 1
      ? [
          `note: ${options.rate} events/s is ${summary.rateOverCapacity}x the journey runs/s ` +
            'measured above, so these latencies are mostly queueing behind the backlog',
        ]
      : []),
  ].join('\n');
}

async function main(options: Options) {
  const stack = await startBenchStack(log);
  let keepData = false;
  cleanups.add(() => stack.stop({ keepData }));
  try {
    const bench = await connect(stack, options);
    await bench.api.createChannel(bench.sink.url);
    const throughput = await measureThroughput(bench, bench.api, options);
    const latency = await measureLatency(bench, bench.api, options);
    const summary = summarize(options, stack, { throughput, latency });
    const rounds = [throughput.baseline, throughput.journey];
    return { text: renderReport(options, summary, rounds), summary };
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
const { runs, rate, seconds } = options;
await runBench(cleanups, { bench: 'journeys', runs, rate, seconds }, () => main(options));
