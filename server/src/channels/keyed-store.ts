import type { Collection, Filter, OptionalUnlessRequiredId, UpdateFilter } from 'mongodb';

import { isDuplicateKey, type Author } from '@junction/core/store';

import { HttpError } from '../http/errors.js';

/** What every keyed configuration document has; `_id` is `workspace:key`. */
export interface KeyedDoc {
  _id: string;
  workspaceId: string;
  key: string;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: Author;
}

export type KeyedFields<D extends KeyedDoc> = Omit<D, keyof KeyedDoc>;

export function keyedId(workspaceId: string, key: string): string {
  return `${workspaceId}:${key}`;
}

/**
 * Channels and templates: one document per workspace key, read and written by `_id`.
 * TODO(governance): changes here are not versioned or audited yet, unlike journeys and the
 * audience definitions.
 */
export class KeyedStore<D extends KeyedDoc> {
  constructor(
    readonly kind: 'channel' | 'template',
    private readonly collection: Collection<D>,
  ) {}

  async list(workspaceId: string): Promise<D[]> {
    return this.collection
      .find({ workspaceId } as Filter<D>)
      .sort({ key: 1 })
      .toArray() as Promise<D[]>;
  }

  async get(workspaceId: string, key: string): Promise<D> {
    const doc = await this.collection.findOne(this.byKey(workspaceId, key));
    if (!doc) throw this.notFound(key);
    return doc as D;
  }

  async create(
    workspaceId: string,
    key: string,
    fields: KeyedFields<D>,
    author: Author,
  ): Promise<D> {
    const now = new Date();
    const base: KeyedDoc = {
      _id: keyedId(workspaceId, key),
      workspaceId,
      key,
      createdAt: now,
      updatedAt: now,
      updatedBy: author,
    };
    const doc = { ...fields, ...base } as D;
    try {
      await this.collection.insertOne(doc as OptionalUnlessRequiredId<D>);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const message = `a ${this.kind} with key "${key}" already exists`;
      throw new HttpError(409, `${this.kind}_exists`, message);
    }
    return doc;
  }

  async replace(
    workspaceId: string,
    key: string,
    fields: KeyedFields<D>,
    author: Author,
  ): Promise<D> {
    const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    // An optional field left out of the new version is removed, not kept from the old one.
    const unset = Object.keys(fields).filter((name) => !(name in set));
    const update = {
      $set: { ...set, updatedAt: new Date(), updatedBy: author },
      ...(unset.length > 0 ? { $unset: Object.fromEntries(unset.map((name) => [name, ''])) } : {}),
    };
    const doc = await this.collection.findOneAndUpdate(
      this.byKey(workspaceId, key),
      update as unknown as UpdateFilter<D>,
      { returnDocument: 'after' },
    );
    if (!doc) throw this.notFound(key);
    return doc as D;
  }

  async remove(workspaceId: string, key: string): Promise<void> {
    const result = await this.collection.deleteOne(this.byKey(workspaceId, key));
    if (result.deletedCount === 0) throw this.notFound(key);
  }

  private byKey(workspaceId: string, key: string): Filter<D> {
    return { _id: keyedId(workspaceId, key), workspaceId } as Filter<D>;
  }

  private notFound(key: string): HttpError {
    return new HttpError(
      404,
      `${this.kind}_not_found`,
      `no ${this.kind} "${key}" in this workspace`,
    );
  }
}
