import type { Router } from 'express';
import type { Db } from 'mongodb';

import { collections, journeyCollections } from '@junction/core/store';

import { channelRoutes } from './channel-routes.js';
import { contactPolicyRoutes } from './contact-policy-routes.js';
import { KeyedStore } from './keyed-store.js';
import { templateRoutes } from './template-routes.js';

export interface ChannelApi {
  channels: Router;
  templates: Router;
  contactPolicy: Router;
}

/** The routers for channels, templates and the contact policy, mounted by the app. */
export function createChannelApi(db: Db): ChannelApi {
  const core = collections(db);
  const journeys = journeyCollections(db);
  return {
    channels: channelRoutes(core, new KeyedStore('channel', journeys.channels)),
    templates: templateRoutes(core, new KeyedStore('template', journeys.templates)),
    contactPolicy: contactPolicyRoutes(journeys),
  };
}
