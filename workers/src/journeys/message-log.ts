import type { ChannelType, Collections, MessageDoc } from '@junction/core/store';
import type { MessageOutcome, MessageSend } from '@junction/workflows/activities';

/** What the contact policy and the rate limit already granted this send, kept across attempts. */
export interface Grants {
  ledgerDay?: string;
  rateMinute?: number;
}

/**
 * The delivery log of message sends, one document per idempotency key: suppressions and
 * deferrals are written where the send would be, so "why did they not get it" has one answer.
 */
export class MessageLog {
  constructor(private readonly db: Collections) {}

  find(key: string): Promise<MessageDoc | null> {
    return this.db.messages.findOne({ _id: key });
  }

  async suppressed(send: MessageSend, reason: string, now: Date): Promise<MessageOutcome> {
    await this.write(send, now, { $set: { status: 'suppressed', reason, updatedAt: now } });
    return { status: 'suppressed', reason };
  }

  async deferred(
    send: MessageSend,
    deferral: { reason: string; until: Date } & Grants,
    now: Date,
  ): Promise<MessageOutcome> {
    const { reason, until, ...grants } = deferral;
    await this.write(send, now, {
      $set: { status: 'suppressed', reason, until, ...grants, updatedAt: now },
      $push: { deferrals: { reason, until, at: now } },
    });
    return { status: 'deferred', reason, until: until.toISOString() };
  }

  /** Marks the send in flight before the provider is called; a retry finds it `sending`. */
  async sending(
    send: MessageSend,
    delivery: { channelType: ChannelType; to: string } & Grants,
    now: Date,
  ): Promise<void> {
    await this.write(send, now, {
      $set: { status: 'sending', ...delivery, updatedAt: now },
      $unset: { reason: '', until: '' },
      $inc: { attempts: 1 },
    });
  }

  async sent(
    key: string,
    result: { providerMessageId: string; status: number; response: string },
  ): Promise<void> {
    await this.db.messages.updateOne(
      { _id: key },
      {
        $set: {
          status: 'sent',
          providerMessageId: result.providerMessageId,
          response: { status: result.status, body: result.response },
          updatedAt: new Date(),
        },
        $unset: { error: '' },
      },
    );
  }

  /** A failed attempt; `final` when no retry will follow. */
  async failed(
    send: MessageSend,
    failure: { reason: string; error: string; final: boolean; status?: number; response?: string },
    now: Date,
  ): Promise<void> {
    const $set: Partial<MessageDoc> = { error: failure.error, updatedAt: now };
    if (failure.final) Object.assign($set, { status: 'failed', reason: failure.reason });
    if (failure.status !== undefined) {
      $set.response = { status: failure.status, body: failure.response ?? '' };
    }
    await this.write(send, now, { $set });
  }

  // Upserts by `_id` only, so FerretDB never sees a filter it could turn into a duplicate insert.
  private async write(
    send: MessageSend,
    now: Date,
    update: {
      $set: Partial<MessageDoc>;
      $unset?: Record<string, ''>;
      $inc?: { attempts: number };
      $push?: { deferrals: NonNullable<MessageDoc['deferrals']>[number] };
    },
  ): Promise<void> {
    const onInsert: Partial<MessageDoc> = {
      workspaceId: send.workspaceId,
      journeyId: send.journeyId,
      journeyVersion: send.version,
      nodeId: send.nodeId,
      profileId: send.profileId,
      channel: send.channel,
      template: send.template,
      transactional: send.transactional,
      createdAt: now,
    };
    if (!update.$inc) onInsert.attempts = 0;
    await this.db.messages.updateOne(
      { _id: send.key },
      { ...update, $setOnInsert: onInsert },
      { upsert: true },
    );
  }
}

/** The answer a finished send gives again, or null when the send must (still) be tried. */
export function settledOutcome(previous: MessageDoc | null): MessageOutcome | null {
  if (!previous) return null;
  switch (previous.status) {
    case 'sent':
      return { status: 'sent', messageId: previous._id, deduplicated: true };
    case 'failed':
      return { status: 'failed', reason: previous.reason ?? 'failed' };
    case 'suppressed':
      // A deferral ends when the run comes back for it; a suppression is final.
      return previous.until
        ? null
        : { status: 'suppressed', reason: previous.reason ?? 'suppressed' };
    case 'sending':
      return null;
  }
}
