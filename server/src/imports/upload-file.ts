import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { ImportFormat, ImportKind } from '@junction/core';

export interface UploadOptions {
  baseUrl: string;
  apiKey: string;
  file: string;
  kind: ImportKind;
  format: ImportFormat;
  delimiter?: string | undefined;
  /** A mapping as JSON text; left out, the server suggests one from the file's columns. */
  mapping?: string | undefined;
  /** The file is already gzipped: it is sent as is, with `Content-Encoding: gzip`. */
  gzipped: boolean;
  onProgress?: (bytes: number, rows: number, total: number) => void;
}

export interface UploadResult {
  status: number;
  body: unknown;
  bytes: number;
  rows: number;
}

const CONTENT_TYPES: Record<ImportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

/** Counts bytes and newlines (rows, roughly) as the file goes by. */
function counter(onChunk: (bytes: number, newlines: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let newlines = 0;
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) newlines++;
      onChunk(chunk.length, newlines);
      done(null, chunk);
    },
  });
}

export function importUrl(options: Omit<UploadOptions, 'apiKey' | 'file' | 'gzipped'>): URL {
  const url = new URL('/v1/imports', options.baseUrl);
  url.searchParams.set('kind', options.kind);
  url.searchParams.set('format', options.format);
  if (options.delimiter) url.searchParams.set('delimiter', options.delimiter);
  if (options.mapping) url.searchParams.set('mapping', options.mapping);
  return url;
}

/** Streams a file to `POST /v1/imports` and resolves with the answer once the import is done. */
export async function uploadFile(options: UploadOptions): Promise<UploadResult> {
  const total = (await stat(options.file)).size;
  const url = importUrl(options);
  const client = url.protocol === 'https:' ? https : http;
  const headers: http.OutgoingHttpHeaders = {
    authorization: `Bearer ${options.apiKey}`,
    'content-type': CONTENT_TYPES[options.format],
    'content-length': total,
  };
  if (options.gzipped) headers['content-encoding'] = 'gzip';
  let bytes = 0;
  let rows = 0;
  const request = client.request(url, { method: 'POST', headers });
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () =>
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      response.once('error', reject);
    });
    request.once('error', reject);
  });
  const sent = pipeline(
    createReadStream(options.file),
    counter((chunkBytes, newlines) => {
      bytes += chunkBytes;
      rows += newlines;
      options.onProgress?.(bytes, rows, total);
    }),
    request,
  );
  // The server may answer early (a bad parameter) and stop reading: the answer is what counts.
  const [result] = await Promise.all([answer, sent.catch(() => undefined)]);
  let body: unknown = result.text;
  try {
    body = JSON.parse(result.text);
  } catch {
    // Not JSON (a proxy's error page): kept as text for the message.
  }
  return { status: result.status, body, bytes, rows };
}
