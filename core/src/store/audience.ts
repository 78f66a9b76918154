import type { Collection, Db } from 'mongodb';

import type { CounterSpec } from '../audience/context.js';
import type { SegmentDefinition, TagDefinition, TrainedModel } from '../audience/definitions.js';

/** One change between two versions of a definition: a JSON path and the values either side. */
export interface DefinitionChange {
  path: (string | number)[];
  before?: unknown;
  after?: unknown;
}

/** Who made a change: the API key or user, by name. */
export interface Author {
  id: string;
  name: string;
}

/**
 * The newest version of a tag or segment; `_id` is `workspace:key`. Deleting marks it deleted
 * (versions stay) so the key's history survives and a new tag with the key continues it.
 */
export interface AudienceObjectDoc<D> {
  _id: string;
  workspaceId: string;
  key: string;
  version: number;
  definition: D;
  deleted: boolean;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: Author;
}
export type TagDoc = AudienceObjectDoc<TagDefinition>;
export type SegmentDoc = AudienceObjectDoc<SegmentDefinition>;

/** Every version ever published; `_id` is `workspace:key:v<n>`, inserted once. */
export interface AudienceVersionDoc<D> {
  _id: string;
  workspaceId: string;
  key: string;
  version: number;
  /** `null` for a deletion. */
  definition: D | null;
  author: Author;
  createdAt: Date;
  /** Against the previous version; the whole definition for the first. */
  changes: DefinitionChange[];
  /** Set when this version republished an earlier one. */
  rolledBackTo?: number;
}
export type TagVersionDoc = AudienceVersionDoc<TagDefinition>;
export type SegmentVersionDoc = AudienceVersionDoc<SegmentDefinition>;

/** A counter the workspace keeps (`ActiveCounter`), as stored in its audience state. */
export interface StoredCounter {
  spec: CounterSpec;
  field: string;
  activatedAt: Date;
  /** When a backfill finished counting the events that arrived before `activatedAt`. */
  filledAt?: Date;
}

/**
 * Per workspace, `_id` is the workspace id: read once per ingest batch, so ingestion knows the
 * counters to update and whether its cached definitions are current.
 */
export interface AudienceStateDoc {
  _id: string;
  workspaceId: string;
  /** Bumped by every tag, segment, model or settings change. */
  version: number;
  timeZone: string;
  /** Keyed by `counterSpecId(spec)`. */
  counters: Record<string, StoredCounter>;
  /** The last expiry slot the sweep finished, as epoch ms. */
  sweptThrough?: number;
  updatedAt: Date;
}

/**
 * Profiles whose result may change at a time in one slot: `_id` is
 * `workspace:<slot start ms>:<shard>`, read by `_id` so the sweep never scans profiles.
 */
export interface AudienceDueDoc {
  _id: string;
  workspaceId: string;
  slot: number;
  profileIds: string[];
}

export type AudienceJobKind = 'backfill' | 'nightly' | 'sweep' | 'retrain';
export type AudienceJobStatus = 'running' | 'completed' | 'failed';

/** A batch pass over profiles, with progress written as it goes; `_id` is a new id. */
export interface AudienceJobDoc {
  _id: string;
  workspaceId: string;
  kind: AudienceJobKind;
  /** What it computes: `tag:<key>` or `segment:<key>` for a backfill, `all` otherwise. */
  target: string;
  status: AudienceJobStatus;
  /** Profiles in the workspace when the job started, an estimate for progress. */
  total: number;
  processed: number;
  /** Profiles whose tags or memberships the job changed. */
  changed: number;
  /** Events read to fill new counters. */
  eventsRead: number;
  error?: string;
  startedAt: Date;
  updatedAt: Date;
  finishedAt?: Date;
}

/** A trained classifier; `_id` is `workspace:tagKey`, replaced on every training. */
export interface AudienceModelDoc extends TrainedModel {
  _id: string;
  workspaceId: string;
}

export interface AudienceCollections {
  tags: Collection<TagDoc>;
  tagVersions: Collection<TagVersionDoc>;
  segments: Collection<SegmentDoc>;
  segmentVersions: Collection<SegmentVersionDoc>;
  audienceState: Collection<AudienceStateDoc>;
  audienceDue: Collection<AudienceDueDoc>;
  audienceJobs: Collection<AudienceJobDoc>;
  audienceModels: Collection<AudienceModelDoc>;
}

export function audienceCollections(db: Db): AudienceCollections {
  return {
    tags: db.collection('tags'),
    tagVersions: db.collection('tag_versions'),
    segments: db.collection('segments'),
    segmentVersions: db.collection('segment_versions'),
    audienceState: db.collection('audience_state'),
    audienceDue: db.collection('audience_due'),
    audienceJobs: db.collection('audience_jobs'),
    audienceModels: db.collection('audience_models'),
  };
}

export function audienceObjectId(workspaceId: string, key: string): string {
  return `${workspaceId}:${key}`;
}

export function audienceVersionId(workspaceId: string, key: string, version: number): string {
  return `${workspaceId}:${key}:v${version}`;
}
