import type { IncomingHttpHeaders } from 'node:http';

import { z } from 'zod';

import { ImportFormat, ImportKind, ImportMapping, type InputIssue } from '@junction/core';

import { invalidInput, zodIssues } from '../http/errors.js';
import { parseInput } from '../http/parse.js';
import { CSV_DELIMITERS, type CsvDelimiter } from './read-rows.js';

/** The mapping may come as the `mapping` query parameter or this header, as JSON. */
export const MAPPING_HEADER = 'junction-mapping';

const ImportQuery = z.object({
  kind: ImportKind,
  format: ImportFormat.optional(),
  delimiter: z.enum(CSV_DELIMITERS).optional(),
  mapping: z
    .string()
    .max(64 * 1024)
    .optional(),
});

const FORMAT_OF_TYPE: Record<string, ImportFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/x-jsonlines': 'ndjson',
};

export interface ImportRequest {
  kind: ImportKind;
  format: ImportFormat;
  delimiter: CsvDelimiter | undefined;
  /** Null when the file's columns should suggest one. */
  mapping: ImportMapping | null;
  gzip: boolean;
}

function parseMapping(raw: string, kind: ImportKind): ImportMapping {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw invalidInput([{ code: 'invalid_json', path: ['mapping'], message: 'not valid JSON' }]);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    const issue = { code: 'invalid_type', path: ['mapping'], message: 'expected an object' };
    throw invalidInput([issue]);
  }
  if ('kind' in json && json.kind !== kind) {
    const message = `the mapping is for ${String(json.kind)}, the import for ${kind}`;
    throw invalidInput([{ code: 'kind_mismatch', path: ['mapping', 'kind'], message }]);
  }
  const parsed = ImportMapping.safeParse({ ...json, kind });
  if (!parsed.success) {
    const issues = zodIssues(parsed.error).map((issue): InputIssue => ({
      ...issue,
      path: ['mapping', ...issue.path],
    }));
    throw invalidInput(issues, 'the mapping is not valid');
  }
  return parsed.data;
}

function formatOf(headers: IncomingHttpHeaders, given: ImportFormat | undefined): ImportFormat {
  if (given) return given;
  const type = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const format = FORMAT_OF_TYPE[type];
  if (format) return format;
  const message = 'give format=csv or format=ndjson, or a text/csv or application/x-ndjson body';
  throw invalidInput([{ code: 'format_required', path: ['format'], message }]);
}

function isGzip(headers: IncomingHttpHeaders): boolean {
  const encoding = (headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return true;
  if (encoding === 'identity') return false;
  const message = 'send the file as is or gzipped (Content-Encoding: gzip)';
  throw invalidInput([{ code: 'unsupported_encoding', path: ['content-encoding'], message }]);
}

/** Reads what a `POST /v1/imports` asks for from its query and headers; throws a 400 if bad. */
export function readImportRequest(query: unknown, headers: IncomingHttpHeaders): ImportRequest {
  const params = parseInput(ImportQuery, query);
  const header = headers[MAPPING_HEADER];
  const rawMapping = params.mapping ?? (typeof header === 'string' ? header : undefined);
  return {
    kind: params.kind,
    format: formatOf(headers, params.format),
    delimiter: params.delimiter,
    mapping: rawMapping === undefined ? null : parseMapping(rawMapping, params.kind),
    gzip: isGzip(headers),
  };
}

export const ErrorsQuery = z.object({
  after: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
