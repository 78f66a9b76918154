// A CSV of N profiles imported twice through POST /v1/imports on the real API process, with the
// API's peak memory, against a raw insertMany of one equivalent document per row into the same
// database. Flags: --rows N (1,000,000), --baseline-rows N (20,000), --log-level LEVEL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { MongoClient, type Db } from 'mongodb';

import { collections } from '@junction/core/store';
import { createWorkspace } from '@junction/server';

import { progressLine } from '../server/src/imports/progress-line.js';
import { uploadFile } from '../server/src/imports/upload-file.js';
import { positiveInteger } from './lib/options.js';
import { Cleanups, log, runBench } from './lib/bench-run.js';
import { PROFILE_COLUMNS, profileRow, writeProfilesCsv } from './lib/import-file.js';
import { progress, round, table } from './lib/measure.js';
import { processMemory, sampleMemory, startServerProcess } from './lib/server-process.js';
import { startBenchStack } from './lib/stack.js';

const PEAK_RSS_LIMIT_MB = 300;

function readOptions() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      'baseline-rows': { type: 'string', default: '20000' },
      'log-level': { type: 'string', default: 'warn' },
    },
  });
  const count = (name: 'rows' | 'baseline-rows') => positiveInteger(values, name);
  return {
    rows: count('rows'),
    baselineRows: count('baseline-rows'),
    logLevel: values['log-level'],
  };
}
type Options = ReturnType<typeof readOptions>;

const cleanups = new Cleanups();

interface ImportRun {
  seconds: number;
  rowsPerSec: number;
  peakRssMb: number;
  /** RSS at each tenth of the run, to show that memory stays flat. */
  rssByTenthMb: number[];
  counts: { rows: number; stored: number; duplicates: number; rejected: number; bytes: number };
}

async function importOnce(
  label: string,
  server: { url: string; pid: number },
  apiKey: string,
  file: string,
) {
  const memory = sampleMemory(server.pid);
  const started = performance.now();
  let bar: ReturnType<typeof progressLine> | undefined;
  const result = await uploadFile({
    baseUrl: server.url,
    apiKey,
    file,
    kind: 'profiles',
    format: 'csv',
    gzipped: false,
    onProgress: (bytes, rows, total) => {
      bar ??= (log(`${label}:`), progressLine(total, process.stderr));
      bar.update(bytes, rows);
    },
  });
  bar?.finish(result.bytes, result.rows);
  const seconds = (performance.now() - started) / 1000;
  const { peakMb, samples } = await memory.stop();
  const body = result.body as { import?: { status: string; counts: ImportRun['counts'] } };
  if (result.status !== 201 || body.import?.status !== 'completed') {
    throw new Error(
      `${label}: the import answered ${result.status} ${JSON.stringify(result.body)}`,
    );
  }
  const tenths = Array.from(
    { length: 10 },
    (_, i) => samples[Math.floor(((i + 1) * samples.length) / 10) - 1] ?? 0,
  );
  const run: ImportRun = {
    seconds,
    rowsPerSec: body.import.counts.rows / seconds,
    peakRssMb: peakMb,
    rssByTenthMb: tenths.map((mb) => round(mb)),
    counts: body.import.counts,
  };
  log(
    `${label}: ${run.counts.rows} rows in ${seconds.toFixed(1)} s, ${Math.round(run.rowsPerSec)} rows/s, stored ${run.counts.stored}, peak RSS ${round(peakMb)} MB`,
  );
  return run;
}

/** One document per row, shaped like the profile the import builds, inserted 500 at a time. */
async function rawInsert(db: Db, rows: number): Promise<{ seconds: number; rowsPerSec: number }> {
  const raw = db.collection<{ _id: string }>('raw_profiles');
  const workspaceId = `raw_${randomBytes(4).toString('hex')}`;
  const done = progress('raw insertMany', rows);
  const started = performance.now();
  for (let first = 1; first <= rows; first += 500) {
    const docs = [];
    for (let n = first; n < Math.min(first + 500, rows + 1); n++) {
      const values = profileRow(n);
      const traits = Object.fromEntries(PROFILE_COLUMNS.slice(1).map((c, i) => [c, values[i + 1]]));
      const now = new Date();
      docs.push({
        _id: `${workspaceId}:${n}`,
        workspaceId,
        traits,
        identities: [{ type: 'user_id', value: values[0] }],
        createdAt: now,
        updatedAt: now,
      });
    }
    await raw.insertMany(docs, { ordered: false });
    done(Math.min(first + 499, rows));
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, rowsPerSec: rows / seconds };
}

async function main(options: Options) {
  const stack = await startBenchStack(log);
  cleanups.add(() => stack.stop());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'junction-bench-import-'));
  cleanups.add(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'profiles.csv');
  const fileBytes = await writeProfilesCsv(
    file,
    options.rows,
    progress('writing the CSV', options.rows),
  );

  const dbName = `bench_import_${randomBytes(4).toString('hex')}`;
  const mongo = await MongoClient.connect(stack.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  cleanups.add(() => mongo.close());
  cleanups.add(async () => void (await mongo.db(dbName).dropDatabase()));
  const db = mongo.db(dbName);
  const workspace = await createWorkspace(collections(db), 'Import bench');
  const server = await startServerProcess({
    mongoUrl: stack.mongoUrl,
    dbName,
    temporalAddress: stack.temporalAddress,
    logFile: path.join(dir, 'api.log'),
    logLevel: options.logLevel,
  });
  cleanups.add(() => server.stop());
  const idleRssMb = (await processMemory(server.pid)).rssMb;
  log(
    `${stack.describe}; ${options.rows} rows, ${round(fileBytes / 1024 / 1024, 1)} MB of CSV; API pid ${server.pid} at ${round(idleRssMb)} MB RSS`,
  );

  const first = await importOnce('first run', server, workspace.apiKey, file);
  const second = await importOnce('second run', server, workspace.apiKey, file);
  const { workspaceId } = workspace;
  const stored = {
    events: await collections(db).events.countDocuments({ workspaceId }),
    profiles: await collections(db).profiles.countDocuments({ workspaceId }),
  };
  const baselineRows = Math.min(options.baselineRows, options.rows);
  const raw = await rawInsert(db, baselineRows);
  log(
    `raw insertMany: ${baselineRows} documents in ${raw.seconds.toFixed(1)} s, ${Math.round(raw.rowsPerSec)}/s`,
  );
  return {
    stack,
    fileBytes,
    idleRssMb,
    first,
    second,
    stored,
    raw,
    baselineRows,
    apiPeakMb: (await processMemory(server.pid)).peakMb,
  };
}

function report(options: Options, r: Awaited<ReturnType<typeof main>>) {
  const peakRssMb = Math.max(r.first.peakRssMb, r.second.peakRssMb);
  const summary = {
    bench: 'import',
    rows: options.rows,
    fileMb: round(r.fileBytes / 1024 / 1024, 1),
    peakRssMb: round(peakRssMb),
    peakRssLimitMb: PEAK_RSS_LIMIT_MB,
    idleRssMb: round(r.idleRssMb),
    apiLifetimePeakRssMb: round(r.apiPeakMb),
    firstRunRssByTenthMb: r.first.rssByTenthMb,
    firstRunSeconds: round(r.first.seconds, 1),
    firstRunRowsPerSec: round(r.first.rowsPerSec),
    firstRunStored: r.first.counts.stored,
    firstRunRejected: r.first.counts.rejected,
    secondRunSeconds: round(r.second.seconds, 1),
    secondRunRowsPerSec: round(r.second.rowsPerSec),
    secondRunStored: r.second.counts.stored,
    secondRunDuplicates: r.second.counts.duplicates,
    eventsInDb: r.stored.events,
    profilesInDb: r.stored.profiles,
    rawInsertRows: r.baselineRows,
    rawInsertRowsPerSec: round(r.raw.rowsPerSec),
    importVsRawRatio: round(r.first.rowsPerSec / r.raw.rowsPerSec, 3),
    stack: r.stack.describe,
    ok: false,
  };
  summary.ok =
    peakRssMb < PEAK_RSS_LIMIT_MB &&
    summary.firstRunStored === options.rows &&
    summary.secondRunStored === 0 &&
    summary.eventsInDb === options.rows;
  const rows: (string | number)[][] = [
    [
      'first run',
      summary.firstRunSeconds,
      summary.firstRunRowsPerSec,
      summary.firstRunStored,
      r.first.counts.duplicates,
      round(r.first.peakRssMb),
    ],
    [
      'second run (same file)',
      summary.secondRunSeconds,
      summary.secondRunRowsPerSec,
      summary.secondRunStored,
      summary.secondRunDuplicates,
      round(r.second.peakRssMb),
    ],
    [
      `raw insertMany (${r.baselineRows})`,
      round(r.raw.seconds, 1),
      summary.rawInsertRowsPerSec,
      r.baselineRows,
      0,
      '-',
    ],
  ];
  const text = [
    table(['phase', 'seconds', 'rows/s', 'stored', 'duplicates', 'API peak RSS MB'], rows),
    '',
    `API RSS idle ${summary.idleRssMb} MB; by tenth of the first run: ${summary.firstRunRssByTenthMb.join(', ')} MB`,
    `peak RSS ${summary.peakRssMb} MB (limit ${PEAK_RSS_LIMIT_MB}); import/raw ratio ${summary.importVsRawRatio}; ${summary.ok ? 'ok' : 'NOT OK'}`,
  ];
  return { summary, text: text.join('\n') };
}

let options: Options;
try {
  options = readOptions();
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
await runBench(cleanups, { bench: 'import', rows: options.rows }, async () =>
  report(options, await main(options)),
);
