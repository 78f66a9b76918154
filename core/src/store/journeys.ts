import type { Collection, Db } from 'mongodb';

import type { ConditionTrace } from '../audience/explain.js';
import type { Author } from './audience.js';

/**
 * What happened at one node visit, as a person's trace shows it. `seq` numbers a run's steps
 * from 1, so a retried write of the same step is recognised and dropped.
 */
export interface StepRecord {
  seq: number;
  nodeId: string;
  nodeType: string;
  /** The version the step ran on (a migration changes it mid-run). */
  version: number;
  at: Date;
  /**
   * `entered` on arrival; `passed` when the person left by an edge (with `branch` when the node
   * branches); `exited` when the run ended here; `converted` for a goal event; `suppressed` for
   * a send the contact policy stopped (with `reason`); `deferred` when it was moved to `until`.
   */
  outcome: 'entered' | 'passed' | 'exited' | 'converted' | 'suppressed' | 'deferred' | 'failed';
  branch?: string;
  reason?: string;
  until?: Date;
  /** Each condition a split evaluated, with the inputs it read and its result. */
  conditions?: ConditionTrace[];
  /** Node-specific facts: the variant assigned, the message id, the webhook status. */
  detail?: Record<string, unknown>;
}

/**
 * One person's run of one journey; `_id` is the Temporal workflow id. Kept by Junction, not
 * read from Temporal visibility: it is the trace and the "who is where" list.
 */
export interface JourneyRunDoc {
  _id: string;
  workspaceId: string;
  journeyId: string;
  /** The version the run is on now. */
  version: number;
  profileId: string;
  entryId: string;
  status: 'active' | 'finished';
  /** The node the person is at, and since when. */
  nodeId: string;
  since: Date;
  /** The highest `seq` stored; steps are appended in `seq` order. */
  lastSeq: number;
  /** The newest steps, oldest first (capped; `lastSeq` keeps counting). */
  steps: StepRecord[];
  exitReason?: 'exit_node' | 'exit_criteria' | 'stopped' | 'holdout' | 'jump' | 'failed';
  startedAt: Date;
  endedAt?: Date;
}

/**
 * Per-node counts of one journey version; `_id` is `journeyId:v<version>:<nodeId>`. Waiting now
 * is `entered - passed - exited`.
 */
export interface JourneyNodeStatsDoc {
  _id: string;
  workspaceId: string;
  journeyId: string;
  version: number;
  nodeId: string;
  entered: number;
  passed: number;
  exited: number;
  converted: number;
  suppressed: number;
  /**
   * Entries refused on the entry node (re-entry policy, entry cap, journey paused or stopped),
   * in total and by reason; missing until the first refusal.
   */
  refused?: number;
  refusedBy?: Record<string, number>;
}

/**
 * A person's history with one journey, for the re-entry policy; `_id` is
 * `workspace:journey:profile`. `active` lists the workflow ids of runs still going.
 */
export interface JourneyEntryDoc {
  _id: string;
  workspaceId: string;
  journeyId: string;
  profileId: string;
  entries: number;
  active: string[];
  lastEnteredAt: Date;
  lastExitedAt?: Date;
}

/** An A/B/n assignment, recorded once; `_id` is `journey:node:profile`. */
export interface AssignmentDoc {
  _id: string;
  workspaceId: string;
  journeyId: string;
  nodeId: string;
  profileId: string;
  /** A variant id, or `holdout`. */
  variant: string;
  version: number;
  assignedAt: Date;
}

/** A conversion recorded by a goal node; `_id` is `run:goalNode:eventId`. */
export interface ConversionDoc {
  _id: string;
  workspaceId: string;
  journeyId: string;
  version: number;
  nodeId: string;
  profileId: string;
  runId: string;
  eventId: string;
  event: string;
  revenue?: number;
  at: Date;
}

export type ChannelType = 'webhook' | 'email' | 'sms' | 'push';

/** A configured channel a message node sends through; `_id` is `workspace:key`. */
export interface ChannelDoc {
  _id: string;
  workspaceId: string;
  key: string;
  type: ChannelType;
  name: string;
  /** Adapter settings, e.g. `{ url }` for a webhook channel. Secrets never leave the server. */
  config: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: Author;
}

/** A message template; `_id` is `workspace:key`. Bodies are Liquid. */
export interface TemplateDoc {
  _id: string;
  workspaceId: string;
  key: string;
  channelType: ChannelType;
  name: string;
  subject?: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: Author;
}

/** A frequency cap: at most `limit` marketing sends per person per `period`, on one channel or all. */
export interface FrequencyCap {
  /** A channel key, or `*` for every channel together. */
  channel: string;
  limit: number;
  period: 'day' | 'week';
}

/** A workspace's contact policy; `_id` is the workspace id. */
export interface ContactPolicyDoc {
  _id: string;
  workspaceId: string;
  caps: FrequencyCap[];
  /** Local times on the person's clock between which marketing sends wait or are dropped. */
  quietHours: { start: string; end: string; action: 'defer' | 'skip' } | null;
  updatedAt: Date;
}

/**
 * Marketing sends to one person on one local day; `_id` is `workspace:profile:YYYY-MM-DD`.
 * `keys` holds the idempotency keys counted, so a retried send is not counted twice.
 */
export interface ContactLedgerDoc {
  _id: string;
  workspaceId: string;
  profileId: string;
  day: string;
  total: number;
  byChannel: Record<string, number>;
  keys: string[];
}

/** Sends reserved in one minute of one journey's rate limit; `_id` is `journey:<minute>`. */
export interface SendRateDoc {
  _id: string;
  workspaceId: string;
  journeyId: string;
  minute: number;
  reserved: number;
  keys: string[];
}

export interface JourneyCollections {
  journeyRuns: Collection<JourneyRunDoc>;
  journeyNodeStats: Collection<JourneyNodeStatsDoc>;
  journeyEntries: Collection<JourneyEntryDoc>;
  assignments: Collection<AssignmentDoc>;
  conversions: Collection<ConversionDoc>;
  channels: Collection<ChannelDoc>;
  templates: Collection<TemplateDoc>;
  contactPolicies: Collection<ContactPolicyDoc>;
  contactLedger: Collection<ContactLedgerDoc>;
  sendRates: Collection<SendRateDoc>;
}

export function journeyCollections(db: Db): JourneyCollections {
  return {
    journeyRuns: db.collection('journey_runs'),
    journeyNodeStats: db.collection('journey_node_stats'),
    journeyEntries: db.collection('journey_entries'),
    assignments: db.collection('assignments'),
    conversions: db.collection('conversions'),
    channels: db.collection('channels'),
    templates: db.collection('templates'),
    contactPolicies: db.collection('contact_policies'),
    contactLedger: db.collection('contact_ledger'),
    sendRates: db.collection('send_rates'),
  };
}

export function journeyStatsId(journeyId: string, version: number, nodeId: string): string {
  return `${journeyId}:v${version}:${nodeId}`;
}

export function journeyEntryId(workspaceId: string, journeyId: string, profileId: string): string {
  return `${workspaceId}:${journeyId}:${profileId}`;
}
