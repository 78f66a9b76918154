import type { Identifier, IdentitySettings } from '@junction/core';
import type { ProfileDoc } from '@junction/core/store';

import type { LinkContext } from './identity-graph.js';

export type MergeDecision =
  | { allowed: true; survivor: ProfileDoc; others: ProfileDoc[] }
  | { allowed: false; survivor: ProfileDoc; others: ProfileDoc[]; reason: string };

function priorityOf(type: string, settings: IdentitySettings): number {
  return settings.identifierTypes.find((t) => t.type === type)?.priority ?? -1;
}

/** The identifier with the highest priority (the first one on a tie). */
export function topIdentifier(
  ids: Identifier[],
  settings: IdentitySettings,
): Identifier | undefined {
  let top: Identifier | undefined;
  for (const id of ids) {
    if (!top || priorityOf(id.type, settings) > priorityOf(top.type, settings)) top = id;
  }
  return top;
}

function strength(profile: ProfileDoc, settings: IdentitySettings): number {
  return Math.max(-1, ...profile.identities.map((id) => priorityOf(id.type, settings)));
}

function isAnonymousOnly(profile: ProfileDoc, settings: IdentitySettings): boolean {
  const anonymous = new Set(settings.identifierTypes.filter((t) => t.anonymous).map((t) => t.type));
  return profile.identities.every((id) => anonymous.has(id.type));
}

/** Types whose distinct values across `ids` exceed the type's per-profile limit. */
export function brokenLimits(ids: Identifier[], settings: IdentitySettings): string[] {
  return settings.identifierTypes
    .filter((t) => t.limit !== null)
    .filter(
      (t) => new Set(ids.filter((id) => id.type === t.type).map((id) => id.value)).size > t.limit!,
    )
    .map((t) => t.type);
}

/**
 * Whether profiles that share a message's identifiers may become one. The survivor holds the
 * highest-priority identifier (the oldest profile on a tie). Stitching anonymous-only profiles
 * into a known one is always allowed; joining two known people needs a trusted source, and no
 * merge may leave a profile with more values of a type than its limit.
 */
export function decideMerge(profiles: ProfileDoc[], context: LinkContext): MergeDecision {
  const { settings } = context;
  const [survivor, ...others] = [...profiles].sort(
    (a, b) =>
      strength(b, settings) - strength(a, settings) ||
      a.createdAt.getTime() - b.createdAt.getTime(),
  );
  const base = { survivor: survivor!, others };
  const broken = brokenLimits(
    profiles.flatMap((p) => p.identities),
    settings,
  );
  if (broken.length > 0) {
    return { ...base, allowed: false, reason: `identifier_limit:${broken.join(',')}` };
  }
  const stitching = others.every((p) => isAnonymousOnly(p, settings));
  if (!stitching && !settings.mergeSources.includes(context.source)) {
    return { ...base, allowed: false, reason: 'untrusted_source' };
  }
  return { ...base, allowed: true };
}

/** Splits new identifiers into those `existing` can take within the limits and the rest. */
export function fitLimits(
  existing: Identifier[],
  incoming: Identifier[],
  settings: IdentitySettings,
): { accepted: Identifier[]; overflow: Identifier[] } {
  const accepted: Identifier[] = [];
  const overflow: Identifier[] = [];
  const held = [...existing];
  for (const id of incoming) {
    if (brokenLimits([...held, id], settings).includes(id.type)) overflow.push(id);
    else {
      accepted.push(id);
      held.push(id);
    }
  }
  return { accepted, overflow };
}
