import { createHmac } from 'node:crypto';

import {
  isRetryableStatus,
  PermanentSendError,
  RetryableSendError,
  type ChannelAdapter,
  type ChannelSendRequest,
  type ChannelSendResult,
} from './adapter.js';

const RESPONSE_EXCERPT = 2_048;
export const SIGNATURE_HEADER = 'x-junction-signature';

interface WebhookChannelConfig {
  url: string;
  headers: Record<string, string>;
  /** When set, the body is signed with HMAC-SHA256 so the receiver can check the sender. */
  secret: string | null;
}

function readConfig(config: Record<string, unknown>): WebhookChannelConfig {
  const { url, headers, secret } = config;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    throw new PermanentSendError('the webhook channel has no http(s) url');
  }
  const valid =
    headers === undefined ||
    (typeof headers === 'object' &&
      headers !== null &&
      Object.values(headers).every((value) => typeof value === 'string'));
  if (!valid) throw new PermanentSendError('the webhook channel headers must be strings');
  return {
    url,
    headers: (headers ?? {}) as Record<string, string>,
    secret: typeof secret === 'string' && secret !== '' ? secret : null,
  };
}

/** `t=<unix seconds>,v1=<hex HMAC of "t.body">`: the timestamp lets receivers refuse replays. */
export function webhookSignature(secret: string, body: string, at: Date): string {
  const seconds = Math.floor(at.getTime() / 1000);
  const mac = createHmac('sha256', secret).update(`${seconds}.${body}`).digest('hex');
  return `t=${seconds},v1=${mac}`;
}

function providerId(text: string, fallback: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'id' in parsed) {
      const { id } = parsed;
      if (typeof id === 'string' || typeof id === 'number') return String(id);
    }
  } catch {
    // Receivers need not answer JSON; the idempotency key then names the message.
  }
  return fallback;
}

/**
 * Delivers messages as JSON POSTs to the channel's URL: the person, the rendered subject and
 * body. The send's key goes in `Idempotency-Key`, the same on every attempt.
 */
export function createWebhookChannel(options: { timeoutMs?: number } = {}): ChannelAdapter {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    type: 'webhook',
    recipient: (person) => person.profileId,
    async send(request: ChannelSendRequest): Promise<ChannelSendResult> {
      const config = readConfig(request.config);
      const body = JSON.stringify({
        key: request.key,
        profile: { id: request.profileId },
        to: request.to,
        subject: request.subject ?? null,
        body: request.body,
        journey: {
          id: request.context.journeyId,
          version: request.context.version,
          nodeId: request.context.nodeId,
        },
        template: request.context.template,
      });
      // `set` replaces a configured header in any letter case; spreading would send both values.
      const headers = new Headers(config.headers);
      headers.set('content-type', 'application/json');
      headers.set('idempotency-key', request.key);
      if (config.secret) {
        headers.set(SIGNATURE_HEADER, webhookSignature(config.secret, body, new Date()));
      }
      let response: Response;
      try {
        response = await fetch(config.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'manual',
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new RetryableSendError(`webhook unreachable: ${message}`, { cause: error });
      }
      const text = (await response.text()).slice(0, RESPONSE_EXCERPT);
      const detail = { status: response.status, response: text };
      if (response.ok) {
        return { providerMessageId: providerId(text, request.key), ...detail };
      }
      const message = `webhook answered ${response.status}`;
      if (isRetryableStatus(response.status)) throw new RetryableSendError(message, detail);
      throw new PermanentSendError(message, detail);
    },
  };
}
