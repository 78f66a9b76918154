import express, { Router } from 'express';
import { z } from 'zod';

import { ResourceKey } from '@junction/core';
import type { ChannelDoc, Collections } from '@junction/core/store';

import { requireActor, requireWorkspace } from '../http/auth.js';
import { parseInput } from '../http/parse.js';
import { ChannelInput } from './channel-input.js';
import { bodyWithKey } from './key-body.js';
import type { KeyedStore } from './keyed-store.js';
import { assertUnused } from './resource-usage.js';

const KeyParams = z.object({ key: ResourceKey });

/** Header values (tokens, signatures) never leave the server; a client sends this to keep one. */
export const MASKED = '********';

export function channelView(doc: ChannelDoc) {
  const headers = doc.config.headers as Record<string, string> | undefined;
  const config = headers
    ? { ...doc.config, headers: Object.fromEntries(Object.keys(headers).map((h) => [h, MASKED])) }
    : doc.config;
  return {
    key: doc.key,
    type: doc.type,
    name: doc.name,
    config,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    updatedBy: doc.updatedBy,
  };
}

/** A header sent back masked keeps the value stored for it. */
function keepMaskedHeaders(input: ChannelInput, stored: ChannelDoc): ChannelInput {
  const headers = 'headers' in input.config ? input.config.headers : undefined;
  if (!headers) return input;
  const previous = (stored.config.headers ?? {}) as Record<string, string>;
  const merged = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      value === MASKED ? (previous[name] ?? value) : value,
    ]),
  );
  return { ...input, config: { ...input.config, headers: merged } } as ChannelInput;
}

/** `/v1/channels`: the channels message nodes send through, one per workspace key. */
export function channelRoutes(db: Collections, channels: KeyedStore<ChannelDoc>): Router {
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.get('/', async (req, res) => {
    const docs = await channels.list(requireWorkspace(req));
    res.json({ channels: docs.map(channelView) });
  });

  router.post('/', async (req, res) => {
    const input = parseInput(ChannelInput, req.body);
    const { key, ...fields } = input;
    const doc = await channels.create(requireWorkspace(req), key, fields, requireActor(req));
    res.status(201).json({ channel: channelView(doc) });
  });

  router.get('/:key', async (req, res) => {
    const { key } = parseInput(KeyParams, req.params);
    res.json({ channel: channelView(await channels.get(requireWorkspace(req), key)) });
  });

  router.put('/:key', async (req, res) => {
    const { key } = parseInput(KeyParams, req.params);
    const workspaceId = requireWorkspace(req);
    const stored = await channels.get(workspaceId, key);
    const input = keepMaskedHeaders(parseInput(ChannelInput, bodyWithKey(req.body, key)), stored);
    if (input.type !== stored.type) await assertUnused(db, workspaceId, { channel: key }, 'retype');
    const fields = { type: input.type, name: input.name, config: input.config };
    const doc = await channels.replace(workspaceId, key, fields, requireActor(req));
    res.json({ channel: channelView(doc) });
  });

  router.delete('/:key', async (req, res) => {
    const { key } = parseInput(KeyParams, req.params);
    const workspaceId = requireWorkspace(req);
    await channels.get(workspaceId, key);
    await assertUnused(db, workspaceId, { channel: key }, 'delete');
    await channels.remove(workspaceId, key);
    res.json({ deleted: true, key });
  });

  return router;
}
