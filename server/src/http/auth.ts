import type { NextFunction, Request, Response } from 'express';

import type { SourceKind } from '@junction/core';
import type { Author } from '@junction/core/store';

import type { CredentialResolver } from '../workspaces/credentials.js';
import { HttpError } from './errors.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the auth middleware; every handler scopes its reads and writes to it. */
    workspaceId?: string;
    /** Set by write-key auth: the kind of source the key was issued to. */
    sourceKind?: SourceKind;
    /** Set by API-key auth: who acts, recorded as the author of configuration changes. */
    actor?: Author;
  }
}

export function requireWorkspace(req: Request): string {
  if (!req.workspaceId) throw new HttpError(401, 'unauthenticated', 'missing credentials');
  return req.workspaceId;
}

/** Who acts on an API-key request; every versioned change records it as its author. */
export function requireActor(req: Request): Author {
  if (!req.actor) throw new HttpError(401, 'unauthenticated', 'missing credentials');
  return req.actor;
}

/** The workspace and source kind of a request authenticated with a write key. */
export function requireSource(req: Request): { workspaceId: string; source: SourceKind } {
  const workspaceId = requireWorkspace(req);
  if (!req.sourceKind) throw new HttpError(401, 'unauthenticated', 'missing write key');
  return { workspaceId, source: req.sourceKind };
}

/**
 * Segment convention: the write key is the HTTP Basic username (password empty), or `writeKey`
 * in the JSON body. Runs after body parsing.
 */
export function writeKeyAuth(resolver: CredentialResolver) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const key = basicUsername(req.headers.authorization) ?? bodyWriteKey(req.body);
    if (!key)
      throw new HttpError(
        401,
        'missing_write_key',
        'send the write key as the Basic auth username',
      );
    const credential = await resolver.resolve(key, 'write');
    if (!credential) throw new HttpError(401, 'invalid_write_key', 'the write key is not valid');
    req.workspaceId = credential.workspaceId;
    req.sourceKind = credential.sourceKind ?? 'server';
    next();
  };
}

/** Management API: `Authorization: Bearer <api key>`. */
export function apiKeyAuth(resolver: CredentialResolver) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1])
      throw new HttpError(401, 'missing_api_key', 'send an API key as a Bearer token');
    const credential = await resolver.resolve(match[1], 'api');
    if (!credential) throw new HttpError(401, 'invalid_api_key', 'the API key is not valid');
    req.workspaceId = credential.workspaceId;
    // The hash prefix names the key without revealing it; the full hash would let one look it up.
    req.actor = { id: credential._id.slice(0, 12), name: credential.name };
    next();
  };
}

function basicUsername(header: string | undefined): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const username = decoded.split(':')[0];
  return username || undefined;
}

function bodyWriteKey(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('writeKey' in body)) return undefined;
  return typeof body.writeKey === 'string' && body.writeKey ? body.writeKey : undefined;
}
