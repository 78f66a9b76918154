// Bulk segment evaluation against a raw cursor read of the same profiles, and the time to
// re-evaluate one profile's tags and segments. Flags: --profiles N --rounds R --samples S
// --refreshes F.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import { Client, Connection } from '@temporalio/client';
import { MongoClient, type Collection, type Db } from 'mongodb';
import { pino } from 'pino';

import {
  audienceQuery,
  compileAudience,
  evaluateProfile,
  validateAudience,
  type AudienceDefinitions,
  type AudienceProfile,
  type SegmentDefinition,
  type TagDefinition,
} from '@junction/core';
import { audienceCollections, collections, type ProfileDoc } from '@junction/core/store';
import { createAudience, type Audience } from '@junction/server/audience';

import { DefinitionStore } from '../server/src/audience-api/definition-store.js';
import { Cleanups, log, runBench } from './lib/bench-run.js';
import { median, progress, round } from './lib/measure.js';
import { positiveInteger } from './lib/options.js';
import { BENCH_SEGMENTS, BENCH_TAGS, profileGenerator } from './lib/segments-workload.js';
import { startBenchStack } from './lib/stack.js';

function readOptions() {
  const { values } = parseArgs({
    options: {
      profiles: { type: 'string', default: '200000' },
      rounds: { type: 'string', default: '2' },
      samples: { type: 'string', default: '5000' },
      refreshes: { type: 'string', default: '300' },
    },
  });
  const positive = (name: keyof typeof values) => positiveInteger(values, name);
  return {
    profiles: positive('profiles'),
    rounds: positive('rounds'),
    samples: positive('samples'),
    refreshes: positive('refreshes'),
  };
}
type Options = ReturnType<typeof readOptions>;

const cleanups = new Cleanups();
const BATCH = 2_000;
const WORKSPACE = 'ws_bench_segments';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Tags and segments stored as version 1, then published so their counters are active. */
async function storeDefinitions(db: Db, audience: Audience) {
  const issues = validateAudience({ tags: BENCH_TAGS, segments: BENCH_SEGMENTS });
  if (issues.length > 0)
    throw new Error(`bench definitions are invalid: ${JSON.stringify(issues)}`);
  const stored = audienceCollections(db);
  const tags = new DefinitionStore<TagDefinition>('tag', stored.tags, stored.tagVersions);
  const segments = new DefinitionStore<SegmentDefinition>(
    'segment',
    stored.segments,
    stored.segmentVersions,
  );
  const author = { id: 'bench', name: 'bench' };
  for (const tag of BENCH_TAGS) await tags.write(WORKSPACE, tag.key, tag, author);
  for (const segment of BENCH_SEGMENTS)
    await segments.write(WORKSPACE, segment.key, segment, author);
  const now = new Date();
  await audience.state.published(WORKSPACE, now);
  return audience.state.load(WORKSPACE);
}

async function seedProfiles(
  profiles: Collection<ProfileDoc>,
  defs: AudienceDefinitions,
  count: number,
) {
  const generator = profileGenerator({
    workspaceId: WORKSPACE,
    counters: [...defs.counters.values()],
    timeZone: defs.timeZone,
    now: new Date(),
  });
  const report = progress('inserting profiles', count);
  for (let from = 0; from < count; from += BATCH) {
    await profiles.insertMany(generator.batch(from, Math.min(BATCH, count - from)), {
      ordered: false,
    });
    report(Math.min(from + BATCH, count));
  }
}

async function rawRead(
  profiles: Collection<ProfileDoc>,
): Promise<{ seconds: number; read: number }> {
  const started = performance.now();
  let read = 0;
  for await (const doc of profiles.find({ workspaceId: WORKSPACE }, { batchSize: BATCH })) {
    if (doc._id) read++;
  }
  return { seconds: (performance.now() - started) / 1000, read };
}

/** The bulk evaluator as a backfill runs it: pushdown filter and projection, one compile. */
async function bulkEvaluate(profiles: Collection<ProfileDoc>, defs: AudienceDefinitions) {
  const started = performance.now();
  const conditions = BENCH_SEGMENTS.map((segment) => segment.condition);
  const { filter, projection } = audienceQuery(defs, conditions);
  const compiled = compileAudience(defs, new Date());
  const members = new Map<string, number>();
  let read = 0;
  const cursor = profiles.find(
    { workspaceId: WORKSPACE, ...filter },
    { projection, batchSize: BATCH },
  );
  for await (const doc of cursor) {
    read++;
    for (const key of compiled.evaluate(doc).segments)
      members.set(key, (members.get(key) ?? 0) + 1);
  }
  return { seconds: (performance.now() - started) / 1000, read, members };
}

async function measure(options: Options) {
  const stack = await startBenchStack(log);
  cleanups.add(() => stack.stop());
  const dbName = `bench_segments_${randomBytes(4).toString('hex')}`;
  const mongo = await MongoClient.connect(stack.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  cleanups.add(() => mongo.close());
  cleanups.add(async () => void (await mongo.db(dbName).dropDatabase()));
  const connection = await Connection.connect({ address: stack.temporalAddress });
  cleanups.add(() => connection.close());
  const db = mongo.db(dbName);
  const audience = createAudience({
    db,
    temporal: new Client({ connection }),
    log: pino({ level: 'error' }, pino.destination({ fd: 2, sync: true })),
  });
  const profiles = collections(db).profiles;

  const defs = await storeDefinitions(db, audience);
  log(`${stack.describe}; ${BENCH_TAGS.length} tags, ${BENCH_SEGMENTS.length} segments`);
  await seedProfiles(profiles, defs, options.profiles);

  await rawRead(profiles); // warm-up: the first scan also fills FerretDB's and the OS's caches
  const raw: number[] = [];
  const bulk: number[] = [];
  let members = new Map<string, number>();
  for (let index = 1; index <= options.rounds; index++) {
    const rawRound = await rawRead(profiles);
    const bulkRound = await bulkEvaluate(profiles, defs);
    if (rawRound.read !== options.profiles) throw new Error(`raw read ${rawRound.read} profiles`);
    raw.push(options.profiles / rawRound.seconds);
    bulk.push(options.profiles / bulkRound.seconds);
    members = bulkRound.members;
    log(
      `round ${index}/${options.rounds}: raw ${Math.round(raw.at(-1)!)}/s, ` +
        `evaluated ${Math.round(bulk.at(-1)!)}/s (${bulkRound.read} sent by the server)`,
    );
  }

  // One profile at a time, as real time does after an event: compiled once per definitions.
  const sample = (await profiles
    .find({ workspaceId: WORKSPACE }, { limit: options.samples, batchSize: BATCH })
    .toArray()) as AudienceProfile[];
  const now = new Date();
  const compiled = compileAudience(defs, now);
  const compiledMs: number[] = [];
  const interpretedMs: number[] = [];
  let disagreements = 0;
  for (const profile of sample) {
    let started = performance.now();
    const fast = compiled.evaluate(profile);
    compiledMs.push(performance.now() - started);
    started = performance.now();
    const reference = evaluateProfile(profile, defs, now);
    interpretedMs.push(performance.now() - started);
    if (JSON.stringify(fast) !== JSON.stringify(reference)) disagreements++;
  }

  // The whole real-time step through the database: read, evaluate, write, membership events.
  const refreshMs: number[] = [];
  const report = progress('refreshing single profiles', options.refreshes);
  for (const profile of sample.slice(0, options.refreshes)) {
    const started = performance.now();
    await audience.refresher.refresh(WORKSPACE, [profile._id]);
    refreshMs.push(performance.now() - started);
    report(refreshMs.length);
  }
  return { raw, bulk, members, compiledMs, interpretedMs, refreshMs, disagreements, sample };
}

async function main(options: Options) {
  const results = await measure(options);
  const rawRate = median(results.raw);
  const evalRate = median(results.bulk);
  const ratio = round(evalRate / rawRate, 3);
  const evalP99Ms = round(percentile(results.compiledMs, 99), 3);
  const summary = {
    bench: 'segments',
    profiles: options.profiles,
    tags: BENCH_TAGS.length,
    segments: BENCH_SEGMENTS.length,
    rawProfilesPerSec: Math.round(rawRate),
    evaluatedProfilesPerSec: Math.round(evalRate),
    ratio,
    ratioGoal: 0.7,
    evalP50Ms: round(percentile(results.compiledMs, 50), 3),
    evalP99Ms,
    evalP99GoalMs: 5,
    interpretedP99Ms: round(percentile(results.interpretedMs, 99), 3),
    refreshP50Ms: round(percentile(results.refreshMs, 50), 1),
    refreshP99Ms: round(percentile(results.refreshMs, 99), 1),
    samples: results.sample.length,
    disagreements: results.disagreements,
    members: Object.fromEntries([...results.members].sort()),
    ok: results.disagreements === 0,
  };
  const rows = [
    ['raw cursor read (profiles/s)', summary.rawProfilesPerSec],
    ['bulk evaluation, 20 segments (profiles/s)', summary.evaluatedProfilesPerSec],
    ['ratio (goal >= 0.7)', ratio],
    ['one profile, all tags and segments, p50 (ms)', summary.evalP50Ms],
    ['one profile, all tags and segments, p99 (ms, goal < 5)', evalP99Ms],
    ['same with the interpreter, p99 (ms)', summary.interpretedP99Ms],
    ['refresh through the database, p50 (ms)', summary.refreshP50Ms],
    ['refresh through the database, p99 (ms)', summary.refreshP99Ms],
    [`evaluators disagreeing on ${summary.samples} profiles`, summary.disagreements],
  ];
  const width = Math.max(...rows.map(([label]) => String(label).length));
  const text = [
    `segments bench: ${options.profiles} profiles, ${summary.tags} tags, ${summary.segments} segments, median of ${options.rounds} rounds`,
    ...rows.map(([label, value]) => `  ${String(label).padEnd(width)}  ${value}`),
    `  members: ${Object.entries(summary.members)
      .map(([key, count]) => `${key} ${count}`)
      .join(', ')}`,
  ].join('\n');
  return { text, summary };
}

let options: Options;
try {
  options = readOptions();
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
await runBench(cleanups, { bench: 'segments', profiles: options.profiles }, () => main(options));
