import type { CommandStats } from './db-trace.js';
import type { DedupeCheck, DocumentShape, TimedRound } from './ingest-phases.js';
import { median, round, table } from './measure.js';

export interface IngestSettings {
  events: number;
  batchSize: number;
  concurrency: number;
  users: number;
  rounds: number;
}

export interface IngestResults {
  rounds: TimedRound[];
  storedByRound: number[];
  dedupe: DedupeCheck;
  shapes: { http: DocumentShape; raw: DocumentShape };
  /** Database commands of the HTTP rounds; empty unless traced. */
  commands: CommandStats[];
}

const rate = (r: { events: number; seconds: number }) => r.events / r.seconds;

/** Every figure of a run, as the last line of output carries it. */
export function summarize(settings: IngestSettings, results: IngestResults) {
  const perSec = (phase: TimedRound['phase']) =>
    results.rounds.filter((r) => r.phase === phase).map(rate);
  const http = perSec('http');
  const raw = perSec('raw');
  const ratio = median(http) / median(raw);
  const httpKnown = perSec('http known');
  const rawKnown = perSec('raw known');
  const knownRatio = median(httpKnown) / median(rawKnown);
  const storedOk = results.storedByRound.every((count) => count === settings.events);
  const sameDocFields = results.shapes.http.fields === results.shapes.raw.fields;
  return {
    bench: 'ingest',
    events: settings.events,
    batchSize: settings.batchSize,
    concurrency: settings.concurrency,
    users: settings.users,
    rounds: settings.rounds,
    httpEventsPerSec: Math.round(median(http)),
    rawEventsPerSec: Math.round(median(raw)),
    ratio: round(ratio, 3),
    knownHttpEventsPerSec: Math.round(median(httpKnown)),
    knownRawEventsPerSec: Math.round(median(rawKnown)),
    knownRatio: round(knownRatio, 3),
    httpRoundsEventsPerSec: http.map((value) => Math.round(value)),
    rawRoundsEventsPerSec: raw.map((value) => Math.round(value)),
    storedEvents: results.storedByRound[0],
    storedEventsByRound: results.storedByRound,
    dedupeOk: results.dedupe.ok,
    resentBatchSeconds: round(results.dedupe.seconds, 3),
    httpDocBytes: results.shapes.http.bytes,
    rawDocBytes: results.shapes.raw.bytes,
    sameDocFields,
    ok: storedOk && results.dedupe.ok,
  };
}

type Summary = ReturnType<typeof summarize>;

/** The human-readable part: rounds, medians, ratio and the correctness checks. */
export function renderReport(settings: IngestSettings, results: IngestResults, summary: Summary) {
  const { storedByRound, dedupe, shapes } = results;
  const row = (name: string, r: { events: number; seconds: number }) => [
    name,
    r.events,
    r.seconds.toFixed(2),
    Math.round(rate(r)),
  ];
  const medianRow = (name: string, perSec: number) =>
    row(name, { events: settings.events, seconds: settings.events / perSec });
  const storedOk = storedByRound.every((count) => count === settings.events);
  const lines = [
    `ingest: ${settings.events} calls (track, and identify at sign-in), batches of ${settings.batchSize}, ` +
      `${settings.concurrency} in flight, ${settings.users} users`,
    '',
    table(
      ['phase', 'events', 'seconds', 'events/s'],
      [
        ...results.rounds.map((r, i) => row(`${r.phase} round ${Math.floor(i / 4) + 1}`, r)),
        medianRow('http (median)', summary.httpEventsPerSec),
        medianRow('raw insertMany (median)', summary.rawEventsPerSec),
        medianRow('http known people (median)', summary.knownHttpEventsPerSec),
        medianRow('raw insertMany known (median)', summary.knownRawEventsPerSec),
      ],
    ),
    '',
    `ratio http / raw, people new to the workspace: ${summary.ratio.toFixed(3)}`,
    `ratio http / raw, people already known:       ${summary.knownRatio.toFixed(3)}`,
    `stored events per round: ${storedByRound.join(', ')} of ${settings.events} ` +
      (storedOk ? '(ok)' : '(MISMATCH)'),
    `resent batch: ${dedupe.stored} stored, ${dedupe.duplicates} duplicates, events ` +
      `${dedupe.eventsBefore} -> ${dedupe.eventsAfter} in ${dedupe.seconds.toFixed(2)} s ` +
      (dedupe.ok ? '(ok)' : '(DEDUPE FAILED)'),
    `document size: http ${shapes.http.bytes} B, raw ${shapes.raw.bytes} B` +
      (summary.sameDocFields
        ? ' (same fields)'
        : ` (fields differ: ${shapes.http.fields} vs ${shapes.raw.fields})`),
  ];
  if (results.commands.length > 0) {
    const batches = Math.ceil(settings.events / settings.batchSize) * settings.rounds;
    lines.push('', traceTable(results.commands, batches));
  }
  return lines.join('\n');
}

function traceTable(stats: CommandStats[], batches: number): string {
  return [
    `database commands of the first-pass http rounds (${batches} batches):`,
    table(
      ['command', 'collection', 'calls', 'per batch', 'total ms', 'avg ms'],
      stats.map((s) => [
        s.command,
        s.collection,
        s.calls,
        (s.calls / batches).toFixed(2),
        Math.round(s.totalMs),
        (s.totalMs / s.calls).toFixed(2),
      ]),
    ),
  ].join('\n');
}
