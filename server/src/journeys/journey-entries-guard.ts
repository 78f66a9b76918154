import { durationToMs, type ReEntry } from '@junction/core';
import {
  isDuplicateKey,
  journeyEntryId,
  type Collections,
  type JourneyCollections,
  type JourneyEntryDoc,
} from '@junction/core/store';
import type { Filter } from 'mongodb';

/** Why a person was not entered; `not_found` is a journey missing from the workspace. */
export type EntryRefusal =
  | 'not_found'
  | 'not_live'
  | 'paused'
  | 'stopped'
  | 're_entry'
  | 'already_running'
  | 'cooldown'
  | 'entry_cap';

export interface PersonInJourney {
  workspaceId: string;
  journeyId: string;
  profileId: string;
}

/** A slot held for one run; `previous` restores `lastEnteredAt` when the slot is given back. */
export interface Reservation {
  runId: string;
  previous: Date;
}

const NEVER_ENTERED = new Date(0);
// A slot older than this whose run has no document (or a finished one) was left by a crash.
const STALE_SLOT_MS = 60_000;

const REFUSAL_OF: Record<ReEntry['policy'], EntryRefusal> = {
  never: 're_entry',
  after_exit: 'already_running',
  cooldown: 'cooldown',
  always: 'already_running',
};

/**
 * The re-entry policy and the entry cap as conditional single-document updates, so that racing
 * entries of one person (or a crowd racing for the last places) cannot both pass: the filter
 * states the policy, and only one update can match it.
 *
 * TODO(journeys): FerretDB v1 reads then writes a conditional update without isolation, so on
 * the local stand-in two entries of one person in the same instant can both pass, and a crowd
 * at the cap can overshoot it (seen with racing status changes, which now claim an `_id`
 * instead); MongoDB applies them atomically.
 */
export class EntryGuard {
  constructor(private readonly db: Pick<Collections, 'journeys'> & JourneyCollections) {}

  async reserve(
    person: PersonInJourney,
    runId: string,
    reEntry: ReEntry,
    now: Date,
  ): Promise<Reservation | EntryRefusal> {
    const _id = journeyEntryId(person.workspaceId, person.journeyId, person.profileId);
    await this.ensureEntryDoc(_id, person);
    for (let attempt = 0; attempt < 2; attempt++) {
      const before = await this.db.journeyEntries.findOneAndUpdate(
        { _id, ...policyFilter(reEntry, runId, now) },
        { $inc: { entries: 1 }, $push: { active: runId }, $set: { lastEnteredAt: now } },
        // No projection: FerretDB v1 does not implement one on findAndModify.
        { returnDocument: 'before' },
      );
      if (before) return { runId, previous: before.lastEnteredAt };
      if (reEntry.policy === 'never' || reEntry.policy === 'always') break;
      if (!(await this.freeStaleSlots(_id, now))) break;
    }
    return REFUSAL_OF[reEntry.policy];
  }

  /** Gives a slot back, after the cap refused the entry or the run could not start. */
  async release(person: PersonInJourney, reservation: Reservation): Promise<void> {
    const _id = journeyEntryId(person.workspaceId, person.journeyId, person.profileId);
    await this.db.journeyEntries.updateOne(
      { _id, active: reservation.runId },
      {
        $pull: { active: reservation.runId },
        $inc: { entries: -1 },
        $set: { lastEnteredAt: reservation.previous },
      },
    );
  }

  /** Takes one of the journey's places; `false` when `cap` places are taken already. */
  async takePlace(workspaceId: string, journeyId: string, cap: number | null): Promise<boolean> {
    const room =
      cap === null
        ? {}
        : { $or: [{ entryCount: { $lt: cap } }, { entryCount: { $exists: false } }] };
    const result = await this.db.journeys.updateOne(
      { _id: journeyId, workspaceId, ...room },
      { $inc: { entryCount: 1 } },
    );
    return result.matchedCount === 1;
  }

  async givePlaceBack(workspaceId: string, journeyId: string): Promise<void> {
    await this.db.journeys.updateOne(
      { _id: journeyId, workspaceId, entryCount: { $gt: 0 } },
      { $inc: { entryCount: -1 } },
    );
  }

  private async ensureEntryDoc(_id: string, person: PersonInJourney): Promise<void> {
    try {
      await this.db.journeyEntries.insertOne({
        _id,
        ...person,
        entries: 0,
        active: [],
        lastEnteredAt: NEVER_ENTERED,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /**
   * Frees slots whose runs cannot be going: held for a while, yet their run document is missing
   * (a crash between reserving and starting) or finished (a crash before the run's exit was
   * booked). Reads only after a refusal, so entries that pass pay nothing for it.
   */
  private async freeStaleSlots(_id: string, now: Date): Promise<boolean> {
    const doc = await this.db.journeyEntries.findOne({ _id });
    if (!doc || doc.active.length === 0) return false;
    if (doc.lastEnteredAt.getTime() > now.getTime() - STALE_SLOT_MS) return false;
    const runs = await this.db.journeyRuns
      .find({ _id: { $in: doc.active } }, { projection: { status: 1 } })
      .toArray();
    const going = new Set(runs.filter((run) => run.status === 'active').map((run) => run._id));
    const stale = doc.active.filter((runId) => !going.has(runId));
    if (stale.length === 0) return false;
    const result = await this.db.journeyEntries.updateOne(
      { _id, lastEnteredAt: doc.lastEnteredAt },
      { $pullAll: { active: stale } },
    );
    return result.modifiedCount === 1;
  }
}

/** The journey-entry documents a policy lets enter again. */
function policyFilter(reEntry: ReEntry, runId: string, now: Date): Filter<JourneyEntryDoc> {
  switch (reEntry.policy) {
    case 'never':
      return { entries: 0 };
    case 'after_exit':
      return { active: { $size: 0 } };
    case 'cooldown':
      return {
        active: { $size: 0 },
        lastEnteredAt: { $lte: new Date(now.getTime() - durationToMs(reEntry.cooldown)) },
      };
    case 'always':
      return { active: { $ne: runId } };
  }
}
