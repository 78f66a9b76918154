import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

import { parse } from 'csv-parse';

import type { ImportFormat } from '@junction/core';

/** A row the file held, or why it could not be read as one. Rows are numbered from 1. */
export type SourceRow =
  | { row: number; values: Record<string, unknown> }
  | { row: number; issue: { code: string; field: string; message: string } };

/** A problem that stops the whole file from being read, e.g. an unclosed quote. */
export class ImportFileError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly row?: number,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

/** One row may not grow past this; it bounds the memory a single malformed row can take. */
export const MAX_ROW_CHARS = 1024 * 1024;

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/**
 * Pipes `input` through each step; an error anywhere ends the last stream with that error, so
 * whoever reads it sees the failure (an aborted upload, bad gzip, a malformed file).
 */
export function chain(input: Readable, ...steps: Transform[]): Readable {
  let current = input;
  for (const step of steps) {
    current.once('error', (error) => step.destroy(error));
    current = current.pipe(step);
  }
  return current;
}

function checkHeader(header: string[]): string[] {
  const names = header.map((name, index) => name.trim() || `column_${index + 1}`);
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (repeated.length > 0) {
    const message = `the header repeats ${[...new Set(repeated)].join(', ')}`;
    throw new ImportFileError('duplicate_column', message, 0);
  }
  return names;
}

/** CSV with a header line; a record with the wrong number of fields is an issue of its row. */
export async function* csvRows(
  input: Readable,
  delimiter: CsvDelimiter = ',',
): AsyncGenerator<SourceRow> {
  const parser = chain(
    input,
    parse({
      bom: true,
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: MAX_ROW_CHARS,
    }),
  );
  let header: string[] | undefined;
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = checkHeader(record);
        continue;
      }
      row++;
      if (record.length !== header.length) {
        const message = `expected ${header.length} fields, found ${record.length}`;
        yield { row, issue: { code: 'field_count', field: 'row', message } };
        continue;
      }
      const values: Record<string, unknown> = {};
      header.forEach((name, index) => (values[name] = record[index]));
      yield { row, values };
    }
  } catch (error) {
    throw asFileError(error, row + 1);
  }
}

function asFileError(error: unknown, row: number): unknown {
  if (error instanceof ImportFileError) return error;
  if (!(error instanceof Error) || !('code' in error)) return error;
  if (typeof error.code !== 'string' || !error.code.startsWith('CSV_')) return error;
  // csv-parse counts the header among its records, so its count is the failing data row.
  const records = 'records' in error && typeof error.records === 'number' ? error.records : row;
  return new ImportFileError('invalid_csv', error.message, Math.max(records, row));
}

const OVERSIZED = Symbol('oversized line');

/** Splits UTF-8 text into lines; a line over the limit becomes a marker, not a huge string. */
class LineSplitter extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private oversized = false;

  constructor(private readonly maxChars: number) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.split(this.decoder.write(chunk));
    done();
  }

  override _flush(done: TransformCallback): void {
    this.split(this.decoder.end());
    if (this.partial || this.oversized) this.emitLine();
    done();
  }

  private split(text: string): void {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.append(text.slice(start, end));
      this.emitLine();
      start = end + 1;
    }
    this.append(text.slice(start));
  }

  private append(piece: string): void {
    if (this.oversized) return;
    if (this.partial.length + piece.length > this.maxChars) {
      this.oversized = true;
      this.partial = '';
      return;
    }
    this.partial += piece;
  }

  private emitLine(): void {
    this.push(this.oversized ? OVERSIZED : this.partial.replace(/\r$/, ''));
    this.partial = '';
    this.oversized = false;
  }
}

function parseLine(row: number, line: string): SourceRow {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const message = error instanceof Error ? error.message : 'not JSON';
    return { row, issue: { code: 'invalid_json', field: 'row', message } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      row,
      issue: { code: 'not_an_object', field: 'row', message: 'expected a JSON object' },
    };
  }
  return { row, values: value as Record<string, unknown> };
}

/** One JSON object per line; rows are line numbers, and blank lines are skipped. */
export async function* ndjsonRows(input: Readable): AsyncGenerator<SourceRow> {
  const lines = chain(input, new LineSplitter(MAX_ROW_CHARS));
  let row = 0;
  for await (const line of lines as AsyncIterable<string | typeof OVERSIZED>) {
    row++;
    if (line === OVERSIZED) {
      const message = `the line is longer than ${MAX_ROW_CHARS} characters`;
      yield { row, issue: { code: 'row_too_large', field: 'row', message } };
      continue;
    }
    if (line.trim() === '') continue;
    yield parseLine(row, line);
  }
}

export function sourceRows(input: Readable, format: ImportFormat, delimiter?: CsvDelimiter) {
  return format === 'csv' ? csvRows(input, delimiter) : ndjsonRows(input);
}

/** Counts the bytes that flow through, for progress and the job's `bytes`. */
export function byteCounter(onBytes: (bytes: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}
