import { encodeKey, normalizeIdentifier, type Identifier, type MessageType } from '@junction/core';
import type { Collections, ProfileDoc } from '@junction/core/store';
import type { Filter } from 'mongodb';

import { HttpError } from '../http/errors.js';
import { identityDocId, loadLiveProfiles } from '../identity/identity-store.js';
import type { IdentitySettingsStore } from '../identity/settings-store.js';
import { pageOf, type Cursor } from './page.js';
import { personEvents } from './person-events.js';

export interface LiveProfile {
  profile: ProfileDoc;
  /** The id that was asked for, when it was merged into `profile`. */
  resolvedFrom?: string;
}

export interface TimelineQuery {
  limit: number;
  before?: Cursor | Date | undefined;
  type?: MessageType | undefined;
  event?: string | undefined;
}

export interface TraitQuery {
  name: string;
  value: string;
  limit: number;
  after?: Cursor | undefined;
}

type Path = (string | number)[];

const notFound = () => new HttpError(404, 'profile_not_found', 'no such profile in this workspace');

/**
 * A query-string value as every stored value it may stand for: `42` matches the number and the
 * string, `true` the boolean and the string; anything else only the string.
 */
export function traitValues(value: string): (string | number | boolean)[] {
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(value) && Number.isFinite(Number(value))) {
    return [value, Number(value)];
  }
  if (value === 'true' || value === 'false') return [value, value === 'true'];
  return [value];
}

/**
 * Reads profiles the way people think of them: by any identifier, by an id that may have been
 * merged away, with the events of every profile merged into them.
 * TODO(profiles): the timeline and trait search scan on FerretDB; on MongoDB they want indexes
 * on events (workspaceId, profileId, timestamp) and on the searched traits.
 */
export class ProfileReader {
  constructor(
    private readonly db: Collections,
    private readonly settings: IdentitySettingsStore,
  ) {}

  async live(workspaceId: string, id: string): Promise<LiveProfile> {
    const profile = (await loadLiveProfiles(this.db, workspaceId, [id])).get(id);
    if (!profile) throw notFound();
    return profile._id === id ? { profile } : { profile, resolvedFrom: id };
  }

  /** The live profile holding an identifier, after cleaning the value as ingestion does. */
  async byIdentifier(
    workspaceId: string,
    typeName: string,
    raw: string,
    paths: { type: Path; value: Path } = { type: ['type'], value: ['value'] },
  ): Promise<{ profile: ProfileDoc; identifier: Identifier } | null> {
    const settings = await this.settings.get(workspaceId);
    const type = settings.identifierTypes.find((t) => t.type === typeName);
    if (!type) {
      const message = `the workspace has no identifier type ${JSON.stringify(typeName)}`;
      const issue = { code: 'unknown_identifier_type', path: paths.type, message };
      throw new HttpError(400, 'unknown_identifier_type', message, [issue]);
    }
    const cleaned = normalizeIdentifier(type, raw, settings);
    if ('reason' in cleaned) {
      const message = `the value cannot identify anybody (${cleaned.reason})`;
      const issue = { code: cleaned.reason, path: paths.value, message };
      throw new HttpError(400, 'invalid_identifier', message, [issue]);
    }
    const identifier = { type: type.type, value: cleaned.value };
    const identity = await this.db.identities.findOne({
      _id: identityDocId(workspaceId, identifier.type, identifier.value),
    });
    if (!identity) return null;
    const live = await loadLiveProfiles(this.db, workspaceId, [identity.profileId]);
    const profile = live.get(identity.profileId);
    return profile ? { profile, identifier } : null;
  }

  /** Newest first, across the profile and every profile merged into it. */
  async timeline(workspaceId: string, profile: ProfileDoc, query: TimelineQuery) {
    const match = {
      ...(query.type ? { type: query.type } : {}),
      ...(query.event !== undefined ? { event: query.event } : {}),
    };
    return personEvents(this.db.events, workspaceId, profile, match, {
      ...query,
      projection: { pendingJourneys: 0 },
    });
  }

  /** Live profiles whose trait equals the value; the name is escaped like stored keys. */
  async searchByTrait(workspaceId: string, query: TraitQuery) {
    const filter = {
      workspaceId,
      mergedInto: { $exists: false },
      [`traits.${encodeKey(query.name)}`]: { $in: traitValues(query.value) },
      ...(query.after ? { _id: { $gt: query.after.id } } : {}),
    } as Filter<ProfileDoc>;
    const docs = await this.db.profiles
      .find(filter, { sort: { _id: 1 }, limit: query.limit + 1 })
      .toArray();
    return pageOf(docs, query.limit, () => null);
  }
}
