import type { AudienceProfile, AudienceResult, TagValue } from '@junction/core';
import type { ProfileDoc } from '@junction/core/store';
import type { Filter, UpdateFilter } from 'mongodb';

/** The part of a profile that evaluation reads, and what it compares its result with. */
export type EvaluatedProfile = Pick<
  ProfileDoc,
  '_id' | 'workspaceId' | 'traits' | 'counters' | 'tags' | 'segments' | 'audience' | 'mergedInto'
>;

export const EVALUATED_PROJECTION = {
  workspaceId: 1,
  traits: 1,
  counters: 1,
  tags: 1,
  segments: 1,
  audience: 1,
  mergedInto: 1,
} as const;

/** A segment the person entered or left, with the start of the membership concerned. */
export interface MembershipChange {
  segment: string;
  since: Date;
}

/** One profile's write after an evaluation, guarded so that it lands only on what was read. */
export interface ProfileChange {
  profileId: string;
  filter: Filter<ProfileDoc>;
  update: UpdateFilter<ProfileDoc>;
  /** The token the write leaves behind; finding it afterwards proves the write won. */
  token: string;
  entered: MembershipChange[];
  exited: MembershipChange[];
  nextCheckAt: Date | null;
}

export function audienceProfile(profile: EvaluatedProfile): AudienceProfile {
  return {
    _id: profile._id,
    traits: profile.traits ?? {},
    counters: profile.counters,
    tags: profile.tags,
    segments: profile.segments,
  };
}

/**
 * What must change on a profile for it to hold `result`: tag values set or unset, memberships
 * started or ended, and the evaluation bookkeeping. `null` when nothing changed, so unchanged
 * people cost no write.
 */
export function profileChange(
  profile: EvaluatedProfile,
  result: AudienceResult,
  context: { now: Date; version: number; token: string },
): ProfileChange | null {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  const stored = profile.tags ?? {};
  for (const [key, value] of Object.entries(result.tags)) {
    if (value === null) {
      if (Object.hasOwn(stored, key)) $unset[`tags.${key}`] = '';
    } else if (!sameValue(stored[key], value)) {
      $set[`tags.${key}`] = value;
    }
  }
  for (const key of Object.keys(stored)) {
    if (!Object.hasOwn(result.tags, key)) $unset[`tags.${key}`] = '';
  }

  const members = new Set(result.segments);
  const entered = result.segments
    .filter((segment) => !profile.segments?.[segment])
    .map((segment) => ({ segment, since: context.now }));
  const exited = Object.entries(profile.segments ?? {})
    .filter(([segment]) => !members.has(segment))
    .map(([segment, { since }]) => ({ segment, since }));
  for (const { segment, since } of entered) $set[`segments.${segment}`] = { since };
  for (const { segment } of exited) $unset[`segments.${segment}`] = '';

  const nextCheckAt = result.nextCheckAt;
  const rescheduled = timeOf(profile.audience?.nextCheckAt) !== timeOf(nextCheckAt);
  if (Object.keys($set).length + Object.keys($unset).length === 0 && !rescheduled) return null;

  Object.assign($set, {
    'audience.token': context.token,
    'audience.evaluatedAt': context.now,
    'audience.nextCheckAt': nextCheckAt,
    'audience.version': context.version,
  });
  const update: UpdateFilter<ProfileDoc> = { $set };
  if (Object.keys($unset).length > 0) update.$unset = $unset;
  const token = profile.audience?.token;
  return {
    profileId: profile._id,
    // A profile merged away meanwhile must not get tags back; one evaluated meanwhile is redone.
    filter: {
      _id: profile._id,
      mergedInto: { $exists: false },
      'audience.token': token === undefined ? { $exists: false } : token,
    },
    update,
    token: context.token,
    entered,
    exited,
    nextCheckAt,
  };
}

function sameValue(stored: TagValue | undefined, value: TagValue): boolean {
  if (Array.isArray(stored) && Array.isArray(value)) {
    return stored.length === value.length && stored.every((item, index) => item === value[index]);
  }
  return stored === value;
}

function timeOf(date: Date | null | undefined): number | null {
  return date ? date.getTime() : null;
}
