import type { Router } from 'express';
import type { Db } from 'mongodb';

import type { SegmentDefinition, TagDefinition } from '@junction/core';
import { audienceCollections, collections } from '@junction/core/store';

import type { Logger } from '../logger.js';
import { AudienceCatalog } from './audience-catalog.js';
import { audienceRoutes } from './audience-routes.js';
import type { AudienceRuntime } from './audience-runtime.js';
import { DefinitionStore } from './definition-store.js';
import { segmentRoutes } from './segment-routes.js';
import { tagRoutes } from './tag-routes.js';

export type { AudienceRuntime } from './audience-runtime.js';

export interface AudienceApi {
  /** Mounted at `/v1/tags`. */
  tags: Router;
  /** Mounted at `/v1/segments`. */
  segments: Router;
  /** Mounted at `/v1/audience`: settings and job progress. */
  audience: Router;
}

/** The management API of tags and segments, over the runtime that evaluates them. */
export function createAudienceApi(deps: {
  db: Db;
  runtime: AudienceRuntime;
  log: Logger;
}): AudienceApi {
  const db = collections(deps.db);
  const stored = audienceCollections(deps.db);
  const tags = new DefinitionStore<TagDefinition>('tag', stored.tags, stored.tagVersions);
  const segments = new DefinitionStore<SegmentDefinition>(
    'segment',
    stored.segments,
    stored.segmentVersions,
  );
  const catalog = new AudienceCatalog(db, tags, segments);
  const shared = { catalog, runtime: deps.runtime, jobs: stored.audienceJobs };
  return {
    tags: tagRoutes({ ...shared, store: tags }),
    segments: segmentRoutes({ ...shared, store: segments, db, log: deps.log }),
    audience: audienceRoutes(deps.runtime),
  };
}
