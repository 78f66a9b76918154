import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import {
  BatchEnvelope,
  fromSdkDialect,
  isMessageType,
  MAX_BATCH_BYTES,
  MAX_MESSAGE_BYTES,
  MESSAGE_TYPES,
  nestingIssue,
  TrackingMessage,
  type InputIssue,
  type MessageType,
} from '@junction/core';

import { requireSource, writeKeyAuth } from '../http/auth.js';
import { HttpError, invalidInput, zodIssues } from '../http/errors.js';
import { parseInput } from '../http/parse.js';
import type { CredentialResolver } from '../workspaces/credentials.js';
import type { IngestResult, Ingestor } from './ingest-messages.js';

/**
 * Every body is read as JSON whatever its Content-Type, as Segment and RudderStack do: analytics.js
 * sends `text/plain` (no CORS preflight) and rudder-sdk-node labels its gzipped JSON as a form.
 */
const anyType = () => true;

/** analytics.js posts each call to its type's first letter (`/v1/t`) and batches to `/v1/b`. */
const SHORT_PATHS: Record<MessageType, string> = {
  identify: 'i',
  track: 't',
  page: 'p',
  screen: 's',
  group: 'g',
  alias: 'a',
};

type Reading = { message: TrackingMessage } | { issues: InputIssue[] };

/** A per-message error inside a batch; `path` starts at the request body (`['batch', i, ...]`). */
export interface BatchError extends InputIssue {
  index: number;
  messageId?: string;
}

/**
 * The Segment-compatible tracking API under `/v1`: one route per call type and `/batch`, each
 * also under the path analytics.js uses.
 */
export function trackingRoutes(ingestor: Ingestor, credentials: CredentialResolver): Router {
  const router = Router();
  const auth = writeKeyAuth(credentials);
  // The limits apply to the inflated body, so a small gzip bomb is refused after 32 or 500 KB.
  const single = express.json({ limit: MAX_MESSAGE_BYTES, type: anyType, strict: true });
  const batch = express.json({ limit: MAX_BATCH_BYTES, type: anyType, strict: true });

  for (const type of MESSAGE_TYPES) {
    const paths = [`/${type}`, `/${SHORT_PATHS[type]}`];
    router.post(paths, single, auth, singleCall(ingestor, type));
  }
  router.post(['/batch', '/b'], batch, auth, batchCall(ingestor));
  router.use(bodyEncodingErrors);
  return router;
}

/** One message of the route's call type; a message that is not stored answers 400. */
function singleCall(ingestor: Ingestor, type: MessageType): RequestHandler {
  return async (req, res) => {
    const reading = readMessage(req.body, type);
    if ('issues' in reading) throw invalidInput(reading.issues);
    const { workspaceId, source } = requireSource(req);
    const [result] = await ingestor.ingest(workspaceId, [reading.message], { source });
    if (!result || result.status === 'rejected') {
      throw invalidInput(result ? [issueOf(result)] : [], 'the message was not stored');
    }
    res.status(200).json({ success: true, messageId: result.messageId, status: result.status });
  };
}

/**
 * Messages of any call type. Each bad message gets its own error and the others are stored;
 * only a batch of which nothing is stored answers 400.
 */
function batchCall(ingestor: Ingestor): RequestHandler {
  return async (req, res) => {
    const envelope = parseInput(BatchEnvelope, req.body);
    const messages: TrackingMessage[] = [];
    const indexes: number[] = [];
    const errors: BatchError[] = [];
    envelope.batch.forEach((raw, index) => {
      const reading = readMessage(withEnvelopeContext(raw, envelope.context));
      if ('issues' in reading) {
        errors.push(...reading.issues.map((issue) => inBatch(issue, index, raw)));
        return;
      }
      messages.push(reading.message);
      indexes.push(index);
    });

    const { workspaceId, source } = requireSource(req);
    const results =
      messages.length > 0
        ? await ingestor.ingest(workspaceId, messages, { source, batchSentAt: envelope.sentAt })
        : [];
    let stored = 0;
    let duplicates = 0;
    results.forEach((result, n) => {
      if (result.status === 'rejected') {
        errors.push({ ...inBatch(issueOf(result), indexes[n]!), messageId: result.messageId });
      } else if (result.status === 'stored') stored++;
      else duplicates++;
    });
    errors.sort((a, b) => a.index - b.index);
    if (stored + duplicates === 0) throw invalidInput(errors, 'no message in the batch was stored');
    res.status(200).json({ success: errors.length === 0, stored, duplicates, errors });
  };
}

/**
 * Reads one message: the checks that guard the server come first (shape, nesting, size), then
 * the call type, then the message's own schema. `callType` is the route's, for single calls.
 */
function readMessage(raw: unknown, callType?: MessageType): Reading {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail({ code: 'invalid_type', path: [], message: 'a message must be a JSON object' });
  }
  const deep = nestingIssue(raw);
  if (deep) return fail(deep);
  const bytes = Buffer.byteLength(JSON.stringify(raw));
  if (bytes > MAX_MESSAGE_BYTES) {
    return fail({
      code: 'message_too_large',
      path: [],
      message: `the message is ${bytes} bytes, over the limit of ${MAX_MESSAGE_BYTES}`,
    });
  }
  const typeIssue = callTypeIssue((raw as { type?: unknown }).type, callType);
  if (typeIssue) return fail(typeIssue);
  const type = callType ?? (raw as { type: MessageType }).type;
  const parsed = TrackingMessage.safeParse({ ...(fromSdkDialect(raw) as object), type });
  return parsed.success ? { message: parsed.data } : { issues: zodIssues(parsed.error) };
}

function callTypeIssue(type: unknown, callType: MessageType | undefined): InputIssue | undefined {
  const expected = `one of ${MESSAGE_TYPES.join(', ')}`;
  if (callType) {
    if (type === undefined || type === callType) return undefined;
    return {
      code: 'type_mismatch',
      path: ['type'],
      message: `this endpoint takes ${callType} messages; send others to their own endpoint or /v1/batch`,
    };
  }
  if (type === undefined)
    return { code: 'type_required', path: ['type'], message: `type is required: ${expected}` };
  if (!isMessageType(type)) {
    return {
      code: 'unknown_type',
      path: ['type'],
      message: `unknown call type; expected ${expected}`,
    };
  }
  return undefined;
}

function fail(issue: InputIssue): Reading {
  return { issues: [issue] };
}

function issueOf(result: Extract<IngestResult, { status: 'rejected' }>): InputIssue {
  return { code: result.code, path: result.path, message: result.message };
}

function inBatch(issue: InputIssue, index: number, raw?: unknown): BatchError {
  const error: BatchError = { ...issue, index, path: ['batch', index, ...issue.path] };
  const messageId = (raw as { messageId?: unknown } | null | undefined)?.messageId;
  if (typeof messageId === 'string' && messageId.length <= 200) error.messageId = messageId;
  return error;
}

/** A batch-level `context` applies to each message that has none of its own. */
function withEnvelopeContext(raw: unknown, context: Record<string, unknown> | undefined): unknown {
  if (!context || typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  return 'context' in raw ? raw : { ...raw, context };
}

/** zlib's errors (a body that is not the gzip or deflate data its Content-Encoding says). */
const bodyEncodingErrors: ErrorRequestHandler = (err: unknown, _req, _res, next) => {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    next(
      new HttpError(
        400,
        'invalid_encoding',
        'the body is not valid data for its Content-Encoding',
        undefined,
        { cause: err },
      ),
    );
    return;
  }
  next(err);
};
