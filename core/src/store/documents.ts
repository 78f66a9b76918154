/** Stored document shapes and collection names, shared by the server and the workers. */
import type { Collection, Db } from 'mongodb';

import type { CounterBuckets } from '../audience/context.js';
import type { TagValue } from '../audience/definitions.js';
import type { IdentitySettings, SourceKind } from '../identity/settings.js';
import type { JourneyDefinition } from '../journey/definition.js';
import type { JourneyVersionDiff } from '../journey/version-diff.js';
import type { MessageType } from '../tracking.js';
import type { Author } from './audience.js';

/**
 * Every document carries `workspaceId`. Hot documents have natural composite `_id`s so that
 * lookups and deduplication are single-document operations by `_id`.
 */
export interface WorkspaceDoc {
  _id: string;
  workspaceId: string;
  name: string;
  createdAt: Date;
}

/** `_id` is the SHA-256 of the key; the key itself is never stored. */
export interface CredentialDoc {
  _id: string;
  workspaceId: string;
  kind: 'write' | 'api';
  name: string;
  /**
   * For write keys: a `client` key ships inside apps and browsers, so what it sends is
   * unauthenticated and may not merge known people. Missing means `server`.
   */
  sourceKind?: SourceKind;
  createdAt: Date;
}

/** `_id` is the workspace id; missing means the defaults (`DEFAULT_IDENTITY_SETTINGS`). */
export interface IdentitySettingsDoc extends IdentitySettings {
  _id: string;
  workspaceId: string;
  updatedAt: Date;
}

/** `_id` is `workspace:type:value`; the value points at one profile. */
export interface IdentityDoc {
  _id: string;
  workspaceId: string;
  type: string;
  value: string;
  profileId: string;
  createdAt: Date;
}

export interface ProfileDoc {
  _id: string;
  workspaceId: string;
  /** Stored with escaped keys (see `encodeObject`). */
  traits: Record<string, unknown>;
  identities: { type: string; value: string }[];
  /** Groups (accounts) the person belongs to, from `group` calls. */
  groupIds?: string[];
  /** Set when this profile was merged into another; its id keeps resolving to that one. */
  mergedInto?: string;
  /** Profiles merged into this one; their events belong to this person. */
  mergedFrom?: string[];
  /** Time-bucketed event counters that behavioral tags and event conditions read. */
  counters?: Record<string, CounterBuckets>;
  /** Tag values as last evaluated, by tag key. */
  tags?: Record<string, TagValue>;
  /** Segments the person is in, by segment key, with when they entered. */
  segments?: Record<string, { since: Date }>;
  /** Bookkeeping of the last evaluation; see `AudienceRefresher`. */
  audience?: ProfileAudienceState;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProfileAudienceState {
  /** Written by each evaluation and checked by the next one, so racing writers detect it. */
  token: string;
  evaluatedAt: Date;
  /** When a time-relative condition may change the result next; see `AudienceResult`. */
  nextCheckAt?: Date | null;
  /** The audience state version the evaluation used. */
  version: number;
  /** Counter fields a backfill has counted into this profile, so a retried fill skips it. */
  filled?: string[];
}

/** One merge decision, applied or refused; `_id` is a new id. Refused merges change nothing. */
export interface MergeDoc {
  _id: string;
  workspaceId: string;
  status: 'merged' | 'refused' | 'undone';
  /** Why a merge was refused, e.g. `identifier_limit` or `untrusted_source`. */
  reason?: string;
  survivorId: string;
  mergedIds: string[];
  /** The identifiers that linked the profiles. */
  identifiers: { type: string; value: string }[];
  cause: { messageId: string; type: MessageType; source: SourceKind };
  /** Every profile as it was before the merge (the survivor first), so it can be undone. */
  before: ProfileDoc[];
  /** The survivor's traits right after the merge: an undo keeps what changed since. */
  traitsAfter?: Record<string, unknown>;
  createdAt: Date;
  undoneAt?: Date;
}

/** `_id` is `workspace:messageId`: a duplicate insert is the dedupe. */
export interface EventDoc {
  _id: string;
  workspaceId: string;
  messageId: string;
  type: MessageType;
  /** `track`: the event name. */
  event?: string;
  /** `page` and `screen`: the page or screen name and its category. */
  name?: string;
  category?: string;
  /** `group`: the group the person joined. */
  groupId?: string;
  /** `alias`: the earlier id now known to be this person. */
  previousId?: string;
  profileId: string;
  userId?: string;
  anonymousId?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context?: Record<string, unknown>;
  timestamp: Date;
  receivedAt: Date;
  sentAt?: Date;
  /** Journeys this event should enter the person into, until their runs are started. */
  pendingJourneys?: string[];
  /** Set until the event was delivered to the journey runs listening for it. */
  signalsPending?: boolean;
  /** Set until the profile's counters include this event, so a retried message counts it. */
  countersPending?: boolean;
}

export type JourneyStatus = 'draft' | 'live' | 'paused' | 'stopped';

/**
 * A journey: its editable draft and which published version people enter. Publishes claim
 * their version's `_id` and status changes their `statusChanges` entry's `_id`, so of racing
 * requests exactly one applies: `draft` → `live` by publishing; `live` ⇄ `paused`; either →
 * `stopped` for good.
 */
export interface JourneyDoc {
  _id: string;
  workspaceId: string;
  name: string;
  status: JourneyStatus;
  draft: JourneyDefinition;
  liveVersion: number | null;
  latestVersion: number | null;
  /** Event names that enter people into the live version; what ingestion matches on. */
  entryEvents: string[];
  createdAt: Date;
  updatedAt: Date;
  /** Who made the last change; missing on journeys written before authors were recorded. */
  updatedBy?: Author;
  /** When `status` last changed. */
  statusChangedAt?: Date;
  /** Status changes so far (pause, resume, stop); the next one claims number + 1. */
  statusChanges?: number;
  /** People entered so far, on every version; what `settings.entryCap` is checked against. */
  entryCount?: number;
}

/**
 * One pause, resume or stop of a journey, `_id` `journeyId:<n>`: inserting it claims the
 * change, since FerretDB cannot apply a conditional update atomically under a race.
 */
export interface JourneyStatusChangeDoc {
  _id: string;
  workspaceId: string;
  journeyId: string;
  from: JourneyStatus;
  to: JourneyStatus;
  at: Date;
  by: Author;
}

/** `_id` is `journeyId:v<version>`; inserted once and never updated. */
export interface JourneyVersionDoc {
  _id: string;
  workspaceId: string;
  journeyId: string;
  version: number;
  definition: JourneyDefinition;
  notes: string | null;
  /** Who published it; missing on versions published before authors were recorded. */
  author?: Author;
  /** What changed against the version before; null for the first version. */
  changes?: JourneyVersionDiff | null;
  /** Set when this version republished an earlier version's definition. */
  rolledBackFrom?: number;
  publishedAt: Date;
}

/**
 * One send from a journey (a message node through a channel, or a webhook node); `_id` is the
 * side effect's idempotency key, so a retried send finds the first attempt's document.
 */
export interface MessageDoc {
  _id: string;
  workspaceId: string;
  journeyId: string;
  journeyVersion: number;
  nodeId: string;
  profileId: string;
  /** `webhook` for a webhook node; a channel key for a message node. */
  channel: string;
  channelType?: 'webhook' | 'email' | 'sms' | 'push';
  template?: string;
  /** Sent past the contact policy (receipts, password resets). */
  transactional?: boolean;
  /**
   * `suppressed` sends were stopped by the contact policy or consent; `reason` says which rule.
   * A suppressed send with `until` is deferred: the run sends again then, under the same key.
   */
  status: 'sending' | 'sent' | 'failed' | 'suppressed';
  reason?: string;
  until?: Date;
  /** Every deferral, kept after the send goes out, so the delay stays explainable. */
  deferrals?: { reason: string; until: Date; at: Date }[];
  /** The local day whose contact ledger counted this send (frequency caps), once counted. */
  ledgerDay?: string;
  /** The epoch minute whose send-rate slot this send holds, once reserved. */
  rateMinute?: number;
  attempts: number;
  /** Where a webhook node called; message sends record `to` instead. */
  request?: { method: string; url: string };
  /** The address the channel sent to (an email address, a phone number, a profile id). */
  to?: string;
  providerMessageId?: string;
  response?: { status: number; body: string };
  error?: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface Collections {
  workspaces: Collection<WorkspaceDoc>;
  credentials: Collection<CredentialDoc>;
  identities: Collection<IdentityDoc>;
  profiles: Collection<ProfileDoc>;
  events: Collection<EventDoc>;
  journeys: Collection<JourneyDoc>;
  journeyVersions: Collection<JourneyVersionDoc>;
  journeyStatusChanges: Collection<JourneyStatusChangeDoc>;
  messages: Collection<MessageDoc>;
  identitySettings: Collection<IdentitySettingsDoc>;
  merges: Collection<MergeDoc>;
}

export function collections(db: Db): Collections {
  return {
    workspaces: db.collection('workspaces'),
    credentials: db.collection('credentials'),
    identities: db.collection('identities'),
    profiles: db.collection('profiles'),
    events: db.collection('events'),
    journeys: db.collection('journeys'),
    journeyVersions: db.collection('journey_versions'),
    journeyStatusChanges: db.collection('journey_status_changes'),
    messages: db.collection('messages'),
    identitySettings: db.collection('identity_settings'),
    merges: db.collection('merges'),
  };
}

export const DUPLICATE_KEY = 11000;

export function isDuplicateKey(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'code' in error && error.code === DUPLICATE_KEY
  );
}

/** `_id` of a published journey version. */
export function journeyVersionDocId(journeyId: string, version: number): string {
  return `${journeyId}:v${version}`;
}
