import { JourneyDefinition, validateJourneyGraph, type InputIssue } from '@junction/core';
import {
  isDuplicateKey,
  journeyVersionDocId,
  type Collections,
  type JourneyDoc,
  type JourneyVersionDoc,
} from '@junction/core/store';

import { HttpError, zodIssues } from '../http/errors.js';
import { newId } from '../workspaces/credentials.js';

const EMPTY_DRAFT: JourneyDefinition = {
  nodes: [{ id: 'entry', type: 'entry', trigger: { kind: 'event', event: 'Signed Up' } }],
  edges: [],
};

/** Journeys and their immutable published versions, always scoped to one workspace. */
export class JourneyStore {
  constructor(private readonly db: Collections) {}

  async create(
    workspaceId: string,
    name: string,
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
    if (!doc)
      throw new HttpError(404, 'journey_not_found', `no journey "${journeyId}" in this workspace`);
    return doc;
  }

  async saveDraft(
    workspaceId: string,
    journeyId: string,
    update: { name?: string; draft?: JourneyDefinition },
  ): Promise<JourneyDoc> {
    const result = await this.db.journeys.findOneAndUpdate(
      { _id: journeyId, workspaceId },
      { $set: { ...update, updatedAt: new Date() } },
      { returnDocument: 'after' },
    );
    if (!result)
      throw new HttpError(404, 'journey_not_found', `no journey "${journeyId}" in this workspace`);
    return result;
  }

  async versions(workspaceId: string, journeyId: string): Promise<JourneyVersionDoc[]> {
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
    if (!doc)
      throw new HttpError(
        404,
        'version_not_found',
        `journey "${journeyId}" has no version ${version}`,
      );
    return doc;
  }

  /**
   * Freezes the draft as the next version and makes it live. The version document is written
   * first and never changed; if the journey update after it fails, the next publish continues
   * from the highest stored version, so nothing is left half-published for good.
   */
  async publish(
    workspaceId: string,
    journeyId: string,
    notes: string | null,
  ): Promise<JourneyVersionDoc> {
    const journey = await this.get(workspaceId, journeyId);
    const issues = checkPublishable(journey.draft);
    if (issues.length > 0) {
      throw new HttpError(
        400,
        'invalid_journey',
        'the draft cannot be published',
        issues.map(prefixDraft),
      );
    }
    const [highest] = await this.db.journeyVersions
      .find({ workspaceId, journeyId }, { projection: { version: 1 } })
      .sort({ version: -1 })
      .limit(1)
      .toArray();
    const version = Math.max(highest?.version ?? 0, journey.latestVersion ?? 0) + 1;
    const doc: JourneyVersionDoc = {
      _id: journeyVersionDocId(journeyId, version),
      workspaceId,
      journeyId,
      version,
      definition: journey.draft,
      notes,
      publishedAt: new Date(),
    };
    try {
      await this.db.journeyVersions.insertOne(doc);
    } catch (error) {
      if (isDuplicateKey(error))
        throw new HttpError(
          409,
          'publish_conflict',
          'another publish of this journey won; reload and retry',
        );
      throw error;
    }
    await this.db.journeys.updateOne(
      { _id: journeyId, workspaceId },
      {
        $set: {
          status: 'live',
          liveVersion: version,
          latestVersion: version,
          entryEvents: entryEventsOf(journey.draft),
          updatedAt: doc.publishedAt,
        },
      },
    );
    return doc;
  }
}

function checkPublishable(draft: JourneyDefinition): InputIssue[] {
  const parsed = JourneyDefinition.safeParse(draft);
  if (!parsed.success) return zodIssues(parsed.error);
  return validateJourneyGraph(parsed.data);
}

function prefixDraft(issue: InputIssue): InputIssue {
  return { ...issue, path: ['draft', ...issue.path] };
}

function entryEventsOf(definition: JourneyDefinition): string[] {
  return definition.nodes.flatMap((node) =>
    node.type === 'entry' && node.trigger.kind === 'event' ? [node.trigger.event] : [],
  );
}
