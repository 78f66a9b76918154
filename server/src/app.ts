import { existsSync } from 'node:fs';
import path from 'node:path';

import express, { type Express } from 'express';
import type { Db } from 'mongodb';
import type { Client } from '@temporalio/client';

import { audienceCollections, collections } from '@junction/core/store';

import { createAudience } from './audience/index.js';
import { createAudienceApi } from './audience-api/index.js';
import { createChannelApi } from './channels/channel-api.js';
import { connectorRoutes } from './connectors/routes.js';
import { apiKeyAuth } from './http/auth.js';
import { errorHandler, HttpError } from './http/errors.js';
import { healthRoutes } from './health/routes.js';
import { createIdentity } from './identity/index.js';
import { identityRoutes } from './identity-api/routes.js';
import { writeKeyRoutes } from './identity-api/write-key-routes.js';
import { Ingestor } from './ingest/ingest-messages.js';
import { trackingRoutes } from './ingest/routes.js';
import { importRoutes } from './imports/index.js';
import { createJourneyApi } from './journeys/journey-api.js';
import { entryRoutes } from './journeys/entry-routes.js';
import { createJourneys } from './journeys/index.js';
import type { Logger } from './logger.js';
import { MergeHistory } from './profiles/merge-history.js';
import { ProfileReader } from './profiles/profile-reader.js';
import { profileRoutes } from './profiles/routes.js';
import { SegmentHistory } from './profiles/segment-history.js';
import { CredentialResolver } from './workspaces/credentials.js';

export interface AppDeps {
  db: Db;
  temporal: Client;
  temporalNamespace: string;
  log: Logger;
  /** Directory of the built studio, served under `/studio` when it exists. */
  studioDist?: string | undefined;
}

/** Builds the API without listening, so tests can drive it directly. */
export function createApp(deps: AppDeps): Express {
  const db = collections(deps.db);
  const credentials = new CredentialResolver(db);
  const journeys = createJourneys(deps);
  const identity = createIdentity(db);
  const audience = createAudience({ ...deps, journeys: journeys.triggers });
  const ingestor = new Ingestor(db, identity.resolver, journeys.triggers, audience);
  const audienceApi = createAudienceApi({ db: deps.db, runtime: audience, log: deps.log });
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  app.use('/health', healthRoutes(deps.db, deps.temporal, deps.temporalNamespace));
  const mergeHistory = new MergeHistory(db);
  const profiles = new ProfileReader(db, identity.settings);
  const segmentHistory = new SegmentHistory(db, audienceCollections(deps.db).segments);
  const journeyApi = createJourneyApi({ ...deps, entries: journeys.entries, profiles });
  app.use(
    '/v1/journeys',
    apiKeyAuth(credentials),
    entryRoutes({ entries: journeys.entries, profiles }),
    journeyApi.journeys,
  );
  const channelApi = createChannelApi(deps.db);
  app.use('/v1/channels', apiKeyAuth(credentials), channelApi.channels);
  app.use('/v1/templates', apiKeyAuth(credentials), channelApi.templates);
  app.use('/v1/contact-policy', apiKeyAuth(credentials), channelApi.contactPolicy);
  app.use('/v1/connectors', apiKeyAuth(credentials), connectorRoutes(deps));
  app.use(
    '/v1/profiles',
    apiKeyAuth(credentials),
    journeyApi.profileJourneys,
    profileRoutes(profiles, mergeHistory, segmentHistory),
  );
  app.use('/v1/tags', apiKeyAuth(credentials), audienceApi.tags);
  app.use('/v1/segments', apiKeyAuth(credentials), audienceApi.segments);
  app.use('/v1/audience', apiKeyAuth(credentials), audienceApi.audience);
  app.use('/v1/identity', apiKeyAuth(credentials), identityRoutes(identity, mergeHistory));
  app.use('/v1/write-keys', apiKeyAuth(credentials), writeKeyRoutes(db));
  app.use(
    '/v1/imports',
    apiKeyAuth(credentials),
    importRoutes(deps.db, ingestor, identity.settings, deps.log),
  );
  app.use('/v1', trackingRoutes(ingestor, credentials));

  if (deps.studioDist && existsSync(path.join(deps.studioDist, 'index.html'))) {
    const dist = deps.studioDist;
    app.use('/studio', express.static(dist, { index: 'index.html', maxAge: '1h' }));
    app.get('/studio/{*rest}', (_req, res) => res.sendFile(path.join(dist, 'index.html')));
    app.get('/', (_req, res) => res.redirect('/studio/'));
  }

  app.use((req, _res, next) =>
    next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`)),
  );
  app.use(errorHandler(deps.log));
  return app;
}
