import { localDaysBack } from '@junction/core';
import {
  isDuplicateKey,
  type ContactLedgerDoc,
  type FrequencyCap,
  type JourneyCollections,
} from '@junction/core/store';
import type { Filter } from 'mongodb';

export interface ContactRequest {
  workspaceId: string;
  profileId: string;
  /** The send's idempotency key: counted once, however often it is retried. */
  key: string;
  channel: string;
  caps: FrequencyCap[];
  timeZone: string;
  now: Date;
}

export type ContactGrant = { granted: true; day: string } | { granted: false; cap: FrequencyCap };

const WEEK_DAYS = 7;
const MAX_ATTEMPTS = 3;

export function ledgerId(workspaceId: string, profileId: string, day: string): string {
  return `${workspaceId}:${profileId}:${day}`;
}

function countOf(doc: ContactLedgerDoc | undefined, channel: string): number {
  if (!doc) return 0;
  return channel === '*' ? doc.total : (doc.byChannel[channel] ?? 0);
}

/**
 * How many sends today's ledger may already hold, per counted field (`*` or the channel), for
 * the send to fit every cap: a day cap allows its limit, a week cap its limit less what the six
 * days before used.
 */
function todayAllowances(
  request: ContactRequest,
  earlier: ContactLedgerDoc[],
): Map<string, { allowed: number; cap: FrequencyCap }> {
  const allowances = new Map<string, { allowed: number; cap: FrequencyCap }>();
  for (const cap of request.caps) {
    if (cap.channel !== '*' && cap.channel !== request.channel) continue;
    const used =
      cap.period === 'week' ? earlier.reduce((sum, doc) => sum + countOf(doc, cap.channel), 0) : 0;
    const allowed = cap.limit - used;
    const current = allowances.get(cap.channel);
    if (!current || allowed < current.allowed) allowances.set(cap.channel, { allowed, cap });
  }
  return allowances;
}

async function ensureLedger(
  journeys: JourneyCollections,
  request: ContactRequest,
  day: string,
): Promise<void> {
  try {
    await journeys.contactLedger.insertOne({
      _id: ledgerId(request.workspaceId, request.profileId, day),
      workspaceId: request.workspaceId,
      profileId: request.profileId,
      day,
      total: 0,
      byChannel: {},
      keys: [],
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/**
 * Counts a marketing send against the person's frequency caps, or refuses it. The count is one
 * conditional update of today's ledger whose filter holds every cap and `keys: { $ne: key }`,
 * so two concurrent sends cannot both take the last place and a retried key is never counted
 * twice. Days are the person's local days; a week is today and the six days before.
 */
export async function reserveContact(
  journeys: JourneyCollections,
  request: ContactRequest,
): Promise<ContactGrant> {
  const hasWeekCap = request.caps.some((cap) => cap.period === 'week');
  const [today = '', ...before] = localDaysBack(
    request.now,
    request.timeZone,
    hasWeekCap ? WEEK_DAYS : 1,
  );
  const earlier =
    before.length === 0
      ? []
      : await journeys.contactLedger
          .find({
            _id: {
              $in: before.map((day) => ledgerId(request.workspaceId, request.profileId, day)),
            },
          })
          .toArray();
  const allowances = todayAllowances(request, earlier);
  await ensureLedger(journeys, request, today);

  // A miss with no cap full means the ledger changed between the update and the read: retry.
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const grant = await countToday(journeys, request, today, allowances);
    if (grant) return grant;
  }
  throw new Error('the contact ledger kept changing');
}

async function countToday(
  journeys: JourneyCollections,
  request: ContactRequest,
  today: string,
  allowances: Map<string, { allowed: number; cap: FrequencyCap }>,
): Promise<ContactGrant | null> {
  const id = ledgerId(request.workspaceId, request.profileId, today);
  const filter: Filter<ContactLedgerDoc> = { _id: id, keys: { $ne: request.key } };
  const conditions: Filter<ContactLedgerDoc>[] = [];
  for (const [channel, { allowed }] of allowances) {
    const field = channel === '*' ? 'total' : `byChannel.${channel}`;
    // A channel not sent on today has no count yet: missing passes like zero.
    conditions.push({ $or: [{ [field]: { $exists: false } }, { [field]: { $lt: allowed } }] });
  }
  if (conditions.length > 0) filter.$and = conditions;
  const counted = await journeys.contactLedger.updateOne(filter, {
    $inc: { total: 1, [`byChannel.${request.channel}`]: 1 },
    $push: { keys: request.key },
  });
  if (counted.matchedCount === 1) return { granted: true, day: today };

  const ledger = await journeys.contactLedger.findOne({ _id: id });
  if (ledger?.keys.includes(request.key)) return { granted: true, day: today };
  for (const [channel, { allowed, cap }] of allowances) {
    if (countOf(ledger ?? undefined, channel) >= allowed) return { granted: false, cap };
  }
  return null;
}
