import {
  dependentsOf,
  type AudienceDependents,
  type AudienceTarget,
  type InputIssue,
  type SegmentDefinition,
  type TagDefinition,
} from '@junction/core';
import type { AudienceJobDoc, Author } from '@junction/core/store';

import { HttpError } from '../http/errors.js';
import { checkChange, withDefinition, type AudienceCatalog } from './audience-catalog.js';
import type { AudienceRuntime, BackfillTarget } from './audience-runtime.js';
import type { DefinitionStore, WriteOptions, WriteResult } from './definition-store.js';

export interface ChangeResult<D> extends WriteResult<D> {
  /** Who reads the definition directly, as it is after the change. */
  dependents: AudienceDependents;
  /** The job filling the new version in for everyone; none for a deletion. */
  backfill: AudienceJobDoc | null;
}

/**
 * Creating, changing, rolling back and deleting tags or segments: each change is validated
 * against the whole workspace, stored as a version, then published to the runtime.
 */
export class DefinitionChanges<D extends TagDefinition | SegmentDefinition> {
  constructor(
    private readonly store: DefinitionStore<D>,
    private readonly catalog: AudienceCatalog,
    private readonly runtime: AudienceRuntime,
  ) {}

  /** A deleted key is created again with the versions after its deletion. */
  async create(workspaceId: string, definition: D, author: Author): Promise<ChangeResult<D>> {
    const head = await this.store.head(workspaceId, definition.key);
    if (head && !head.deleted) {
      const message = `${this.store.kind} "${definition.key}" exists; change it with PUT`;
      throw new HttpError(409, `${this.store.kind}_exists`, message);
    }
    const options = { expectedVersion: head?.version ?? 0 };
    return this.publish(workspaceId, definition.key, definition, author, options);
  }

  async update(
    workspaceId: string,
    definition: D,
    author: Author,
    expectedVersion?: number,
  ): Promise<ChangeResult<D>> {
    await this.store.get(workspaceId, definition.key);
    return this.publish(workspaceId, definition.key, definition, author, { expectedVersion });
  }

  /** Publishes an earlier version's definition as the newest version. */
  async rollback(
    workspaceId: string,
    key: string,
    version: number,
    author: Author,
    expectedVersion?: number,
  ): Promise<ChangeResult<D>> {
    const earlier = await this.store.version(workspaceId, key, version);
    if (!earlier.definition) {
      const message = `version ${version} of ${this.store.kind} "${key}" is its deletion`;
      const issue = { code: 'version_is_deletion', path: ['version'], message };
      throw new HttpError(400, 'invalid_rollback', message, [issue]);
    }
    const options = { expectedVersion, rolledBackTo: version };
    return this.publish(workspaceId, key, earlier.definition, author, options);
  }

  /** Refused while anything reads the definition, so nothing is left reading a missing key. */
  async remove(
    workspaceId: string,
    key: string,
    author: Author,
    expectedVersion?: number,
  ): Promise<ChangeResult<D>> {
    await this.store.get(workspaceId, key);
    const target = { kind: this.store.kind, key };
    const sources = await this.catalog.load(workspaceId);
    const dependents = dependentsOf(target, sources);
    if (dependentCount(dependents) > 0) throw inUse(target, dependents);
    checkChange(sources, withDefinition(sources, target, null), target);
    const result = await this.store.write(workspaceId, key, null, author, { expectedVersion });
    // The pass clears the old values from profiles, and members get their `segment exited`.
    const backfill = await this.announce(workspaceId, result, `${target.kind}:${key}`);
    return { ...result, dependents, backfill };
  }

  private async publish(
    workspaceId: string,
    key: string,
    definition: D,
    author: Author,
    options: WriteOptions,
  ): Promise<ChangeResult<D>> {
    const target = { kind: this.store.kind, key };
    const sources = await this.catalog.load(workspaceId);
    const after = withDefinition(sources, target, definition);
    checkChange(sources, after, target);
    const result = await this.store.write(workspaceId, key, definition, author, options);
    const backfill = await this.announce(workspaceId, result, `${target.kind}:${key}`);
    return { ...result, dependents: dependentsOf(target, after), backfill };
  }

  /**
   * Tells the runtime about the change and fills it in for everyone. The change is saved by
   * then, so a failure says so; repeating the request finishes the work without a new version.
   */
  private async announce(
    workspaceId: string,
    result: WriteResult<D>,
    backfill: BackfillTarget | null,
  ): Promise<AudienceJobDoc | null> {
    try {
      await this.runtime.state.published(workspaceId);
      return backfill ? await this.runtime.backfills.start(workspaceId, backfill) : null;
    } catch (error) {
      const { kind } = this.store;
      const saved = `${kind} "${result.head.key}" was saved as version ${result.version.version}`;
      if (error instanceof HttpError) {
        const message = `${saved}, but: ${error.message}`;
        throw new HttpError(error.status, error.code, message, error.issues, { cause: error });
      }
      const message = `${saved}, but the audience runtime could not take it; repeat the request`;
      throw new HttpError(503, 'audience_unavailable', message, undefined, { cause: error });
    }
  }
}

function dependentCount(dependents: AudienceDependents): number {
  return dependents.tags.length + dependents.segments.length + dependents.journeys.length;
}

/** One issue per reader, so the answer lists exactly what must change first. */
function inUse(target: AudienceTarget, dependents: AudienceDependents): HttpError {
  const readers = [
    ...dependents.tags.map((key) => ({ kind: 'tag', key, label: `tag "${key}"` })),
    ...dependents.segments.map((key) => ({ kind: 'segment', key, label: `segment "${key}"` })),
    ...dependents.journeys.map(({ id, name }) => ({
      kind: 'journey',
      key: id,
      label: `journey "${name}"`,
    })),
  ];
  const issues: InputIssue[] = readers.map(({ kind, key, label }) => ({
    code: 'in_use',
    path: [],
    message: `${label} reads ${target.kind} "${target.key}"`,
    subject: { kind, key },
  }));
  const names = readers.map((reader) => reader.label).join(', ');
  const message = `${target.kind} "${target.key}" is read by ${names}; change them first`;
  return new HttpError(409, 'in_use', message, issues);
}
