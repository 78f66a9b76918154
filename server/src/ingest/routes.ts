import express, { Router } from 'express';
import {
  BatchEnvelope,
  BatchItem,
  IdentifyMessage,
  MAX_BATCH_BYTES,
  MAX_MESSAGE_BYTES,
  TrackMessage,
  type InputIssue,
} from '@junction/core';

import { requireWorkspace, writeKeyAuth } from '../http/auth.js';
import { invalidInput, zodIssues } from '../http/errors.js';
import { parseInput } from '../http/parse.js';
import type { CredentialResolver } from '../workspaces/credentials.js';
import type { IngestItem, Ingestor } from './ingest-messages.js';

/** analytics.js sends `text/plain` beacons to avoid CORS preflights; both carry JSON. */
const jsonTypes = ['application/json', 'text/plain'];

/** The Segment-compatible tracking API under `/v1`. */
export function trackingRoutes(ingestor: Ingestor, credentials: CredentialResolver): Router {
  const router = Router();
  const single = express.json({ limit: MAX_MESSAGE_BYTES, type: jsonTypes, strict: true });
  const auth = writeKeyAuth(credentials);

  router.post('/identify', single, auth, async (req, res) => {
    const message = parseInput(IdentifyMessage, req.body);
    const [result] = await ingestor.ingest(requireWorkspace(req), [{ type: 'identify', message }]);
    res.status(200).json({ success: true, ...result });
  });

  router.post('/track', single, auth, async (req, res) => {
    const message = parseInput(TrackMessage, req.body);
    const [result] = await ingestor.ingest(requireWorkspace(req), [{ type: 'track', message }]);
    res.status(200).json({ success: true, ...result });
  });

  router.post(
    '/batch',
    express.json({ limit: MAX_BATCH_BYTES, type: jsonTypes }),
    auth,
    async (req, res) => {
      const envelope = parseInput(BatchEnvelope, req.body);
      const items: IngestItem[] = [];
      const errors: (InputIssue & { index: number })[] = [];
      envelope.batch.forEach((raw, index) => {
        const size = Buffer.byteLength(JSON.stringify(raw) ?? '');
        if (size > MAX_MESSAGE_BYTES) {
          errors.push({
            index,
            code: 'message_too_large',
            path: ['batch', index],
            message: `message is ${size} bytes, over ${MAX_MESSAGE_BYTES}`,
          });
          return;
        }
        const parsed = BatchItem.safeParse(withEnvelopeContext(raw, envelope.context));
        if (!parsed.success) {
          for (const issue of zodIssues(parsed.error))
            errors.push({ ...issue, index, path: ['batch', index, ...issue.path] });
          return;
        }
        items.push(
          parsed.data.type === 'identify'
            ? { type: 'identify', message: parsed.data }
            : { type: 'track', message: parsed.data },
        );
      });
      if (items.length === 0) throw invalidInput(errors, 'no message in the batch is valid');
      const results = await ingestor.ingest(requireWorkspace(req), items, envelope.sentAt);
      const stored = results.filter((r) => r.status === 'stored').length;
      res.status(200).json({
        success: errors.length === 0,
        stored,
        duplicates: results.length - stored,
        errors,
      });
    },
  );

  return router;
}

/** A batch-level `context` applies to each message that has none of its own. */
function withEnvelopeContext(raw: unknown, context: Record<string, unknown> | undefined): unknown {
  if (!context || typeof raw !== 'object' || raw === null || 'context' in raw) return raw;
  return { ...raw, context };
}
