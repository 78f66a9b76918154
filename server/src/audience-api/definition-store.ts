import type { Collection, Filter } from 'mongodb';

import { diffDefinitions } from '@junction/core';
import {
  audienceObjectId,
  audienceVersionId,
  isDuplicateKey,
  type AudienceObjectDoc,
  type AudienceVersionDoc,
  type Author,
  type DefinitionChange,
} from '@junction/core/store';

import { HttpError } from '../http/errors.js';

export type AudienceKind = 'tag' | 'segment';

export interface WriteOptions {
  /** The version the caller based its change on; a newer head makes the write a conflict. */
  expectedVersion?: number | undefined;
  rolledBackTo?: number | undefined;
  now?: Date;
}

export interface WriteResult<D> {
  head: AudienceObjectDoc<D>;
  version: AudienceVersionDoc<D>;
  /** False when the definition equals the newest one: no version is added. */
  written: boolean;
}

export interface HistoryPage<D> {
  versions: Omit<AudienceVersionDoc<D>, 'definition'>[];
  /** Pass as `before` for the older versions; null on the last page. */
  next: number | null;
}

/** A version nobody moved the head to for this long was left by a crashed writer. */
const ABANDONED_AFTER_MS = 60_000;

/**
 * Tags or segments with their versions: a head document per key holding the newest version and
 * one insert-only document per version. Without transactions the version is inserted first
 * (its `_id` lets only one writer of a version win), then the head moves.
 */
export class DefinitionStore<D extends { key: string }> {
  constructor(
    readonly kind: AudienceKind,
    private readonly heads: Collection<AudienceObjectDoc<D>>,
    private readonly versions: Collection<AudienceVersionDoc<D>>,
  ) {}

  async list(workspaceId: string): Promise<AudienceObjectDoc<D>[]> {
    const filter = { workspaceId, deleted: false } as Filter<AudienceObjectDoc<D>>;
    return this.heads.find(filter).sort({ key: 1 }).toArray();
  }

  /** The head of a key, deleted or not; null when the key was never used. */
  async head(workspaceId: string, key: string): Promise<AudienceObjectDoc<D> | null> {
    const filter = { _id: audienceObjectId(workspaceId, key), workspaceId };
    return this.heads.findOne(filter as Filter<AudienceObjectDoc<D>>);
  }

  async get(workspaceId: string, key: string): Promise<AudienceObjectDoc<D>> {
    const head = await this.head(workspaceId, key);
    if (!head || head.deleted) throw this.notFound(key);
    return head;
  }

  /** Newest first, read by `_id` from the head's version down. */
  async history(
    workspaceId: string,
    key: string,
    page: { before?: number | undefined; limit: number },
  ): Promise<HistoryPage<D>> {
    const head = await this.head(workspaceId, key);
    if (!head) throw this.notFound(key);
    const top = Math.min(head.version, (page.before ?? Infinity) - 1);
    const numbers = [];
    for (let n = top; n >= 1 && numbers.length < page.limit; n--) numbers.push(n);
    const filter = { _id: { $in: numbers.map((n) => audienceVersionId(workspaceId, key, n)) } };
    const docs = await this.versions
      .find(filter as Filter<AudienceVersionDoc<D>>, { projection: { definition: 0 } })
      .toArray();
    docs.sort((a, b) => b.version - a.version);
    const lowest = numbers[numbers.length - 1];
    return { versions: docs, next: lowest !== undefined && lowest > 1 ? lowest : null };
  }

  async version(workspaceId: string, key: string, version: number): Promise<AudienceVersionDoc<D>> {
    const filter = { _id: audienceVersionId(workspaceId, key, version), workspaceId };
    const doc = await this.versions.findOne(filter as Filter<AudienceVersionDoc<D>>);
    if (!doc) {
      const message = `${this.kind} "${key}" has no version ${version}`;
      throw new HttpError(404, 'version_not_found', message);
    }
    return doc;
  }

  /** Publishes `definition` (null deletes) as the key's next version. */
  async write(
    workspaceId: string,
    key: string,
    definition: D | null,
    author: Author,
    options: WriteOptions = {},
  ): Promise<WriteResult<D>> {
    const now = options.now ?? new Date();
    for (let attempt = 0; ; attempt++) {
      const head = await this.head(workspaceId, key);
      const base = head?.version ?? 0;
      if (options.expectedVersion !== undefined && options.expectedVersion !== base) {
        throw this.conflict(key, `it is at version ${base}, not ${options.expectedVersion}`);
      }
      const previous = head && !head.deleted ? head.definition : null;
      const changes = changesBetween(previous, definition);
      if (head && changes.length === 0) {
        return { head, version: await this.version(workspaceId, key, base), written: false };
      }
      const version: AudienceVersionDoc<D> = {
        _id: audienceVersionId(workspaceId, key, base + 1),
        workspaceId,
        key,
        version: base + 1,
        definition,
        author,
        createdAt: now,
        changes,
        ...(options.rolledBackTo !== undefined ? { rolledBackTo: options.rolledBackTo } : {}),
      };
      try {
        await this.versions.insertOne(version);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        if (attempt === 0 && (await this.adoptAbandoned(head, version._id, now))) continue;
        throw this.conflict(key, 'another change was saved at the same time');
      }
      const moved = await this.moveHead(head, version);
      if (!moved) throw this.conflict(key, 'another change was saved at the same time');
      return { head: moved, version, written: true };
    }
  }

  private async moveHead(
    head: AudienceObjectDoc<D> | null,
    version: AudienceVersionDoc<D>,
  ): Promise<AudienceObjectDoc<D> | null> {
    const { workspaceId, key, definition, author, createdAt } = version;
    if (!head) {
      if (!definition) return null;
      const doc: AudienceObjectDoc<D> = {
        _id: audienceObjectId(workspaceId, key),
        workspaceId,
        key,
        version: version.version,
        definition,
        deleted: false,
        createdAt,
        updatedAt: createdAt,
        updatedBy: author,
      };
      try {
        await this.heads.insertOne(doc);
      } catch (error) {
        if (isDuplicateKey(error)) return null;
        throw error;
      }
      return doc;
    }
    // A deleted head keeps its last definition, so the stored shape never holds a null.
    const moved = {
      version: version.version,
      deleted: definition === null,
      definition: definition ?? head.definition,
      updatedAt: createdAt,
      updatedBy: author,
    };
    const filter = { _id: head._id, version: head.version };
    const result = await this.heads.updateOne(filter, { $set: moved });
    return result.matchedCount === 1 ? { ...head, ...moved } : null;
  }

  /** A crashed writer's version the head never reached is made the head, so writes go on. */
  private async adoptAbandoned(
    head: AudienceObjectDoc<D> | null,
    versionId: string,
    now: Date,
  ): Promise<boolean> {
    const filter = { _id: versionId } as Filter<AudienceVersionDoc<D>>;
    const found = await this.versions.findOne(filter);
    if (!found || found.createdAt.getTime() > now.getTime() - ABANDONED_AFTER_MS) return false;
    return (await this.moveHead(head, found)) !== null;
  }

  private notFound(key: string): HttpError {
    return new HttpError(
      404,
      `${this.kind}_not_found`,
      `no ${this.kind} "${key}" in this workspace`,
    );
  }

  private conflict(key: string, why: string): HttpError {
    const message = `${this.kind} "${key}" changed meanwhile (${why}); reload it and retry`;
    return new HttpError(409, 'version_conflict', message);
  }
}

/** The first version and a deletion record the whole definition as one change at the root. */
function changesBetween<D>(previous: D | null, next: D | null): DefinitionChange[] {
  if (previous === null && next === null) return [];
  if (previous === null) return [{ path: [], after: next }];
  if (next === null) return [{ path: [], before: previous }];
  return diffDefinitions(previous, next);
}
