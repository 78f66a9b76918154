import { isDuplicateKey, type JourneyCollections, type SendRateDoc } from '@junction/core/store';

const MINUTE_MS = 60_000;
/** Minutes read at once while looking for room. */
const BATCH_MINUTES = 60;
/** How far ahead a slot is looked for; past it the send waits without one and looks again. */
export const RATE_HORIZON_MINUTES = 24 * 60;

export interface SlotRequest {
  workspaceId: string;
  journeyId: string;
  key: string;
  perMinute: number;
  now: Date;
}

/** Where the send may go: `minute` (epoch minutes) holds its slot unless `reserved` is false. */
export interface SlotGrant {
  minute: number;
  reserved: boolean;
}

export function epochMinute(at: Date): number {
  return Math.floor(at.getTime() / MINUTE_MS);
}

export function minuteStart(minute: number): Date {
  return new Date(minute * MINUTE_MS);
}

function rateId(journeyId: string, minute: number): string {
  return `${journeyId}:${minute}`;
}

async function tryReserve(
  journeys: JourneyCollections,
  request: SlotRequest,
  minute: number,
): Promise<boolean> {
  const _id = rateId(request.journeyId, minute);
  try {
    await journeys.sendRates.insertOne({
      _id,
      workspaceId: request.workspaceId,
      journeyId: request.journeyId,
      minute,
      reserved: 0,
      keys: [],
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  const taken = await journeys.sendRates.updateOne(
    { _id, keys: { $ne: request.key }, reserved: { $lt: request.perMinute } },
    { $inc: { reserved: 1 }, $push: { keys: request.key } },
  );
  if (taken.matchedCount === 1) return true;
  const doc = await journeys.sendRates.findOne({ _id }, { projection: { keys: 1 } });
  return doc?.keys.includes(request.key) ?? false;
}

/**
 * Reserves a slot in the first minute from now with room under the journey's `perMinute`
 * limit. Each reservation is a conditional update on that minute's document that also checks
 * the key is not there yet, so concurrent sends never overfill a minute and a retry finds the
 * slot it already holds.
 */
export async function reserveSendSlot(
  journeys: JourneyCollections,
  request: SlotRequest,
): Promise<SlotGrant> {
  const first = epochMinute(request.now);
  const last = first + RATE_HORIZON_MINUTES;
  for (let start = first; start < last; start += BATCH_MINUTES) {
    const minutes = Array.from({ length: BATCH_MINUTES }, (_, index) => start + index);
    const docs = await journeys.sendRates
      .find(
        { _id: { $in: minutes.map((minute) => rateId(request.journeyId, minute)) } },
        { projection: { minute: 1, reserved: 1, keys: 1 }, batchSize: BATCH_MINUTES + 1 },
      )
      .toArray();
    const byMinute = new Map(docs.map((doc: SendRateDoc) => [doc.minute, doc]));
    for (const minute of minutes) {
      const doc = byMinute.get(minute);
      if (doc?.keys.includes(request.key)) return { minute, reserved: true };
      if (doc && doc.reserved >= request.perMinute) continue;
      if (await tryReserve(journeys, request, minute)) return { minute, reserved: true };
    }
  }
  // TODO(journeys): a journey this far behind its rate limit needs a queue, not per-send scans.
  return { minute: last, reserved: false };
}
