import type { Collections } from '@junction/core/store';

import { IdentityGraph } from './identity-graph.js';
import { ProfileMerges } from './profile-merges.js';
import { IdentityResolver } from './resolver.js';
import { IdentitySettingsStore } from './settings-store.js';

export interface Identity {
  settings: IdentitySettingsStore;
  merges: ProfileMerges;
  resolver: IdentityResolver;
}

/** The identity graph's parts, wired once per process and shared by every ingestion path. */
export function createIdentity(db: Collections): Identity {
  const settings = new IdentitySettingsStore(db);
  const merges = new ProfileMerges(db);
  const resolver = new IdentityResolver(db, settings, new IdentityGraph(db, merges));
  return { settings, merges, resolver };
}
