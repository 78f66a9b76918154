import type { ChannelType } from '@junction/core/store';

/** One rendered message for one person, as a channel adapter sends it. */
export interface ChannelSendRequest {
  /** The send's idempotency key; providers that dedupe receive it on every attempt. */
  key: string;
  workspaceId: string;
  profileId: string;
  /** The address on this channel: an email address, a phone number, a device token. */
  to: string;
  subject?: string;
  body: string;
  /** The channel's stored settings (`ChannelDoc.config`). */
  config: Record<string, unknown>;
  /** Facts the receiver may want beside the rendered text. */
  context: { journeyId: string; version: number; nodeId: string; template: string };
}

/** What the provider answered; `response` is kept in the delivery log. */
export interface ChannelSendResult {
  providerMessageId: string;
  status: number;
  response: string;
}

/** The person as an adapter reads an address from them: decoded traits. */
export interface Recipient {
  profileId: string;
  traits: Record<string, unknown>;
}

/**
 * A way to reach people. `send` throws `RetryableSendError` when a later attempt may succeed
 * (5xx, 408, 429, the network) and `PermanentSendError` when it cannot (any other refusal, a
 * broken configuration).
 */
export interface ChannelAdapter {
  type: ChannelType;
  /** The person's address on this channel, or null when they have none. */
  recipient(person: Recipient): string | null;
  send(request: ChannelSendRequest): Promise<ChannelSendResult>;
}

/** What a provider answered before a send failed, when it answered at all. */
export interface SendFailureDetail {
  status?: number;
  response?: string;
  cause?: unknown;
}

/** A failed send, with what the provider answered. */
abstract class SendError extends Error {
  readonly status: number | undefined;
  readonly response: string | undefined;
  constructor(message: string, detail: SendFailureDetail = {}) {
    super(message, { cause: detail.cause });
    this.status = detail.status;
    this.response = detail.response;
  }
}

/** A send that may succeed if tried again: Temporal retries the activity. */
export class RetryableSendError extends SendError {
  override readonly name = 'RetryableSendError';
}

/** A send no retry can fix: the provider refused it, or the channel is misconfigured. */
export class PermanentSendError extends SendError {
  override readonly name = 'PermanentSendError';
}

/** Whether an HTTP status is worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
