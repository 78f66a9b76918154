import {
  validateAudience,
  type AudienceIssue,
  type AudienceTarget,
  type Condition,
  type LineageSources,
  type SegmentDefinition,
  type TagDefinition,
} from '@junction/core';
import { journeyVersionDocId, type Collections } from '@junction/core/store';

import { HttpError } from '../http/errors.js';
import type { DefinitionStore } from './definition-store.js';

/**
 * Everything in a workspace that reads tags and segments: the live definitions, and journeys
 * (their draft and live version, since either may be published or running).
 */
export class AudienceCatalog {
  constructor(
    private readonly db: Collections,
    private readonly tags: DefinitionStore<TagDefinition>,
    private readonly segments: DefinitionStore<SegmentDefinition>,
  ) {}

  async load(workspaceId: string): Promise<LineageSources> {
    const [tags, segments, journeys] = await Promise.all([
      this.tags.list(workspaceId),
      this.segments.list(workspaceId),
      this.journeys(workspaceId),
    ]);
    return {
      tags: tags.map((doc) => doc.definition),
      segments: segments.map((doc) => doc.definition),
      journeys,
    };
  }

  private async journeys(workspaceId: string): Promise<LineageSources['journeys']> {
    const docs = await this.db.journeys
      .find({ workspaceId }, { projection: { name: 1, draft: 1, liveVersion: 1 } })
      .toArray();
    const liveIds = docs.flatMap((doc) =>
      doc.liveVersion === null ? [] : [journeyVersionDocId(doc._id, doc.liveVersion)],
    );
    const live = new Map<string, unknown>();
    if (liveIds.length > 0) {
      const versions = await this.db.journeyVersions
        .find({ _id: { $in: liveIds } }, { projection: { journeyId: 1, definition: 1 } })
        .toArray();
      for (const version of versions) live.set(version.journeyId, version.definition);
    }
    return docs.map((doc) => ({
      id: doc._id,
      name: doc.name,
      definition: { draft: doc.draft, live: live.get(doc._id) ?? null },
    }));
  }
}

/** The workspace's definitions with one tag or segment replaced, added or (null) removed. */
export function withDefinition(
  sources: LineageSources,
  target: AudienceTarget,
  definition: TagDefinition | SegmentDefinition | null,
): LineageSources {
  const replace = <D extends { key: string }>(list: D[], next: D | null): D[] => [
    ...list.filter((item) => item.key !== target.key),
    ...(next ? [next] : []),
  ];
  return target.kind === 'tag'
    ? { ...sources, tags: replace(sources.tags, definition as TagDefinition | null) }
    : { ...sources, segments: replace(sources.segments, definition as SegmentDefinition | null) };
}

/**
 * Refuses a change that leaves the changed definition invalid or breaks another one. Issues
 * that were there before the change belong to nobody's request, so they do not block it.
 */
export function checkChange(
  before: LineageSources,
  after: LineageSources,
  target: AudienceTarget,
): void {
  const known = new Set(validateAudience(before).map(issueId));
  const issues = validateAudience(after).filter(
    (issue) => isOf(issue, target) || !known.has(issueId(issue)),
  );
  if (issues.length === 0) return;
  const message = issues.some((issue) => isOf(issue, target))
    ? `the ${target.kind} is not valid`
    : 'the change would break definitions that read it';
  throw new HttpError(400, 'invalid_definition', message, issues);
}

/** The key a previewed draft is validated under; no saved key can take this form. */
const DRAFT_KEY = 'draft-preview';

/** Refuses a draft segment condition with the issues a saved segment would get. */
export function checkDraftCondition(sources: LineageSources, condition: Condition): void {
  const target = { kind: 'segment' as const, key: DRAFT_KEY };
  const draft = { key: DRAFT_KEY, name: 'Preview', description: '', owner: '', condition };
  const issues = validateAudience(withDefinition(sources, target, draft))
    .filter((issue) => isOf(issue, target))
    .map(({ code, path, message }) => ({ code, path, message }));
  if (issues.length > 0) {
    throw new HttpError(400, 'invalid_definition', 'the condition is not valid', issues);
  }
}

function isOf(issue: AudienceIssue, target: AudienceTarget): boolean {
  return issue.subject.kind === target.kind && issue.subject.key === target.key;
}

function issueId(issue: AudienceIssue): string {
  return JSON.stringify([issue.subject.kind, issue.subject.key, issue.code, issue.path]);
}
