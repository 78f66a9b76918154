import {
  decodeKey,
  DEFAULT_IDENTITY_SETTINGS,
  encodeKey,
  type IdentitySettings,
} from '@junction/core';
import type { Collections } from '@junction/core/store';

interface Cached {
  settings: IdentitySettings;
  expires: number;
}

/**
 * A workspace's identity settings, read by `_id` and cached briefly because every ingest batch
 * needs them; a change takes effect within `ttlMs` on every server.
 */
export class IdentitySettingsStore {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly db: Collections,
    private readonly ttlMs = 5_000,
  ) {}

  async get(workspaceId: string): Promise<IdentitySettings> {
    const hit = this.cache.get(workspaceId);
    if (hit && hit.expires > Date.now()) return hit.settings;
    const doc = await this.db.identitySettings.findOne({ _id: workspaceId });
    let settings: IdentitySettings = DEFAULT_IDENTITY_SETTINGS;
    if (doc) {
      const { identifierTypes, junkValues, traitMerge, mergeSources } = doc;
      const traits = mapKeys(traitMerge.traits, decodeKey);
      settings = {
        identifierTypes,
        junkValues,
        traitMerge: { ...traitMerge, traits },
        mergeSources,
      };
    }
    this.cache.set(workspaceId, { settings, expires: Date.now() + this.ttlMs });
    return settings;
  }

  async put(workspaceId: string, settings: IdentitySettings): Promise<void> {
    const updatedAt = new Date();
    await this.db.identitySettings.replaceOne(
      { _id: workspaceId },
      {
        ...settings,
        // Trait names are user keys: escaped so `.` and `$` can be stored.
        traitMerge: {
          ...settings.traitMerge,
          traits: mapKeys(settings.traitMerge.traits, encodeKey),
        },
        workspaceId,
        updatedAt,
      },
      { upsert: true },
    );
    this.cache.set(workspaceId, { settings, expires: Date.now() + this.ttlMs });
  }
}

function mapKeys<T>(record: Record<string, T>, map: (key: string) => string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [map(key), value]));
}
