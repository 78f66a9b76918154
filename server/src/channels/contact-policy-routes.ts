import express, { Router } from 'express';

import type { ContactPolicyDoc, JourneyCollections } from '@junction/core/store';

import { requireWorkspace } from '../http/auth.js';
import { invalidInput } from '../http/errors.js';
import { parseInput } from '../http/parse.js';
import { ContactPolicyInput } from './contact-policy-input.js';
import { keyedId } from './keyed-store.js';

export function contactPolicyView(doc: ContactPolicyDoc | null) {
  return {
    caps: doc?.caps ?? [],
    quietHours: doc?.quietHours ?? null,
    updatedAt: doc?.updatedAt ?? null,
  };
}

/**
 * `/v1/contact-policy`: the workspace's frequency caps and quiet hours, which every marketing
 * send of every journey obeys. One document per workspace, replaced whole by `PUT`.
 */
export function contactPolicyRoutes(db: JourneyCollections): Router {
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.get('/', async (req, res) => {
    const workspaceId = requireWorkspace(req);
    const doc = await db.contactPolicies.findOne({ _id: workspaceId, workspaceId });
    res.json({ policy: contactPolicyView(doc) });
  });

  router.put('/', async (req, res) => {
    const input = parseInput(ContactPolicyInput, req.body);
    const workspaceId = requireWorkspace(req);
    await assertKnownChannels(db, workspaceId, input);
    const doc: ContactPolicyDoc = {
      _id: workspaceId,
      workspaceId,
      ...input,
      updatedAt: new Date(),
    };
    await db.contactPolicies.replaceOne({ _id: workspaceId }, doc, { upsert: true });
    res.json({ policy: contactPolicyView(doc) });
  });

  return router;
}

/** A cap on a channel the workspace does not have would never apply: refuse it. */
async function assertKnownChannels(
  db: JourneyCollections,
  workspaceId: string,
  input: ContactPolicyInput,
): Promise<void> {
  const named = input.caps.filter((cap) => cap.channel !== '*');
  if (named.length === 0) return;
  const ids = named.map((cap) => keyedId(workspaceId, cap.channel));
  const found = await db.channels
    .find({ _id: { $in: ids }, workspaceId }, { projection: { key: 1 } })
    .toArray();
  const known = new Set(found.map((doc) => doc.key));
  const issues = input.caps.flatMap((cap, index) =>
    cap.channel === '*' || known.has(cap.channel)
      ? []
      : [
          {
            code: 'contact_policy.unknown_channel',
            path: ['caps', index, 'channel'],
            message: `no channel "${cap.channel}" in this workspace`,
          },
        ],
  );
  if (issues.length > 0) throw invalidInput(issues);
}
