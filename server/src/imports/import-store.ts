import type { Db } from 'mongodb';

import type { ImportFormat, ImportIssue, ImportKind, ImportMapping } from '@junction/core';
import {
  importCollections,
  importErrorDocId,
  type ImportCollections,
  type ImportErrorDoc,
  type ImportJobDoc,
} from '@junction/core/store';

import { newId } from '../workspaces/credentials.js';

/** Issues kept per job; past this they are only counted, so one bad file cannot fill the disk. */
export const MAX_STORED_ERRORS = 10_000;

/** A running job not updated for this long belongs to a process that stopped. */
const STALE_AFTER_MS = 10 * 60 * 1000;

export interface NewImport {
  kind: ImportKind;
  format: ImportFormat;
  mapping: ImportMapping | null;
}

/** The API's view of a job: `id` instead of `_id`, and no workspace. */
export function importView(job: ImportJobDoc, now = new Date()) {
  const view = {
    id: job._id,
    kind: job.kind,
    format: job.format,
    status: job.status,
    mapping: job.mapping,
    mappingSuggested: job.mappingSuggested,
    counts: job.counts,
    errorsStored: job.errorsStored,
    failure: job.failure,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    updatedAt: job.updatedAt,
  };
  const stale =
    job.status === 'running' && now.getTime() - job.updatedAt.getTime() > STALE_AFTER_MS;
  if (!stale) return view;
  const failure = { code: 'interrupted', message: 'the import stopped before the file was read' };
  return { ...view, status: 'failed' as const, failure };
}
export type ImportView = ReturnType<typeof importView>;

export class ImportStore {
  private readonly db: ImportCollections;

  constructor(db: Db) {
    this.db = importCollections(db);
  }

  async create(workspaceId: string, input: NewImport): Promise<ImportJobDoc> {
    const now = new Date();
    const job: ImportJobDoc = {
      _id: newId('imp'),
      workspaceId,
      ...input,
      status: 'queued',
      mappingSuggested: false,
      counts: { rows: 0, stored: 0, duplicates: 0, rejected: 0, bytes: 0 },
      errorsStored: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.db.importJobs.insertOne(job);
    return job;
  }

  /** Writes the job's changing fields; the runner owns the job while it runs. */
  async save(job: ImportJobDoc): Promise<void> {
    job.updatedAt = new Date();
    const { status, mapping, mappingSuggested, counts, errorsStored, updatedAt } = job;
    const fields: Partial<ImportJobDoc> = {
      status,
      mapping,
      mappingSuggested,
      counts,
      errorsStored,
    };
    if (job.failure) fields.failure = job.failure;
    if (job.startedAt) fields.startedAt = job.startedAt;
    if (job.finishedAt) fields.finishedAt = job.finishedAt;
    await this.db.importJobs.updateOne({ _id: job._id }, { $set: { ...fields, updatedAt } });
  }

  /** Stores issues while the job is under its cap; returns how many were kept. */
  async addErrors(job: ImportJobDoc, issues: ImportIssue[]): Promise<number> {
    const room = Math.max(0, MAX_STORED_ERRORS - job.errorsStored);
    const kept = issues.slice(0, room);
    if (kept.length === 0) return 0;
    // Reserved before the write, so that batches finishing together never pass the cap.
    const first = job.errorsStored;
    job.errorsStored += kept.length;
    const docs: ImportErrorDoc[] = kept.map((issue, n) => ({
      _id: importErrorDocId(job._id, issue.row, first + n),
      workspaceId: job.workspaceId,
      jobId: job._id,
      ...issue,
    }));
    await this.db.importErrors.insertMany(docs, { ordered: false });
    return kept.length;
  }

  async get(workspaceId: string, id: string): Promise<ImportJobDoc | null> {
    const job = await this.db.importJobs.findOne({ _id: id });
    return job?.workspaceId === workspaceId ? job : null;
  }

  async list(workspaceId: string, limit: number): Promise<ImportJobDoc[]> {
    return this.db.importJobs.find({ workspaceId }).sort({ createdAt: -1 }).limit(limit).toArray();
  }

  /**
   * A job's issues in row order, `limit` at a time; `after` is the `next` cursor of the page
   * before, so a row with several issues is never split between pages.
   */
  async errors(
    job: ImportJobDoc,
    after: string | undefined,
    limit: number,
  ): Promise<{ errors: ImportIssue[]; next: string | null }> {
    const prefix = `${job._id}:`;
    const docs = await this.db.importErrors
      .find({ workspaceId: job.workspaceId, jobId: job._id, _id: { $gt: prefix + (after ?? '') } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    const last = docs.length === limit ? docs[docs.length - 1] : undefined;
    return {
      errors: docs.map(({ row, code, field, message }) => ({ row, code, field, message })),
      next: last ? last._id.slice(prefix.length) : null,
    };
  }
}
