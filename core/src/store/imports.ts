import type { Collection, Db } from 'mongodb';

import type { ImportFormat, ImportKind, ImportMapping } from '../imports/mapping.js';

export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface ImportCounts {
  /** Data rows read from the file (a CSV header is not a row). */
  rows: number;
  stored: number;
  /** Rows whose message was already stored, e.g. by an earlier run of the same file. */
  duplicates: number;
  /** Rows refused, by the mapping or by ingestion; their issues are in `import_errors`. */
  rejected: number;
  /** Bytes of the request body received, as sent (compressed when gzipped). */
  bytes: number;
}

/** One file import; `_id` is a new id. Counts are written as the file is read. */
export interface ImportJobDoc {
  _id: string;
  workspaceId: string;
  kind: ImportKind;
  format: ImportFormat;
  status: ImportStatus;
  /** The mapping in force: the one sent, or the one suggested from the file's columns. */
  mapping: ImportMapping | null;
  mappingSuggested: boolean;
  counts: ImportCounts;
  /** Issues kept in `import_errors`; past the cap, issues are only counted in `rejected`. */
  errorsStored: number;
  /** Why the whole import stopped (a malformed file, an aborted upload, a database failure). */
  failure?: { code: string; message: string; row?: number };
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  updatedAt: Date;
}

/** One problem with one row; `_id` is `jobId:row:n` with the row zero-padded, so ids sort. */
export interface ImportErrorDoc {
  _id: string;
  workspaceId: string;
  jobId: string;
  row: number;
  code: string;
  field: string;
  message: string;
}

export interface ImportCollections {
  importJobs: Collection<ImportJobDoc>;
  importErrors: Collection<ImportErrorDoc>;
}

export function importCollections(db: Db): ImportCollections {
  return {
    importJobs: db.collection('import_jobs'),
    importErrors: db.collection('import_errors'),
  };
}

export function importErrorDocId(jobId: string, row: number, n: number): string {
  return `${jobId}:${String(row).padStart(10, '0')}:${n}`;
}
