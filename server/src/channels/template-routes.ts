import express, { Router } from 'express';
import { z } from 'zod';

import { ResourceKey } from '@junction/core';
import type { Collections, TemplateDoc } from '@junction/core/store';

import { requireActor, requireWorkspace } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/parse.js';
import { bodyWithKey } from './key-body.js';
import type { KeyedStore } from './keyed-store.js';
import { assertUnused } from './resource-usage.js';
import { TemplateInput } from './template-input.js';
import { templateSyntaxIssues } from './template-syntax.js';

const KeyParams = z.object({ key: ResourceKey });

export function templateView(doc: TemplateDoc) {
  return {
    key: doc.key,
    channelType: doc.channelType,
    name: doc.name,
    subject: doc.subject ?? null,
    body: doc.body,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    updatedBy: doc.updatedBy,
  };
}

/** Parses a template and refuses Liquid that would not render. */
function parseTemplate(body: unknown): TemplateInput {
  const input = parseInput(TemplateInput, body);
  const issues = templateSyntaxIssues(input);
  if (issues.length > 0) {
    throw new HttpError(400, 'template.syntax', 'the template is not valid Liquid', issues);
  }
  return input;
}

function fieldsOf(input: TemplateInput) {
  const { channelType, name, subject, body } = input;
  return { channelType, name, subject, body };
}

/** `/v1/templates`: Liquid message templates, one per workspace key. */
export function templateRoutes(db: Collections, templates: KeyedStore<TemplateDoc>): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));

  router.get('/', async (req, res) => {
    const docs = await templates.list(requireWorkspace(req));
    res.json({ templates: docs.map(templateView) });
  });

  router.post('/', async (req, res) => {
    const input = parseTemplate(req.body);
    const workspaceId = requireWorkspace(req);
    const doc = await templates.create(workspaceId, input.key, fieldsOf(input), requireActor(req));
    res.status(201).json({ template: templateView(doc) });
  });

  router.get('/:key', async (req, res) => {
    const { key } = parseInput(KeyParams, req.params);
    res.json({ template: templateView(await templates.get(requireWorkspace(req), key)) });
  });

  router.put('/:key', async (req, res) => {
    const { key } = parseInput(KeyParams, req.params);
    const input = parseTemplate(bodyWithKey(req.body, key));
    const workspaceId = requireWorkspace(req);
    const stored = await templates.get(workspaceId, key);
    if (input.channelType !== stored.channelType) {
      await assertUnused(db, workspaceId, { template: key }, 'retype');
    }
    const doc = await templates.replace(workspaceId, key, fieldsOf(input), requireActor(req));
    res.json({ template: templateView(doc) });
  });

  router.delete('/:key', async (req, res) => {
    const { key } = parseInput(KeyParams, req.params);
    const workspaceId = requireWorkspace(req);
    await templates.get(workspaceId, key);
    await assertUnused(db, workspaceId, { template: key }, 'delete');
    await templates.remove(workspaceId, key);
    res.json({ deleted: true, key });
  });

  return router;
}
