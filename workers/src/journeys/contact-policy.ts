import { windowEnd } from '@junction/core';
import type { JourneyCollections, MessageDoc } from '@junction/core/store';
import type { MessageOutcome, MessageSend } from '@junction/workflows/activities';

import type { Logger } from '../logger.js';
import { reserveContact } from './frequency-caps.js';
import type { Grants, MessageLog } from './message-log.js';
import { epochMinute, minuteStart, reserveSendSlot } from './send-rate.js';

/** Reasons a send is held back, as the delivery log and the run's trace show them. */
export const SUPPRESSION = {
  quietHours: 'quiet_hours',
  frequencyCap: 'frequency_cap',
  rateLimited: 'rate_limited',
  noAddress: 'no_address',
} as const;

/** A slot held this many minutes ago still counts when the run comes back a little late. */
const SLOT_GRACE_MINUTES = 5;

export interface PolicyContext {
  journeys: JourneyCollections;
  log: MessageLog;
  logger: Logger;
  send: MessageSend;
  /** The previous attempt's log entry: what it was already granted. */
  previous: MessageDoc | null;
  timeZone: string;
  now: Date;
}

/**
 * The checks a send passes before it goes out, in order: quiet hours on the person's clock and
 * the frequency caps (marketing sends only), then the journey's send-rate limit. Returns the
 * grants to keep on the send, or the outcome that stops it (already logged).
 */
export async function applyContactPolicy(
  context: PolicyContext,
): Promise<{ grants: Grants } | { outcome: MessageOutcome }> {
  const { send, now } = context;
  const grants: Grants = {};
  if (!send.transactional) {
    const stopped = await applyWorkspacePolicy(context, grants);
    if (stopped) return { outcome: stopped };
  }
  if (send.perMinute !== null) {
    const stopped = await applyRateLimit(context, send.perMinute, grants);
    if (stopped) return { outcome: stopped };
  }
  context.logger.debug({ key: send.key, grants, at: now }, 'message send granted');
  return { grants };
}

async function applyWorkspacePolicy(
  context: PolicyContext,
  grants: Grants,
): Promise<MessageOutcome | null> {
  const { journeys, send, now, timeZone, previous } = context;
  const policy = await journeys.contactPolicies.findOne({ _id: send.workspaceId });
  if (!policy) return null;
  const quietEnd = policy.quietHours ? windowEnd(policy.quietHours, now, timeZone) : null;
  if (policy.quietHours && quietEnd) {
    if (policy.quietHours.action === 'skip') {
      return context.log.suppressed(send, SUPPRESSION.quietHours, now);
    }
    const deferral = { reason: SUPPRESSION.quietHours, until: quietEnd, ...grants };
    context.logger.info({ key: send.key, until: quietEnd }, 'message deferred');
    return context.log.deferred(send, deferral, now);
  }
  if (previous?.ledgerDay !== undefined) {
    grants.ledgerDay = previous.ledgerDay;
  } else if (policy.caps.length > 0) {
    const grant = await reserveContact(journeys, {
      workspaceId: send.workspaceId,
      profileId: send.profileId,
      key: send.key,
      channel: send.channel,
      caps: policy.caps,
      timeZone,
      now,
    });
    if (!grant.granted) {
      context.logger.info({ key: send.key, cap: grant.cap }, 'message suppressed by a cap');
      return context.log.suppressed(send, SUPPRESSION.frequencyCap, now);
    }
    grants.ledgerDay = grant.day;
  }
  return null;
}

async function applyRateLimit(
  context: PolicyContext,
  perMinute: number,
  grants: Grants,
): Promise<MessageOutcome | null> {
  const { journeys, send, now, previous } = context;
  const current = epochMinute(now);
  const held = previous?.rateMinute;
  let slot = { minute: held ?? 0, reserved: true };
  if (held === undefined || held < current - SLOT_GRACE_MINUTES) {
    slot = await reserveSendSlot(journeys, {
      workspaceId: send.workspaceId,
      journeyId: send.journeyId,
      key: send.key,
      perMinute,
      now,
    });
  }
  if (slot.reserved) grants.rateMinute = slot.minute;
  if (slot.reserved && slot.minute <= current) return null;
  const until = minuteStart(slot.minute);
  context.logger.info({ key: send.key, until }, 'message deferred');
  return context.log.deferred(send, { reason: SUPPRESSION.rateLimited, until, ...grants }, now);
}
