import { randomBytes } from 'node:crypto';

import { compileAudience, type AudienceProfile, type AudienceResult } from '@junction/core';
import type { Collections } from '@junction/core/store';

import { bulkWriteInChunks } from '../db/bulk.js';
import type { DueQueue } from './due-queue.js';
import {
  insertMembershipEvents,
  membershipEvents,
  type MembershipEventHook,
} from './membership-events.js';
import {
  audienceProfile,
  EVALUATED_PROJECTION,
  profileChange,
  type EvaluatedProfile,
  type ProfileChange,
} from './profile-changes.js';
import type { LoadedAudience } from './state-store.js';

/** Profiles read per query: `_id: {$in}` reads, which FerretDB serves from its index. */
export const PROFILES_PER_READ = 100;
// A profile lost to a concurrent evaluation is read and evaluated again, a few times at most.
const MAX_REDO_ROUNDS = 3;

/** A workspace's definitions compiled once for one evaluation time. */
export interface AudienceEvaluator {
  audience: LoadedAudience;
  now: Date;
  evaluate(profile: AudienceProfile): AudienceResult;
}

export function compileEvaluator(audience: LoadedAudience, now: Date): AudienceEvaluator {
  const compiled = compileAudience(audience, now);
  return { audience, now, evaluate: (profile) => compiled.evaluate(profile) };
}

export interface EvaluationTotals {
  evaluated: number;
  changed: number;
  entered: number;
  exited: number;
}

export function emptyTotals(): EvaluationTotals {
  return { evaluated: 0, changed: 0, entered: 0, exited: 0 };
}

export function addTotals(into: EvaluationTotals, more: EvaluationTotals): EvaluationTotals {
  into.evaluated += more.evaluated;
  into.changed += more.changed;
  into.entered += more.entered;
  into.exited += more.exited;
  return into;
}

/** Live profiles of the workspace among `ids`, as evaluation reads them. */
export async function readEvaluatedProfiles(
  db: Collections,
  workspaceId: string,
  ids: string[],
): Promise<EvaluatedProfile[]> {
  const profiles: EvaluatedProfile[] = [];
  for (let start = 0; start < ids.length; start += PROFILES_PER_READ) {
    const chunk = ids.slice(start, start + PROFILES_PER_READ);
    const docs = await db.profiles
      .find<EvaluatedProfile>(
        { _id: { $in: chunk } },
        { projection: EVALUATED_PROJECTION, batchSize: chunk.length + 1 },
      )
      .toArray();
    // Filtered here rather than in the query, which FerretDB answers from the `_id` index.
    profiles.push(...docs.filter((doc) => doc.workspaceId === workspaceId && !doc.mergedInto));
  }
  return profiles;
}

/**
 * Writes evaluation results, shared by real-time refreshes, sweeps and batch jobs. Without
 * transactions, each write is guarded by the token the profile had when read: when a concurrent
 * evaluation wrote first, this one re-reads the profile and evaluates it again, so the last
 * write always comes from the newest read.
 */
export class AudienceWriter {
  constructor(
    private readonly db: Collections,
    private readonly due: DueQueue,
    private readonly journeys?: MembershipEventHook,
  ) {}

  async write(
    workspaceId: string,
    evaluator: AudienceEvaluator,
    profiles: EvaluatedProfile[],
  ): Promise<EvaluationTotals> {
    const { audience, now } = evaluator;
    const totals = emptyTotals();
    let batch = profiles.filter((profile) => !profile.mergedInto);
    totals.evaluated = batch.length;
    for (let round = 0; batch.length > 0 && round <= MAX_REDO_ROUNDS; round++) {
      const context = { now, version: audience.version };
      const changes = batch.flatMap((profile) => {
        const result = evaluator.evaluate(audienceProfile(profile));
        const change = profileChange(profile, result, { ...context, token: newToken() });
        return change ? [change] : [];
      });
      if (changes.length === 0) break;
      const { won, lost } = await this.apply(workspaceId, changes);
      const events = won.flatMap((change) =>
        membershipEvents(workspaceId, change.profileId, change, audience, now),
      );
      await this.journeys?.beforeStore(workspaceId, events);
      await insertMembershipEvents(this.db.events, events);
      await this.journeys?.afterStore(workspaceId, events);
      for (const change of won) {
        totals.changed += 1;
        totals.entered += change.entered.length;
        totals.exited += change.exited.length;
      }
      batch = lost.length > 0 ? await readEvaluatedProfiles(this.db, workspaceId, lost) : [];
    }
    return totals;
  }

  /** Writes the changes and tells the ones that landed from those a concurrent write beat. */
  private async apply(
    workspaceId: string,
    changes: ProfileChange[],
  ): Promise<{ won: ProfileChange[]; lost: string[] }> {
    // Queued before the write: a crash in between leaves a harmless early entry, never a
    // profile due with nobody coming.
    const due = changes.flatMap(({ profileId, nextCheckAt }) =>
      nextCheckAt ? [{ profileId, at: nextCheckAt }] : [],
    );
    await this.due.enqueue(workspaceId, due);
    const operations = changes.map(({ filter, update }) => ({ updateOne: { filter, update } }));
    const chunks = await bulkWriteInChunks(this.db.profiles, operations, { ordered: false });
    // Counts do not name the losers, tokens do: profiles are read back only from commands where
    // some guarded update matched nothing.
    let offset = 0;
    const uncertain: string[] = [];
    for (const { operations: sent, result } of chunks) {
      const ids = changes.slice(offset, offset + sent.length).map((change) => change.profileId);
      if (result.matchedCount < sent.length) uncertain.push(...ids);
      offset += sent.length;
    }
    const tokens = new Map<string, string | undefined>();
    for (let start = 0; start < uncertain.length; start += PROFILES_PER_READ) {
      const chunk = uncertain.slice(start, start + PROFILES_PER_READ);
      const docs = await this.db.profiles
        .find({ _id: { $in: chunk } }, { projection: { audience: 1 }, batchSize: chunk.length + 1 })
        .toArray();
      for (const doc of docs) tokens.set(doc._id, doc.audience?.token);
    }
    const landed = (change: ProfileChange) =>
      !tokens.has(change.profileId) && !uncertain.includes(change.profileId)
        ? true
        : tokens.get(change.profileId) === change.token;
    const won = changes.filter(landed);
    const lost = changes.filter((change) => !landed(change));
    return { won, lost: lost.map((change) => change.profileId) };
  }
}

function newToken(): string {
  return randomBytes(9).toString('base64url');
}
