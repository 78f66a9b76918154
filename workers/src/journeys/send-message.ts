import { ApplicationFailure } from '@temporalio/activity';

import { decodeObject } from '@junction/core';
import type { ChannelType, ProfileDoc } from '@junction/core/store';
import type { MessageOutcome, MessageSend } from '@junction/workflows/activities';

import { PermanentSendError, RetryableSendError, type ChannelAdapter } from '../channels/index.js';
import { applyContactPolicy, SUPPRESSION } from './contact-policy.js';
import { resourceId, type JourneyActivityDeps } from './journey-deps.js';
import { MessageLog, settledOutcome, type Grants } from './message-log.js';
import { loadPerson, ownTimeZone } from './person.js';
import { renderTemplate, type RenderedMessage } from './render-template.js';

/** Why a send failed for good before reaching a provider, or at it. */
export const SEND_FAILURE = {
  channelMissing: 'channel_missing',
  channelUnsupported: 'channel_type_unsupported',
  templateMissing: 'template_missing',
  templateMismatch: 'template_channel_mismatch',
  templateError: 'template_error',
  profileMissing: 'profile_missing',
  providerRejected: 'provider_rejected',
} as const;

interface Prepared {
  adapter: ChannelAdapter;
  channelType: ChannelType;
  config: Record<string, unknown>;
  person: ProfileDoc;
  to: string | null;
  message: RenderedMessage;
}

type Preparation = { ready: Prepared } | { failed: string; error: string };

const fail = (failed: string, error: string): Preparation => ({ failed, error });

/** Loads what the send needs and renders it, or says why it can never go out. */
async function prepare(deps: JourneyActivityDeps, send: MessageSend): Promise<Preparation> {
  const [channel, template, person] = await Promise.all([
    deps.journeys.channels.findOne({ _id: resourceId(send.workspaceId, send.channel) }),
    deps.journeys.templates.findOne({ _id: resourceId(send.workspaceId, send.template) }),
    loadPerson(deps.db, send.workspaceId, send.profileId),
  ]);
  if (!channel) return fail(SEND_FAILURE.channelMissing, `no channel "${send.channel}"`);
  const adapter = deps.channels.get(channel.type);
  if (!adapter) {
    return fail(SEND_FAILURE.channelUnsupported, `no adapter sends "${channel.type}" messages yet`);
  }
  if (!template) return fail(SEND_FAILURE.templateMissing, `no template "${send.template}"`);
  if (template.channelType !== channel.type) {
    const error = `template "${template.key}" is for ${template.channelType}, the channel is ${channel.type}`;
    return fail(SEND_FAILURE.templateMismatch, error);
  }
  if (!person) return fail(SEND_FAILURE.profileMissing, 'the person no longer exists');

  const traits = decodeObject(person.traits ?? {});
  const event = send.entryEventId
    ? await deps.db.events.findOne({ _id: send.entryEventId, workspaceId: send.workspaceId })
    : null;
  let message: RenderedMessage;
  try {
    message = await renderTemplate(template, {
      profile: traits,
      tags: person.tags ?? {},
      event: event?.properties ? decodeObject(event.properties) : {},
      journey: { id: send.journeyId, version: send.version, nodeId: send.nodeId },
    });
  } catch (error) {
    return fail(SEND_FAILURE.templateError, (error as Error).message);
  }
  const to = adapter.recipient({ profileId: person._id, traits });
  return {
    ready: { adapter, channelType: channel.type, config: channel.config, person, to, message },
  };
}

/** Only the grants given: an `undefined` field would be stored as null. */
function definedGrants(grants: Grants): Grants {
  const defined: Grants = {};
  if (grants.ledgerDay !== undefined) defined.ledgerDay = grants.ledgerDay;
  if (grants.rateMinute !== undefined) defined.rateMinute = grants.rateMinute;
  return defined;
}

/**
 * Sends one message node's message at most once per key. In order: a send already settled
 * under this key answers as it did; the channel, template and person are loaded and the
 * template rendered (a broken one fails before any cap is spent); unless transactional, the
 * contact policy runs, then the journey's rate limit; then the channel adapter sends, with the
 * log moving `sending` → `sent` exactly like `callWebhook`.
 */
export function createSendMessage(deps: JourneyActivityDeps) {
  const log = new MessageLog(deps.db);
  const clock = deps.now ?? (() => new Date());

  async function failed(send: MessageSend, reason: string, error: string, now: Date) {
    deps.log.warn({ key: send.key, reason, error }, 'message failed');
    await log.failed(send, { reason, error, final: true }, now);
    return { status: 'failed', reason } satisfies MessageOutcome;
  }

  return async function sendMessage(send: MessageSend): Promise<MessageOutcome> {
    const now = clock();
    const previous = await log.find(send.key);
    const settled = settledOutcome(previous);
    if (settled) return settled;
    const preparation = await prepare(deps, send);
    if ('failed' in preparation) {
      return failed(send, preparation.failed, preparation.error, now);
    }
    const prepared = preparation.ready;
    if (prepared.to === null) return log.suppressed(send, SUPPRESSION.noAddress, now);

    let grants = definedGrants({
      ledgerDay: previous?.ledgerDay,
      rateMinute: previous?.rateMinute,
    });
    // A send already in flight passed the policy on an earlier attempt: it only retries delivery.
    if (previous?.status !== 'sending') {
      const timeZone =
        ownTimeZone(prepared.person) ?? (await deps.audience.state.timeZone(send.workspaceId));
      const gate = await applyContactPolicy({
        journeys: deps.journeys,
        log,
        logger: deps.log,
        send: { ...send, profileId: prepared.person._id },
        previous,
        timeZone,
        now,
      });
      if ('outcome' in gate) return gate.outcome;
      grants = definedGrants(gate.grants);
    }
    return deliver(send, prepared, grants, now);
  };

  async function deliver(
    send: MessageSend,
    prepared: Prepared,
    grants: Grants,
    now: Date,
  ): Promise<MessageOutcome> {
    const to = prepared.to ?? '';
    await log.sending(send, { channelType: prepared.channelType, to, ...grants }, now);
    try {
      const result = await prepared.adapter.send({
        key: send.key,
        workspaceId: send.workspaceId,
        profileId: prepared.person._id,
        to,
        ...prepared.message,
        config: prepared.config,
        context: {
          journeyId: send.journeyId,
          version: send.version,
          nodeId: send.nodeId,
          template: send.template,
        },
      });
      await log.sent(send.key, result);
      return { status: 'sent', messageId: send.key, deduplicated: false };
    } catch (error) {
      if (error instanceof PermanentSendError) {
        const detail = { status: error.status, response: error.response };
        await log.failed(
          send,
          { reason: SEND_FAILURE.providerRejected, error: error.message, final: true, ...detail },
          now,
        );
        deps.log.warn({ key: send.key, status: error.status }, 'message refused by the channel');
        return { status: 'failed', reason: SEND_FAILURE.providerRejected };
      }
      if (!(error instanceof RetryableSendError)) throw error;
      const detail = { status: error.status, response: error.response };
      await log.failed(
        send,
        { reason: 'provider_unavailable', error: error.message, final: false, ...detail },
        now,
      );
      deps.log.warn({ key: send.key, status: error.status }, 'message send will be retried');
      throw ApplicationFailure.retryable(error.message, 'ChannelUnavailable');
    }
  }
}
