import {
  countersNeeded,
  isValidTimeZone,
  type ActiveCounter,
  type AudienceDefinitions,
  type TrainedModel,
} from '@junction/core';
import {
  isDuplicateKey,
  type AudienceCollections,
  type AudienceModelDoc,
  type AudienceStateDoc,
} from '@junction/core/store';

import { HttpError } from '../http/errors.js';
import type { AudienceSchedules } from './audience-schedules.js';
import { activeCounters, reconcileCounters, type CounterChanges } from './counter-registry.js';

export const DEFAULT_TIME_ZONE = 'UTC';
// Each attempt loses only to another change saved in between, so a few always suffice.
const MAX_SAVE_ATTEMPTS = 5;

/** A workspace's definitions as evaluation reads them, at the state version they belong to. */
export type LoadedAudience = AudienceDefinitions & { version: number };

type Definitions = Pick<AudienceDefinitions, 'tags' | 'segments' | 'models'>;

function emptyAudience(): LoadedAudience {
  return {
    tags: new Map(),
    segments: new Map(),
    models: new Map(),
    counters: new Map(),
    timeZone: DEFAULT_TIME_ZONE,
    version: 0,
  };
}

/** Whether the workspace has anything to evaluate; ingestion skips all audience work if not. */
export function hasAudience(audience: AudienceDefinitions): boolean {
  return audience.tags.size > 0 || audience.segments.size > 0;
}

/**
 * The workspace's audience state: its definitions, active counters and time zone. Every load
 * reads the state document by `_id`; the definitions behind it are read again only when its
 * version moved, so ingestion pays one indexed read per batch.
 */
export class AudienceStateStore {
  private readonly cache = new Map<string, Definitions & { version: number }>();

  constructor(
    private readonly db: AudienceCollections,
    private readonly schedules: AudienceSchedules,
  ) {}

  async load(workspaceId: string): Promise<LoadedAudience> {
    const state = await this.db.audienceState.findOne({ _id: workspaceId });
    if (!state) return emptyAudience();
    let cached = this.cache.get(workspaceId);
    if (cached?.version !== state.version) {
      cached = { ...(await this.readDefinitions(workspaceId)), version: state.version };
      this.cache.set(workspaceId, cached);
    }
    return {
      ...cached,
      counters: activeCounters(state.counters),
      timeZone: state.timeZone,
      version: state.version,
    };
  }

  /**
   * To call after any change of a tag, segment, model or the time zone: activates the counters
   * the live definitions now need, drops the others, bumps the version (so every process reloads)
   * and makes sure the workspace's schedules exist.
   */
  async published(
    workspaceId: string,
    at?: Date,
  ): Promise<{ version: number; activated: ActiveCounter[] }> {
    const { tags, segments } = await this.readDefinitions(workspaceId);
    const needed = countersNeeded(
      [...tags.values()].map((tag) => tag.definition),
      [...segments.values()].map((segment) => segment.definition),
    );
    // Taken just before the write: an ingest batch received between this instant and the write
    // would count a new counter's events neither live nor by backfill, so the gap stays small.
    const now = at ?? new Date();
    const saved = await this.save(workspaceId, now, (state) => {
      const changes = reconcileCounters(state?.counters ?? {}, needed, now);
      return { changes, set: {} };
    });
    await this.schedules.ensure(workspaceId, saved.state.timeZone);
    return { version: saved.state.version, activated: saved.changes.activated };
  }

  async timeZone(workspaceId: string): Promise<string> {
    const state = await this.db.audienceState.findOne(
      { _id: workspaceId },
      { projection: { timeZone: 1 } },
    );
    return state?.timeZone ?? DEFAULT_TIME_ZONE;
  }

  // TODO(audience): buckets stored before a time zone change stay keyed by the old zone's dates,
  // so windows are off by the offset difference until they age out; re-keying needs a refill.
  async setTimeZone(workspaceId: string, timeZone: string): Promise<void> {
    if (!isValidTimeZone(timeZone)) {
      const message = `"${timeZone}" is not an IANA time zone`;
      throw new HttpError(400, 'invalid_request', message, [
        { code: 'invalid_time_zone', path: ['timeZone'], message },
      ]);
    }
    const saved = await this.save(workspaceId, new Date(), () => ({
      changes: { added: {}, dropped: [], activated: [] },
      set: { timeZone },
    }));
    await this.schedules.ensure(workspaceId, saved.state.timeZone);
  }

  /**
   * Writes a change against the version it was computed from, and computes it again when another
   * change won the race. Counters are set one by one, so a backfill marking one filled meanwhile
   * keeps its mark.
   */
  private async save(
    workspaceId: string,
    now: Date,
    plan: (state: AudienceStateDoc | null) => {
      changes: CounterChanges;
      set: { timeZone?: string };
    },
  ): Promise<{ state: AudienceStateDoc; changes: CounterChanges }> {
    for (let attempt = 0; attempt < MAX_SAVE_ATTEMPTS; attempt++) {
      const state = await this.db.audienceState.findOne({ _id: workspaceId });
      const { changes, set } = plan(state);
      const saved = state
        ? await this.update(state, changes, set, now)
        : await this.create(workspaceId, changes, set, now);
      if (saved) {
        this.cache.delete(workspaceId);
        return { state: saved, changes };
      }
    }
    throw new HttpError(503, 'audience_state_busy', 'the audience state kept changing; retry');
  }

  private async create(
    workspaceId: string,
    changes: CounterChanges,
    set: { timeZone?: string },
    now: Date,
  ): Promise<AudienceStateDoc | null> {
    const state: AudienceStateDoc = {
      _id: workspaceId,
      workspaceId,
      version: 1,
      timeZone: set.timeZone ?? DEFAULT_TIME_ZONE,
      counters: changes.added,
      updatedAt: now,
    };
    try {
      await this.db.audienceState.insertOne(state);
      return state;
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  private async update(
    state: AudienceStateDoc,
    changes: CounterChanges,
    set: { timeZone?: string },
    now: Date,
  ): Promise<AudienceStateDoc | null> {
    const version = state.version + 1;
    const $set: Record<string, unknown> = { ...set, version, updatedAt: now };
    for (const [id, counter] of Object.entries(changes.added)) $set[`counters.${id}`] = counter;
    const update: Record<string, unknown> = { $set };
    if (changes.dropped.length > 0) {
      update.$unset = Object.fromEntries(changes.dropped.map((id) => [`counters.${id}`, '']));
    }
    const result = await this.db.audienceState.updateOne(
      { _id: state._id, version: state.version },
      update,
    );
    if (result.matchedCount === 0) return null;
    const counters = { ...state.counters, ...changes.added };
    for (const id of changes.dropped) delete counters[id];
    return { ...state, ...set, version, counters, updatedAt: now };
  }

  private async readDefinitions(workspaceId: string): Promise<Definitions> {
    const [tags, segments, models] = await Promise.all([
      this.db.tags.find({ workspaceId, deleted: false }).toArray(),
      this.db.segments.find({ workspaceId, deleted: false }).toArray(),
      this.db.audienceModels.find({ workspaceId }).toArray(),
    ]);
    return {
      tags: new Map(
        tags.map((doc) => [doc.key, { version: doc.version, definition: doc.definition }]),
      ),
      segments: new Map(
        segments.map((doc) => [doc.key, { version: doc.version, definition: doc.definition }]),
      ),
      models: new Map(models.map((doc) => [doc.tag, trainedModel(doc)])),
    };
  }
}

function trainedModel(doc: AudienceModelDoc): TrainedModel {
  const { tag, tagVersion, scaling, weights, holdout, trainingSize, trainedAt } = doc;
  return { tag, tagVersion, scaling, weights, holdout, trainingSize, trainedAt };
}
