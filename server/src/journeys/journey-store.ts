import { diffJourneyVersions, JourneyDefinition } from '@junction/core';
import {
  isDuplicateKey,
  journeyVersionDocId,
  type Author,
  type Collections,
  type JourneyDoc,
  type JourneyStatus,
  type JourneyVersionDoc,
} from '@junction/core/store';

import { HttpError } from '../http/errors.js';
import { newId } from '../workspaces/credentials.js';

const EMPTY_DRAFT = JourneyDefinition.parse({
  nodes: [{ id: 'entry', type: 'entry', trigger: { kind: 'event', event: 'Signed Up' } }],
  edges: [],
});

/** A version the journey never reached after this long was left by a crashed publish. */
const ABANDONED_AFTER_MS = 60_000;

/** A definition to freeze as the next version, and who asked. */
export interface NewVersion {
  definition: JourneyDefinition;
  author: Author;
  notes: string | null;
  rolledBackFrom?: number | undefined;
}

export type VersionSummary = Omit<JourneyVersionDoc, 'definition'>;

export function journeyNotFound(journeyId: string): HttpError {
  return new HttpError(404, 'journey_not_found', `no journey "${journeyId}" in this workspace`);
}

function journeyConflict(): HttpError {
  const message = 'the journey changed while this request ran; reload it and retry';
  return new HttpError(409, 'journey_conflict', message);
}

/** Journeys and their immutable published versions, always scoped to one workspace. */
export class JourneyStore {
  constructor(private readonly db: Collections) {}

  async create(
    workspaceId: string,
    name: string,
    author: Author,
    draft: JourneyDefinition = EMPTY_DRAFT,
  ): Promise<JourneyDoc> {
    const now = new Date();
    const doc: JourneyDoc = {
      _id: newId('jrn'),
      workspaceId,
      name,
      status: 'draft',
      draft,
      liveVersion: null,
      latestVersion: null,
      entryEvents: [],
      createdAt: now,
      updatedAt: now,
      updatedBy: author,
      statusChangedAt: now,
    };
    await this.db.journeys.insertOne(doc);
    return doc;
  }

  async list(workspaceId: string): Promise<JourneyDoc[]> {
    return this.db.journeys
      .find({ workspaceId }, { projection: { draft: 0 } })
      .sort({ updatedAt: -1 })
      .toArray();
  }

  async get(workspaceId: string, journeyId: string): Promise<JourneyDoc> {
    const doc = await this.db.journeys.findOne({ _id: journeyId, workspaceId });
    if (!doc) throw journeyNotFound(journeyId);
    return doc;
  }

  async saveDraft(
    workspaceId: string,
    journeyId: string,
    update: { name?: string | undefined; draft?: JourneyDefinition | undefined },
    author: Author,
  ): Promise<JourneyDoc> {
    const changes = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined));
    const result = await this.db.journeys.findOneAndUpdate(
      { _id: journeyId, workspaceId },
      { $set: { ...changes, updatedAt: new Date(), updatedBy: author } },
      { returnDocument: 'after' },
    );
    if (!result) throw journeyNotFound(journeyId);
    return result;
  }

  /** Every version, newest first, without definitions. */
  async versions(workspaceId: string, journeyId: string): Promise<VersionSummary[]> {
    return this.db.journeyVersions
      .find({ workspaceId, journeyId }, { projection: { definition: 0 } })
      .sort({ version: -1 })
      .toArray();
  }

  async version(
    workspaceId: string,
    journeyId: string,
    version: number,
  ): Promise<JourneyVersionDoc> {
    const doc = await this.db.journeyVersions.findOne({
      _id: journeyVersionDocId(journeyId, version),
      workspaceId,
    });
    if (!doc) {
      const message = `journey "${journeyId}" has no version ${version}`;
      throw new HttpError(404, 'version_not_found', message);
    }
    return doc;
  }

  /**
   * Freezes `next.definition` as the version after the journey's latest and makes it live,
   * provided the journey is still as the caller read it. The version document is written first
   * and never changed; its `_id` lets one of two racing publishes win. When the journey moved
   * meanwhile, the version is removed again (nobody could have entered it) and the caller gets
   * a 409, so two publishes, or a publish and a pause, cannot interleave.
   */
  async publish(
    journey: JourneyDoc,
    next: NewVersion,
  ): Promise<{ journey: JourneyDoc; version: JourneyVersionDoc }> {
    const { _id: journeyId, workspaceId } = journey;
    const previous =
      journey.latestVersion === null
        ? null
        : await this.version(workspaceId, journeyId, journey.latestVersion);
    const number = (journey.latestVersion ?? 0) + 1;
    const doc: JourneyVersionDoc = {
      _id: journeyVersionDocId(journeyId, number),
      workspaceId,
      journeyId,
      version: number,
      definition: next.definition,
      notes: next.notes,
      author: next.author,
      changes: previous ? diffJourneyVersions(previous.definition, next.definition) : null,
      ...(next.rolledBackFrom === undefined ? {} : { rolledBackFrom: next.rolledBackFrom }),
      publishedAt: new Date(),
    };
    await this.insertVersion(doc);
    // A paused journey stays paused: publishing never lets people in by itself.
    const status: JourneyStatus = journey.status === 'draft' ? 'live' : journey.status;
    const updated = await this.db.journeys.findOneAndUpdate(
      { _id: journeyId, workspaceId, status: journey.status, latestVersion: journey.latestVersion },
      {
        $set: {
          status,
          liveVersion: number,
          latestVersion: number,
          entryEvents: entryEventsOf(next.definition),
          updatedAt: doc.publishedAt,
          updatedBy: next.author,
          ...(status === journey.status ? {} : { statusChangedAt: doc.publishedAt }),
        },
      },
      { returnDocument: 'after' },
    );
    if (!updated) {
      await this.db.journeyVersions.deleteOne({ _id: doc._id });
      throw journeyConflict();
    }
    return { journey: updated, version: doc };
  }

  /**
   * Moves the journey from the status it was read with to `to`; null when another request
   * changed its status first.
   */
  async setStatus(
    journey: JourneyDoc,
    to: JourneyStatus,
    author: Author,
  ): Promise<JourneyDoc | null> {
    const now = new Date();
    const number = (journey.statusChanges ?? 0) + 1;
    try {
      await this.db.journeyStatusChanges.insertOne({
        _id: `${journey._id}:${number}`,
        workspaceId: journey.workspaceId,
        journeyId: journey._id,
        from: journey.status,
        to,
        at: now,
        by: author,
      });
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
    return this.db.journeys.findOneAndUpdate(
      { _id: journey._id, workspaceId: journey.workspaceId },
      {
        $set: {
          status: to,
          statusChanges: number,
          statusChangedAt: now,
          updatedAt: now,
          updatedBy: author,
        },
      },
      { returnDocument: 'after' },
    );
  }

  /**
   * Inserts a new version. A document already under its `_id` is either a racing publish (409)
   * or one a crashed publish left behind and the journey never reached: that one is replaced.
   */
  private async insertVersion(doc: JourneyVersionDoc): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.journeyVersions.insertOne(doc);
        return;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        if (attempt > 0 || !(await this.removeAbandoned(doc))) {
          const message = 'another publish of this journey won; reload and retry';
          throw new HttpError(409, 'publish_conflict', message);
        }
      }
    }
  }

  private async removeAbandoned(doc: JourneyVersionDoc): Promise<boolean> {
    const cutoff = new Date(doc.publishedAt.getTime() - ABANDONED_AFTER_MS);
    const removed = await this.db.journeyVersions.deleteOne({
      _id: doc._id,
      publishedAt: { $lt: cutoff },
    });
    return removed.deletedCount === 1;
  }
}

function entryEventsOf(definition: JourneyDefinition): string[] {
  return definition.nodes.flatMap((node) =>
    node.type === 'entry' && node.trigger.kind === 'event' ? [node.trigger.event] : [],
  );
}
