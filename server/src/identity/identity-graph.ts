import type { Identifier, IdentitySettings, MessageType } from '@junction/core';
import type { Collections, ProfileDoc } from '@junction/core/store';

import { isDuplicateKey } from '@junction/core/store';
import { newId } from '../workspaces/credentials.js';
import {
  identityDocId,
  insertClaims,
  loadLiveProfiles,
  newProfile,
  readOwners,
} from './identity-store.js';
import { decideMerge, fitLimits, topIdentifier } from './merge-rules.js';
import type { ProfileMerges } from './profile-merges.js';
import type { LinkPlan, ResolveContext } from './resolver.js';

export interface LinkContext extends ResolveContext {
  settings: IdentitySettings;
  messageId: string;
  type: MessageType;
}

/** Another request claimed an identity between our read and our write: read again. */
const MAX_ATTEMPTS = 4;

/**
 * How long an identity may point at a profile that does not exist before it counts as left
 * behind by a crash. A younger one belongs to a request that has claimed it and is about to
 * insert the profile: taking it over would split that person in two.
 */
const IN_FLIGHT_MS = 30_000;
/** How long a link waits, in total, for an in-flight profile to appear. */
const IN_FLIGHT_WAIT_MS = 5_000;

/**
 * Links one message's identifiers into the graph: adopts the profile that holds them, merges
 * the profiles they join when the rules allow it (and records a refusal when not), and adds new
 * identifiers within each type's limit. An identifier that would break a limit (a second user
 * id on a profile) starts its own profile instead of being forced onto the wrong person.
 * Links run one at a time per workspace in this process.
 * TODO(identity): two API processes can still link the same people at once; a per-profile
 * lock document would serialise merges across processes.
 */
export class IdentityGraph {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Collections,
    private readonly merges: ProfileMerges,
  ) {}

  link(workspaceId: string, plan: LinkPlan, context: LinkContext): Promise<string> {
    const previous = this.queues.get(workspaceId) ?? Promise.resolve();
    const next = previous.then(
      () => this.linkWithRetry(workspaceId, plan, context),
      () => this.linkWithRetry(workspaceId, plan, context),
    );
    const settled = next.catch(() => undefined);
    this.queues.set(workspaceId, settled);
    void settled.then(() => {
      if (this.queues.get(workspaceId) === settled) this.queues.delete(workspaceId);
    });
    return next;
  }

  private async linkWithRetry(
    workspaceId: string,
    plan: LinkPlan,
    context: LinkContext,
  ): Promise<string> {
    const waitUntil = Date.now() + IN_FLIGHT_WAIT_MS;
    for (let attempt = 1; ;) {
      try {
        return await this.linkOnce(workspaceId, plan, context);
      } catch (error) {
        if (error instanceof ProfileInFlight && Date.now() < waitUntil) {
          await sleep(20);
          continue;
        }
        if (!(error instanceof ClaimLost) || ++attempt > MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async linkOnce(workspaceId: string, plan: LinkPlan, linkContext: LinkContext) {
    const key = (id: Identifier) => identityDocId(workspaceId, id.type, id.value);
    const all = [...plan.identifiers, ...plan.lookupOnly];
    const owners = await readOwners(this.db, all.map(key));
    const live = await loadLiveProfiles(this.db, workspaceId, [...owners.values()]);
    const ownerOf = (id: Identifier) => {
      const owner = owners.get(key(id));
      return owner === undefined ? undefined : live.get(owner);
    };
    const involved = [
      ...new Map(
        all.flatMap((id) => {
          const doc = ownerOf(id);
          return doc ? [[doc._id, doc] as const] : [];
        }),
      ).values(),
    ];
    // An identity whose profile was never written (a crash between the two) is up for grabs,
    // once it is old enough that its claimant cannot still be about to write it.
    const unowned = plan.identifiers.filter((id) => !ownerOf(id));
    const dangling = new Map(
      unowned.flatMap((id) => {
        const owner = owners.get(key(id));
        return owner === undefined ? [] : [[key(id), owner] as const];
      }),
    );
    if (dangling.size > 0) await this.refuseInFlight([...dangling.keys()]);
    const context = { ...linkContext, dangling };

    if (involved.length === 0) return this.create(workspaceId, unowned, context);

    let target = involved[0]!;
    if (involved.length > 1) {
      const decision = decideMerge(involved, context);
      const linkedBy = all.filter((id) => ownerOf(id) !== undefined);
      if (decision.allowed) {
        target = await this.merges.merge(workspaceId, decision.survivor, decision.others, {
          context,
          identifiers: linkedBy,
        });
      } else {
        await this.merges.refuse(workspaceId, decision, { context, identifiers: linkedBy });
        const top = topIdentifier(
          all.filter((id) => ownerOf(id)),
          context.settings,
        );
        target = ownerOf(top!) ?? decision.survivor;
      }
    }
    return this.join(workspaceId, target, unowned, plan, context);
  }

  /** Throws ProfileInFlight when an identity was claimed too recently to count as abandoned. */
  private async refuseInFlight(keys: string[]): Promise<void> {
    const young = await this.db.identities.findOne(
      { _id: { $in: keys }, createdAt: { $gt: new Date(Date.now() - IN_FLIGHT_MS) } },
      { projection: { _id: 1 } },
    );
    if (young) throw new ProfileInFlight();
  }

  /** A person seen for the first time: a profile with as many identifiers as the limits allow. */
  private async create(workspaceId: string, ids: Identifier[], context: ClaimContext) {
    const { accepted } = fitLimits([], ids, context.settings);
    const profileId = newId('prf');
    await this.db.profiles.insertOne(newProfile(workspaceId, profileId, [], context.now));
    try {
      await this.claim(workspaceId, profileId, accepted, context);
    } catch (error) {
      const doc = await this.db.profiles.findOne({ _id: profileId });
      if (doc && doc.identities.length === 0) await this.db.profiles.deleteOne({ _id: profileId });
      throw error;
    }
    return profileId;
  }

  /** Adds new identifiers to `target`; those over a limit go to a profile of their own. */
  private async join(
    workspaceId: string,
    target: ProfileDoc,
    unowned: Identifier[],
    plan: LinkPlan,
    context: ClaimContext,
  ): Promise<string> {
    const { accepted, overflow } = fitLimits(target.identities, unowned, context.settings);
    await this.claim(workspaceId, target._id, accepted, context);
    if (overflow.length === 0) return target._id;
    const top = topIdentifier(plan.identifiers, context.settings);
    const own = await this.create(workspaceId, overflow, context);
    await this.merges.refuse(
      workspaceId,
      { survivor: target, others: [], reason: 'identifier_limit', newProfileId: own },
      { context, identifiers: overflow },
    );
    // The message is about whoever holds its strongest identifier.
    return top && overflow.some((id) => id.type === top.type && id.value === top.value)
      ? own
      : target._id;
  }

  /**
   * Claims identities for a profile and lists the ones it won on the profile; throws ClaimLost
   * when another request claimed one first, so the link runs again and sees the new owner.
   */
  private async claim(
    workspaceId: string,
    profileId: string,
    ids: Identifier[],
    context: ClaimContext,
  ): Promise<void> {
    if (ids.length === 0) return;
    const fresh = new Map<string, { id: Identifier; profileId: string }>();
    const won: Identifier[] = [];
    for (const id of ids) {
      const idKey = identityDocId(workspaceId, id.type, id.value);
      const stale = context.dangling.get(idKey);
      if (stale === undefined) {
        fresh.set(idKey, { id, profileId });
        continue;
      }
      const moved = await this.db.identities.updateOne(
        { _id: idKey, profileId: stale },
        { $set: { profileId } },
      );
      if (moved.modifiedCount === 1) won.push(id);
    }
    let lost = new Map<string, string>();
    try {
      lost = await insertClaims(this.db, workspaceId, fresh, context.now);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      lost = new Map([...fresh.keys()].map((k) => [k, '']));
    }
    won.push(...[...fresh].filter(([k]) => !lost.has(k)).map(([, claim]) => claim.id));
    if (won.length > 0) {
      await this.db.profiles.updateOne(
        { _id: profileId },
        { $set: { updatedAt: context.now }, $addToSet: { identities: { $each: won } } },
      );
    }
    if (won.length < ids.length) throw new ClaimLost();
  }
}

interface ClaimContext extends LinkContext {
  /** Identity keys that point at a profile that does not exist, with that profile id. */
  dangling: Map<string, string>;
}

/** An identity points at a profile its claimant has not inserted yet: wait for it. */
class ProfileInFlight extends Error {
  constructor() {
    super('an identity belongs to a profile that is still being created');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class ClaimLost extends Error {
  constructor() {
    super('an identity was claimed by another request');
  }
}
