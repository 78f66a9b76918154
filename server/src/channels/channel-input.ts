import { z } from 'zod';

import { ResourceKey } from '@junction/core';

const Name = z.string().trim().min(1).max(200);
const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2048);
/** Letters, digits and `-` only: also keeps `.` and `$` out of stored keys. */
// Junction sets these itself on every send; a configured one would fight the idempotency key.
const RESERVED_HEADERS = new Set(['content-type', 'idempotency-key', 'x-junction-signature']);
const HeaderName = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9-]+$/, 'use letters, digits and "-" only')
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), {
    message: 'Junction sets this header itself',
    params: { code: 'reserved_header' },
  });
const Headers = z
  .record(HeaderName, z.string().max(4096))
  .refine((headers) => Object.keys(headers).length <= 20, 'send at most 20 headers');

/** Posts each message as JSON to `url`, with the idempotency key as a header. */
export const WebhookChannelConfig = z.strictObject({ url: HttpUrl, headers: Headers.optional() });

/** Sends through the workers' SMTP transport, as `from`. */
export const EmailChannelConfig = z.strictObject({
  from: z.email(),
  fromName: z.string().max(200).optional(),
  replyTo: z.email().optional(),
});

/** A provider's HTTP API; `from` is the sender id or number the provider knows. */
export const SmsChannelConfig = z.strictObject({
  url: HttpUrl,
  from: z.string().min(1).max(20),
  headers: Headers.optional(),
});

/** A push provider's HTTP API. */
export const PushChannelConfig = z.strictObject({ url: HttpUrl, headers: Headers.optional() });

const base = { key: ResourceKey, name: Name };

/** A channel as the API accepts it; `config` is checked against the channel's `type`. */
export const ChannelInput = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('webhook'), config: WebhookChannelConfig }),
  z.strictObject({ ...base, type: z.literal('email'), config: EmailChannelConfig }),
  z.strictObject({ ...base, type: z.literal('sms'), config: SmsChannelConfig }),
  z.strictObject({ ...base, type: z.literal('push'), config: PushChannelConfig }),
]);
export type ChannelInput = z.infer<typeof ChannelInput>;
