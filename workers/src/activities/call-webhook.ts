import { ApplicationFailure } from '@temporalio/activity';

import { decodeObject } from '@junction/core';
import type { Collections, MessageDoc } from '@junction/core/store';
import {
  NON_RETRYABLE,
  type WebhookCall,
  type WebhookOutcome,
} from '@junction/workflows/activities';

import type { Logger } from '../logger.js';

export interface WebhookDeps {
  db: Collections;
  log: Logger;
  timeoutMs?: number;
}

const RESPONSE_EXCERPT = 2_048;

/**
 * Calls a journey webhook at most once per idempotency key. The message document (`_id` = key)
 * is the record: once `sent`, a retried activity returns without calling again. The key is also
 * sent as `Idempotency-Key`, for the one window no sender can close alone (a crash after the
 * receiver answered but before `sent` was written).
 */
export function createCallWebhook({ db, log, timeoutMs = 10_000 }: WebhookDeps) {
  return async function callWebhook(call: WebhookCall): Promise<WebhookOutcome> {
    const previous = await db.messages.findOne({ _id: call.key });
    if (previous?.status === 'sent') {
      return { status: previous.response?.status ?? 0, deduplicated: true };
    }
    if (previous?.status === 'failed') {
      throw ApplicationFailure.nonRetryable(
        previous.error ?? 'webhook failed',
        NON_RETRYABLE.webhookRejected,
      );
    }
    const now = new Date();
    await db.messages.updateOne(
      { _id: call.key },
      {
        $setOnInsert: {
          workspaceId: call.workspaceId,
          journeyId: call.journeyId,
          journeyVersion: call.version,
          nodeId: call.nodeId,
          profileId: call.profileId,
          channel: 'webhook',
          request: { method: call.method, url: call.url },
          createdAt: now,
        } satisfies Partial<MessageDoc>,
        $set: { status: 'sending', updatedAt: now },
        $inc: { attempts: 1 },
      },
      { upsert: true },
    );

    const payload = await buildPayload(db, call);
    let response: Response;
    try {
      response = await fetch(call.url, {
        method: call.method,
        headers: webhookHeaders(call),
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
    } catch (error) {
      const message = `webhook unreachable: ${(error as Error).message}`;
      await db.messages.updateOne(
        { _id: call.key },
        { $set: { error: message, updatedAt: new Date() } },
      );
      log.warn({ key: call.key, url: call.url, err: error }, 'webhook unreachable');
      throw ApplicationFailure.retryable(message, 'WebhookUnreachable');
    }

    const body = (await response.text()).slice(0, RESPONSE_EXCERPT);
    const record = { status: response.status, body };
    if (response.ok) {
      await db.messages.updateOne(
        { _id: call.key },
        {
          $set: { status: 'sent', response: record, updatedAt: new Date() },
          $unset: { error: '' },
        },
      );
      return { status: response.status, deduplicated: false };
    }
    const message = `webhook answered ${response.status}`;
    const permanent = response.status < 500 && response.status !== 408 && response.status !== 429;
    await db.messages.updateOne(
      { _id: call.key },
      {
        $set: {
          status: permanent ? 'failed' : 'sending',
          response: record,
          error: message,
          updatedAt: new Date(),
        },
      },
    );
    log.warn({ key: call.key, url: call.url, status: response.status }, 'webhook refused');
    if (permanent) throw ApplicationFailure.nonRetryable(message, NON_RETRYABLE.webhookRejected);
    throw ApplicationFailure.retryable(message, 'WebhookServerError');
  };
}

/** What the receiver gets: who, which journey step, and the event that entered them (if any). */
async function buildPayload(db: Collections, call: WebhookCall) {
  const [profile, event] = await Promise.all([
    db.profiles.findOne({ _id: call.profileId, workspaceId: call.workspaceId }),
    call.entryEventId === undefined
      ? null
      : db.events.findOne({ _id: call.entryEventId, workspaceId: call.workspaceId }),
  ]);
  return {
    idempotencyKey: call.key,
    journey: { id: call.journeyId, version: call.version, nodeId: call.nodeId },
    profile: { id: call.profileId, traits: profile?.traits ? decodeObject(profile.traits) : {} },
    event: event
      ? {
          messageId: event.messageId,
          name: event.event,
          properties: event.properties ? decodeObject(event.properties) : {},
          timestamp: event.timestamp,
        }
      : null,
  };
}

/** The node's headers, then ours: set, not spread, so no letter case can override the key. */
function webhookHeaders(call: WebhookCall): Headers {
  const headers = new Headers(call.headers);
  headers.set('content-type', 'application/json');
  headers.set('idempotency-key', call.key);
  return headers;
}
