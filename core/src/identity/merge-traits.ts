import { encodeKey } from '../storage-keys.js';
import type { IdentitySettings, TraitMergeStrategy } from './settings.js';

/** A profile's traits with the times that decide `latest` and `first`. */
export interface TraitSource {
  traits: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function unionOf(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const value of values.flatMap((v): unknown[] => (Array.isArray(v) ? v : [v]))) {
    if (value === null || value === undefined) continue;
    const key = JSON.stringify(value);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

function pick(strategy: TraitMergeStrategy, holders: TraitSource[], key: string): unknown {
  const byUpdate = [...holders].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  switch (strategy) {
    case 'latest':
      return byUpdate[0]!.traits[key];
    case 'first': {
      const byCreation = [...holders].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      return byCreation[0]!.traits[key];
    }
    case 'non_empty':
      return (byUpdate.find((p) => !isEmpty(p.traits[key])) ?? byUpdate[0]!).traits[key];
    case 'union':
      return unionOf(byUpdate.map((p) => p.traits[key]));
  }
}

/**
 * The traits of the person two or more profiles turn out to be, trait by trait: `latest` takes
 * the most recently updated profile's value, `first` the earliest created profile's, `non_empty`
 * the latest value that is not empty, `union` every distinct value as one list. Keys are the
 * stored (escaped) keys; strategies are configured by trait name.
 */
export function mergeTraits(
  profiles: TraitSource[],
  config: IdentitySettings['traitMerge'],
): Record<string, unknown> {
  const strategies = new Map(
    Object.entries(config.traits).map(([name, strategy]) => [encodeKey(name), strategy]),
  );
  const keys = new Set(profiles.flatMap((p) => Object.keys(p.traits)));
  const merged: Record<string, unknown> = {};
  for (const key of keys) {
    const holders = profiles.filter((p) => key in p.traits);
    merged[key] = pick(strategies.get(key) ?? config.default, holders, key);
  }
  return merged;
}
