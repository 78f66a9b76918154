import {
  messageIdentifiers,
  normalizeIdentifier,
  type Identifier,
  type IdentitySettings,
  type SourceKind,
  type TrackingMessage,
} from '@junction/core';
import type { Collections } from '@junction/core/store';

import { newId } from '../workspaces/credentials.js';
import type { IdentityGraph } from './identity-graph.js';
import {
  identityKeys,
  insertClaims,
  loadLiveProfiles,
  newProfile,
  readOwners,
} from './identity-store.js';
import { brokenLimits, fitLimits } from './merge-rules.js';
import type { IdentitySettingsStore } from './settings-store.js';

export interface ResolveInput {
  message: TrackingMessage;
  messageId: string;
}

export type ResolveOutcome =
  { profileId: string } | { rejected: { code: string; path: string[]; message: string } };

/** The identifiers a message links, and those it only looks up (an alias's `previousId`). */
export interface LinkPlan {
  identifiers: Identifier[];
  lookupOnly: Identifier[];
}

export interface Resolution {
  outcomes: ResolveOutcome[];
  /**
   * Identities claimed for existing profiles, to add to their `identities` list in the same
   * write as the batch's traits (the identities collection already points at them).
   */
  joined: Map<string, Identifier[]>;
}

export interface ResolveContext {
  source: SourceKind;
  now: Date;
}

function planOf(message: TrackingMessage, settings: IdentitySettings): LinkPlan | null {
  const { identifiers } = messageIdentifiers(message, settings);
  const lookupOnly: Identifier[] = [];
  if (message.type === 'alias') {
    for (const typeName of ['anonymous_id', 'user_id']) {
      const type = settings.identifierTypes.find((t) => t.type === typeName)!;
      const cleaned = normalizeIdentifier(type, message.previousId, settings);
      if ('reason' in cleaned) continue;
      const id = { type: typeName, value: cleaned.value };
      // The previous id is claimed as an anonymous id when nobody holds it yet.
      (typeName === 'anonymous_id' ? identifiers : lookupOnly).push(id);
    }
  }
  return identifiers.length > 0 ? { identifiers, lookupOnly } : null;
}

const NO_IDENTIFIER = {
  code: 'no_identifier',
  path: ['userId'],
  message: 'no usable identifier: userId and anonymousId are missing or junk values',
};

/**
 * Resolves each message to the profile of the person it is about. Most messages take the bulk
 * path: one read of the owners of every identifier in the batch, one insert of new identities
 * and one of new profiles. Messages that would merge profiles or add a limited identifier (a
 * second user id, a member number) to an existing profile go through the identity graph one at
 * a time, and so does every later message that shares an identifier with them, so that batch
 * order is respected.
 */
export class IdentityResolver {
  constructor(
    private readonly db: Collections,
    private readonly settings: IdentitySettingsStore,
    private readonly graph: IdentityGraph,
  ) {}

  async resolve(
    workspaceId: string,
    inputs: ResolveInput[],
    context: ResolveContext,
  ): Promise<Resolution> {
    const settings = await this.settings.get(workspaceId);
    const plans = inputs.map(({ message }) => planOf(message, settings));
    const limited = new Set(
      settings.identifierTypes.filter((t) => t.limit !== null).map((t) => t.type),
    );
    const allKeys = plans.flatMap((plan) =>
      plan ? identityKeys(workspaceId, [...plan.identifiers, ...plan.lookupOnly]) : [],
    );
    const owners = await readOwners(this.db, [...new Set(allKeys)]);
    const held = await this.heldIdentities(workspaceId, plans, owners, limited);

    const claims = new Map<string, { id: Identifier; profileId: string }>();
    const fresh = new Set<string>();
    const ownerOf = (key: string) => owners.get(key) ?? claims.get(key)?.profileId;
    const tainted = new Set<string>();
    const outcomes: (ResolveOutcome | undefined)[] = plans.map((plan) =>
      plan ? undefined : { rejected: NO_IDENTIFIER },
    );
    const deferred: number[] = [];
    const claimedBy = new Map<number, string[]>();

    plans.forEach((plan, index) => {
      if (!plan) return;
      const keys = identityKeys(workspaceId, plan.identifiers);
      const allKeys = [...keys, ...identityKeys(workspaceId, plan.lookupOnly)];
      const profileIds = new Set(allKeys.map(ownerOf).filter((id) => id !== undefined));
      const [existing] = profileIds;
      const unowned = plan.identifiers.filter((_, n) => ownerOf(keys[n]!) === undefined);
      const heldBy = existing === undefined ? [] : held.get(existing);
      // Stitching a sign-in onto a known profile stays in bulk when the limits allow it.
      const breaksLimit =
        unowned.some((id) => limited.has(id.type)) &&
        (heldBy === undefined || fitLimits(heldBy, unowned, settings).overflow.length > 0);
      if (
        profileIds.size > 1 ||
        breaksLimit ||
        brokenLimits(plan.identifiers, settings).length > 0 ||
        allKeys.some((key) => tainted.has(key))
      ) {
        deferred.push(index);
        for (const key of allKeys) tainted.add(key);
        return;
      }
      let profileId = existing;
      if (profileId === undefined) {
        profileId = newId('prf');
        fresh.add(profileId);
        held.set(profileId, []);
      }
      held.get(profileId)?.push(...unowned);
      const claimed = keys.filter((key) => ownerOf(key) === undefined);
      for (const key of claimed) {
        claims.set(key, { id: plan.identifiers[keys.indexOf(key)]!, profileId });
      }
      claimedBy.set(index, claimed);
      outcomes[index] = { profileId };
    });

    const { lost, created, joined } = await this.writeClaims(
      workspaceId,
      claims,
      fresh,
      context.now,
    );
    // A message that lost a claim to a concurrent request is linked again, now seeing its owner.
    outcomes.forEach((outcome, index) => {
      if (!outcome || !('profileId' in outcome)) return;
      const lostOne = claimedBy.get(index)?.some((key) => lost.has(key));
      const uncreated = fresh.has(outcome.profileId) && !created.has(outcome.profileId);
      if (lostOne || uncreated) deferred.push(index);
    });
    for (const index of deferred) {
      const profileId = await this.graph.link(workspaceId, plans[index]!, {
        ...context,
        settings,
        messageId: inputs[index]!.messageId,
        type: inputs[index]!.message.type,
      });
      outcomes[index] = { profileId };
    }
    return { outcomes: outcomes.map((outcome) => outcome!), joined };
  }

  /**
   * Identities of the existing profiles that messages would add a limited identifier to (a
   * sign-in after anonymous browsing), so the limits can be checked without the graph. A profile
   * that was merged away is left out: its messages go through the graph.
   */
  private async heldIdentities(
    workspaceId: string,
    plans: (LinkPlan | null)[],
    owners: Map<string, string>,
    limited: Set<string>,
  ): Promise<Map<string, Identifier[]>> {
    const candidates = new Set<string>();
    for (const plan of plans) {
      if (!plan) continue;
      const keys = identityKeys(workspaceId, plan.identifiers);
      const addsLimited = plan.identifiers.some(
        (id, n) => limited.has(id.type) && !owners.has(keys[n]!),
      );
      if (!addsLimited) continue;
      for (const key of keys) {
        const owner = owners.get(key);
        if (owner !== undefined) candidates.add(owner);
      }
    }
    if (candidates.size === 0) return new Map();
    const live = await loadLiveProfiles(this.db, workspaceId, [...candidates]);
    return new Map(
      [...live]
        .filter(([asked, doc]) => asked === doc._id)
        .map(([asked, doc]) => [asked, [...doc.identities]] as const),
    );
  }

  /**
   * Claims new identities by inserting their `_id`s, then creates the new profiles that won at
   * least one claim and adds won identities to existing profiles. Returns the keys another
   * request claimed first.
   */
  private async writeClaims(
    workspaceId: string,
    claims: Map<string, { id: Identifier; profileId: string }>,
    fresh: Set<string>,
    now: Date,
  ): Promise<{ lost: Set<string>; created: Set<string>; joined: Map<string, Identifier[]> }> {
    const lost = await insertClaims(this.db, workspaceId, claims, now);
    const won = new Map<string, Identifier[]>();
    for (const [key, { id, profileId }] of claims) {
      if (lost.has(key)) continue;
      won.set(profileId, [...(won.get(profileId) ?? []), id]);
    }
    const created = [...won].filter(([profileId]) => fresh.has(profileId));
    if (created.length > 0) {
      const docs = created.map(([profileId, ids]) => newProfile(workspaceId, profileId, ids, now));
      await this.db.profiles.insertMany(docs, { ordered: false });
    }
    const joined = new Map([...won].filter(([profileId]) => !fresh.has(profileId)));
    return { lost: new Set(lost.keys()), created: new Set(created.map(([id]) => id)), joined };
  }
}
