import { createHash, randomBytes } from 'node:crypto';

import type { SourceKind } from '@junction/core';
import type { Collections, CredentialDoc } from '@junction/core/store';

/** Prefixes make a leaked key recognisable (and greppable by secret scanners). */
const PREFIX: Record<CredentialDoc['kind'], string> = { write: 'wk_', api: 'jk_' };

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

export interface NewWorkspace {
  workspaceId: string;
  writeKey: string;
  apiKey: string;
}

/** Creates a workspace with one write key (ingestion) and one API key (management). */
export async function createWorkspace(db: Collections, name: string): Promise<NewWorkspace> {
  const workspaceId = newId('ws');
  const now = new Date();
  await db.workspaces.insertOne({ _id: workspaceId, workspaceId, name, createdAt: now });
  const writeKey = await issueKey(db, workspaceId, 'write', 'default write key');
  const apiKey = await issueKey(db, workspaceId, 'api', 'default API key');
  return { workspaceId, writeKey, apiKey };
}

/** `sourceKind` applies to write keys only; a write key without one is a `server` source. */
export async function issueKey(
  db: Collections,
  workspaceId: string,
  kind: CredentialDoc['kind'],
  name: string,
  options: { sourceKind?: SourceKind } = {},
): Promise<string> {
  const key = PREFIX[kind] + randomBytes(24).toString('base64url');
  const doc: CredentialDoc = { _id: hashKey(key), workspaceId, kind, name, createdAt: new Date() };
  if (kind === 'write' && options.sourceKind) doc.sourceKind = options.sourceKind;
  await db.credentials.insertOne(doc);
  return key;
}

interface Cached {
  credential: CredentialDoc | null;
  expires: number;
}

/**
 * Resolves a presented key to its credential. Lookups are by `_id` (the hash) and cached briefly,
 * so every tracking call does not cost a database round trip; a revoked key stops working
 * within `ttlMs`.
 */
export class CredentialResolver {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly db: Collections,
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 10_000,
  ) {}

  async resolve(key: string, kind: CredentialDoc['kind']): Promise<CredentialDoc | null> {
    if (!key.startsWith(PREFIX[kind]) || key.length > 200) return null;
    const id = hashKey(key);
    const hit = this.cache.get(id);
    if (hit && hit.expires > Date.now()) return hit.credential;
    const credential = await this.db.credentials.findOne({ _id: id, kind });
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(id, { credential, expires: Date.now() + this.ttlMs });
    return credential;
  }
}
