// Imports a CSV or NDJSON file of profiles or events through the API, with a progress bar.
// Usage: npm run import -- FILE --kind profiles|events [--format csv|ndjson] [--mapping FILE]
//   [--delimiter ';'] [--url URL] [--api-key KEY] [--json]
// The URL and key default to JUNCTION_URL and JUNCTION_API_KEY, then to the local workspace
// that `npm start` wrote to .data/local-workspace.json and http://localhost:$PORT (4000).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { ImportFormat, ImportKind, type ImportIssue } from '@junction/core';

import { progressLine } from '../imports/progress-line.js';
import { uploadFile, type UploadResult } from '../imports/upload-file.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FIRST_ERRORS = 10;

class UsageError extends Error {}

function localApiKey(): string | undefined {
  const file = path.join(ROOT, '.data', 'local-workspace.json');
  if (!existsSync(file)) return undefined;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { apiKey?: unknown };
  return typeof saved.apiKey === 'string' ? saved.apiKey : undefined;
}

function formatOf(file: string, given: string | undefined): ImportFormat {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  const guessed = name.endsWith('.csv')
    ? 'csv'
    : /\.(ndjson|jsonl)$/.test(name)
      ? 'ndjson'
      : undefined;
  const format = ImportFormat.safeParse(given ?? guessed);
  if (!format.success) throw new UsageError('give --format csv or --format ndjson');
  return format.data;
}

function readOptions() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      kind: { type: 'string' },
      format: { type: 'string' },
      mapping: { type: 'string' },
      delimiter: { type: 'string' },
      url: { type: 'string' },
      'api-key': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('name one file to import');
  if (!existsSync(file)) throw new UsageError(`${file} does not exist`);
  const kind = ImportKind.safeParse(values.kind);
  if (!kind.success) throw new UsageError('give --kind profiles or --kind events');
  const apiKey = values['api-key'] ?? process.env.JUNCTION_API_KEY ?? localApiKey();
  if (!apiKey) throw new UsageError('give --api-key, set JUNCTION_API_KEY or run `npm start`');
  const mapping = values.mapping
    ? JSON.stringify(JSON.parse(readFileSync(values.mapping, 'utf8')))
    : undefined;
  return {
    file,
    kind: kind.data,
    format: formatOf(file, values.format),
    delimiter: values.delimiter,
    mapping,
    baseUrl:
      values.url ?? process.env.JUNCTION_URL ?? `http://localhost:${process.env.PORT ?? 4000}`,
    apiKey,
    gzipped: file.toLowerCase().endsWith('.gz'),
    json: values.json,
  };
}
type Options = ReturnType<typeof readOptions>;

interface JobView {
  id: string;
  status: string;
  counts: { rows: number; stored: number; duplicates: number; rejected: number; bytes: number };
  errorsStored: number;
  failure?: { code: string; message: string; row?: number };
}

async function firstErrors(options: Options, id: string): Promise<ImportIssue[]> {
  const url = new URL(`/v1/imports/${id}/errors?limit=${FIRST_ERRORS}`, options.baseUrl);
  const response = await fetch(url, { headers: { authorization: `Bearer ${options.apiKey}` } });
  if (!response.ok) return [];
  return ((await response.json()) as { errors: ImportIssue[] }).errors;
}

function summary(job: JobView, errors: ImportIssue[], seconds: number): string {
  const { counts } = job;
  const lines = [
    `import ${job.id} ${job.status} in ${seconds.toFixed(1)} s`,
    `  rows        ${counts.rows}`,
    `  stored      ${counts.stored}`,
    `  duplicates  ${counts.duplicates}`,
    `  rejected    ${counts.rejected}`,
  ];
  if (job.failure) {
    const where = job.failure.row ? ` (row ${job.failure.row})` : '';
    lines.push(`  failure     ${job.failure.code}${where}: ${job.failure.message}`);
  }
  if (errors.length > 0) {
    lines.push(`first errors (all of them: GET /v1/imports/${job.id}/errors):`);
    for (const e of errors) lines.push(`  row ${e.row}  ${e.field}  ${e.code}  ${e.message}`);
  }
  return lines.join('\n');
}

function jobOf(result: UploadResult): JobView {
  const body = result.body as { import?: JobView; error?: { code: string; message: string } };
  if (body.import) return body.import;
  const error = body.error ?? { code: `http_${result.status}`, message: String(result.body) };
  throw new Error(`the import was refused (${result.status} ${error.code}): ${error.message}`);
}

async function main(options: Options): Promise<number> {
  const started = performance.now();
  let bar: ReturnType<typeof progressLine> | undefined;
  const result = await uploadFile({
    ...options,
    onProgress: (bytes, rows, total) => {
      bar ??= progressLine(total, process.stderr);
      bar.update(bytes, rows);
    },
  });
  bar?.finish(result.bytes, result.rows);
  const job = jobOf(result);
  const errors = job.errorsStored > 0 ? await firstErrors(options, job.id) : [];
  const seconds = (performance.now() - started) / 1000;
  const text = options.json
    ? JSON.stringify({ import: job, errors })
    : summary(job, errors, seconds);
  process.stdout.write(`${text}\n`);
  return job.status === 'completed' ? 0 : 1;
}

try {
  process.exitCode = await main(readOptions());
} catch (error) {
  let message = error instanceof Error ? error.message : String(error);
  if (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    error.code === 'ECONNRESET'
  ) {
    message +=
      '\nthe server closed the upload; what was read so far is imported (GET /v1/imports), and ' +
      'running the same file again imports the rest, counting the rows already in as duplicates';
  }
  process.stderr.write(`import: ${message}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
