import type { ChannelType } from '@junction/core/store';

import type { ChannelAdapter } from './adapter.js';
import { createWebhookChannel } from './webhook-channel.js';

export * from './adapter.js';
export { createWebhookChannel, SIGNATURE_HEADER, webhookSignature } from './webhook-channel.js';

/** Adapters by channel type; a type without one fails its sends permanently. */
export type ChannelAdapters = ReadonlyMap<ChannelType, ChannelAdapter>;

// TODO(channels): email (SMTP), SMS and push adapters; until then those channels fail their sends.
export function defaultChannelAdapters(options: { timeoutMs?: number } = {}): ChannelAdapters {
  const adapters: ChannelAdapter[] = [createWebhookChannel(options)];
  return new Map(adapters.map((adapter) => [adapter.type, adapter]));
}
