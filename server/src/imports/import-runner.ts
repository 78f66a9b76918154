import {
  messageIdentifiers,
  rowToMessage,
  type IdentitySettings,
  suggestMapping,
  type ImportIssue,
  type TrackingMessage,
} from '@junction/core';
import type { ImportJobDoc } from '@junction/core/store';

import { HttpError } from '../http/errors.js';
import type { IdentitySettingsStore } from '../identity/settings-store.js';
import type { Ingestor } from '../ingest/ingest-messages.js';
import type { Logger } from '../logger.js';
import type { ImportStore } from './import-store.js';
import { PersonOrderedQueue } from './person-ordered-queue.js';
import { ImportFileError, type SourceRow } from './read-rows.js';

export type MessageSink = Pick<Ingestor, 'ingest'>;
export type IdentitySettingsSource = Pick<IdentitySettingsStore, 'get'>;

export interface RunnerOptions {
  /** Rows per `ingest` call: large enough to amortise round trips, small enough to stay flat. */
  batchSize: number;
  /** `ingest` calls in flight; batches about the same person still run in file order. */
  inFlight: number;
  /** How often running counts are written to the job. */
  progressEveryMs: number;
}

const DEFAULTS: RunnerOptions = { batchSize: 250, inFlight: 2, progressEveryMs: 1000 };

/** Rows read before a mapping is suggested, for their column names and sample values. */
const SAMPLE_ROWS = 100;
const MAX_SUGGESTED_COLUMNS = 500;

interface Batch {
  rows: number[];
  messages: TrackingMessage[];
  issues: ImportIssue[];
}

const emptyBatch = (): Batch => ({ rows: [], messages: [], issues: [] });

/** Reads rows, maps them to messages and ingests them in batches, recording counts and issues. */
export class ImportRunner {
  private readonly options: RunnerOptions;

  constructor(
    private readonly store: ImportStore,
    private readonly sink: MessageSink,
    private readonly settings: IdentitySettingsSource,
    private readonly log: Logger,
    options: Partial<RunnerOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Runs the job to its end; the job is saved as completed, or as failed before rethrowing. */
  async run(job: ImportJobDoc, rows: AsyncIterable<SourceRow>, bytes: () => number) {
    const log = this.log.child({ jobId: job._id, workspaceId: job.workspaceId });
    job.status = 'running';
    job.startedAt = new Date();
    await this.store.save(job);
    log.info({ kind: job.kind, format: job.format }, 'import started');
    try {
      await this.consume(job, rows, bytes);
      job.status = 'completed';
    } catch (error) {
      job.status = 'failed';
      job.failure = failureOf(error);
      log.warn({ err: error, failure: job.failure }, 'import failed');
      throw error;
    } finally {
      job.counts.bytes = bytes();
      job.finishedAt = new Date();
      await this.store.save(job);
      log.info({ status: job.status, counts: job.counts }, 'import finished');
    }
  }

  private async consume(job: ImportJobDoc, rows: AsyncIterable<SourceRow>, bytes: () => number) {
    const settings = await this.settings.get(job.workspaceId);
    const queue = new PersonOrderedQueue(this.options.inFlight);
    let lastProgress = Date.now();
    let batch = emptyBatch();
    const flush = async () => {
      const full = batch;
      batch = emptyBatch();
      await queue.push(personKeys(full.messages, settings), () => this.ingestBatch(job, full));
      if (Date.now() - lastProgress >= this.options.progressEveryMs) {
        lastProgress = Date.now();
        job.counts.bytes = bytes();
        await this.store.save(job);
      }
    };
    try {
      for await (const row of this.withMapping(job, rows)) {
        job.counts.rows++;
        this.addRow(job, row, batch);
        if (batch.rows.length + batch.issues.length >= this.options.batchSize) await flush();
      }
      await flush();
    } finally {
      // Counts must include every batch already sent, whether the file ended or broke off.
      await queue.drain().catch(() => undefined);
    }
    await queue.drain();
  }

  private addRow(job: ImportJobDoc, row: SourceRow, batch: Batch): void {
    if ('issue' in row) {
      job.counts.rejected++;
      batch.issues.push({ row: row.row, ...row.issue });
      return;
    }
    // withMapping sets a mapping before it yields any row with values.
    const result = rowToMessage(row.values, job.mapping!, row.row);
    if (!result.ok) {
      job.counts.rejected++;
      batch.issues.push(...result.issues);
      return;
    }
    batch.rows.push(row.row);
    batch.messages.push(result.message);
  }

  private async ingestBatch(job: ImportJobDoc, batch: Batch): Promise<void> {
    if (batch.messages.length > 0) {
      const results = await this.sink.ingest(job.workspaceId, batch.messages, { source: 'import' });
      results.forEach((result, index) => {
        if (result.status === 'rejected') {
          job.counts.rejected++;
          const { code, message } = result;
          const field = result.path.join('.') || 'row';
          batch.issues.push({ row: batch.rows[index]!, code, field, message });
        } else if (result.status === 'stored') job.counts.stored++;
        else job.counts.duplicates++;
      });
    }
    batch.issues.sort((a, b) => a.row - b.row);
    await this.store.addErrors(job, batch.issues);
  }

  /** Uses the job's mapping, or suggests one from the first rows and records it on the job. */
  private async *withMapping(job: ImportJobDoc, rows: AsyncIterable<SourceRow>) {
    if (job.mapping) {
      yield* rows;
      return;
    }
    const samples: SourceRow[] = [];
    const iterator = rows[Symbol.asyncIterator]();
    let next = await iterator.next();
    for (; !next.done && samples.length < SAMPLE_ROWS; next = await iterator.next()) {
      samples.push(next.value);
    }
    const values = samples.flatMap((row) => ('values' in row ? [row.values] : []));
    const columns = [...new Set(values.flatMap((row) => Object.keys(row)))]
      .filter((column) => column.length <= 256)
      .slice(0, MAX_SUGGESTED_COLUMNS);
    if (columns.length === 0) return yield* samples;
    job.mapping = suggestMapping(job.kind, columns, values);
    job.mappingSuggested = true;
    await this.store.save(job);
    yield* samples;
    for (; !next.done; next = await iterator.next()) yield next.value;
  }
}

/** The people a batch is about, as the identity resolver will see them. */
function personKeys(messages: TrackingMessage[], settings: IdentitySettings): Set<string> {
  const keys = new Set<string>();
  for (const message of messages) {
    for (const id of messageIdentifiers(message, settings).identifiers) {
      keys.add(`${id.type}\u0000${id.value}`);
    }
  }
  return keys;
}

function failureOf(error: unknown): NonNullable<ImportJobDoc['failure']> {
  if (error instanceof ImportFileError) {
    const { code, message, row } = error;
    return row === undefined ? { code, message } : { code, message, row };
  }
  if (error instanceof HttpError) return { code: error.code, message: error.message };
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : '';
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return { code: 'upload_aborted', message: 'the upload stopped before the end of the file' };
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return { code: 'invalid_gzip', message: 'the body is not valid gzip' };
  }
  return { code: 'internal', message: 'the import stopped on an internal error' };
}
