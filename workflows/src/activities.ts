import type {
  ClockOf,
  Condition,
  ConditionTrace,
  ConnectorPageResult,
  ConnectorRunRef,
  JourneyDefinition,
} from '@junction/core';
import type { JourneyRunDoc, StepRecord } from '@junction/core/store';

/** What a webhook node asks the workers to do; `key` makes the call idempotent. */
export interface WebhookCall {
  key: string;
  workspaceId: string;
  journeyId: string;
  version: number;
  nodeId: string;
  profileId: string;
  /** The stored event that entered the person, when one did; sent in the body. */
  entryEventId?: string;
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  headers?: Record<string, string> | undefined;
}

export interface WebhookOutcome {
  status: number;
  /** True when an earlier attempt already delivered it and this call sent nothing. */
  deduplicated: boolean;
}

/** Who a node acts on, in which run: what every journey activity receives. */
export interface RunRef {
  /** The workflow id. */
  runId: string;
  workspaceId: string;
  journeyId: string;
  version: number;
  profileId: string;
  entryId: string;
}

/** A message node's send; the contact policy and the channel adapter run inside. */
export interface MessageSend extends RunRef {
  key: string;
  nodeId: string;
  channel: string;
  template: string;
  transactional: boolean;
  /** The journey's send-rate limit, when it has one. */
  perMinute: number | null;
  entryEventId?: string;
}

/**
 * `sent` (or already sent by an earlier attempt); `suppressed` with the rule that stopped it;
 * `deferred` when quiet hours or the rate limit move it to `until` (the workflow sleeps, then
 * sends again with the same key); `failed` after the channel refused it for good.
 */
export type MessageOutcome =
  | { status: 'sent'; messageId: string; deduplicated: boolean }
  | { status: 'suppressed'; reason: string }
  | { status: 'deferred'; reason: string; until: string }
  | { status: 'failed'; reason: string };

/** A split's conditions evaluated on the person now, in order. */
export interface SplitEvaluation {
  /** Index of the first condition that holds, or -1. */
  matched: number;
  /** Every condition evaluated (up to the first match), with its inputs. */
  traces: ConditionTrace[][];
}

/** Progress of a run to store: steps since the last flush and where the person is now. */
export interface RunProgress extends RunRef {
  steps: StepRecord[];
  nodeId: string;
  since: string;
  status: JourneyRunDoc['status'];
  exitReason?: JourneyRunDoc['exitReason'];
  /** A/B assignments made since the last flush. */
  assignments?: { nodeId: string; variant: string; at: string }[];
  /** Goal conversions since the last flush. */
  conversions?: { nodeId: string; eventId: string; event: string; revenue?: number; at: string }[];
}

/**
 * The activities journey workflows call. Declared here, implemented in `@junction/workers`, so
 * workflow code depends on the contract only.
 */
export interface JourneyActivities {
  loadJourneyVersion(ref: {
    workspaceId: string;
    journeyId: string;
    version: number;
  }): Promise<JourneyDefinition>;
  /** Stores steps, counts and position; idempotent on the steps' `seq` (a local activity). */
  recordRunProgress(progress: RunProgress): Promise<void>;
  /**
   * Local time computations need a clock: the person's time zone (falling back to the
   * workspace's), or with `clock: 'workspace'` the workspace's own.
   */
  personTimeZone(ref: RunRef & { clock?: ClockOf }): Promise<string>;
  evaluateSplit(
    input: RunRef & { nodeId: string; conditions: Condition[] },
  ): Promise<SplitEvaluation>;
  sendMessage(send: MessageSend): Promise<MessageOutcome>;
  callWebhook(call: WebhookCall): Promise<WebhookOutcome>;
  updateProfile(
    input: RunRef & {
      key: string;
      nodeId: string;
      set: Record<string, string | number | boolean | null>;
    },
  ): Promise<void>;
  /** Enters the person into another journey under its own entry rules. */
  jumpToJourney(
    input: RunRef & { key: string; nodeId: string; targetJourneyId: string },
  ): Promise<{ entered: boolean; reason?: string }>;
}

/** The activities a connector sync calls; each records its progress on the connector. */
export interface ConnectorActivities {
  startConnectorRun(run: ConnectorRunRef): Promise<void>;
  /** Imports the next page after the stored cursor, then advances the cursor. */
  pullPostgresPage(run: ConnectorRunRef): Promise<ConnectorPageResult>;
  finishConnectorRun(run: ConnectorRunRef & { error: string | null }): Promise<void>;
}

/** One audience job (`audience_jobs` document) of one workspace. */
export interface AudienceJobRef {
  workspaceId: string;
  jobId: string;
}

/** What a job's pass over profiles did. */
export interface AudienceEvaluationTotals {
  processed: number;
  changed: number;
}

/** What one sweep of due profiles did. */
export interface AudienceSweepTotals {
  slots: number;
  profiles: number;
  entered: number;
  exited: number;
}

/** The activities audience jobs call; each records its progress on the job document. */
export interface AudienceActivities {
  /** Creates a scheduled job's document; a retry finds it created. */
  openAudienceJob(job: AudienceJobRef & { kind: 'nightly' }): Promise<void>;
  /** Counts the events that arrived before new counters were activated. */
  fillAudienceCounters(job: AudienceJobRef): Promise<{ counters: number; eventsRead: number }>;
  /** Trains the classifier tags whose model is missing, outdated or stale. */
  retrainAudienceModels(job: AudienceJobRef): Promise<{ trained: string[]; failed: string[] }>;
  /** Evaluates every live profile; `pruneCounters` also drops buckets no window can read. */
  evaluateAudienceProfiles(
    job: AudienceJobRef & { pruneCounters: boolean },
  ): Promise<AudienceEvaluationTotals>;
  finishAudienceJob(job: AudienceJobRef & { error: string | null }): Promise<void>;
  /** Re-evaluates the profiles whose time-relative conditions are due by now. */
  sweepAudience(input: { workspaceId: string }): Promise<AudienceSweepTotals>;
}

/** Failure types an activity raises for permanent errors; retrying them cannot help. */
export const NON_RETRYABLE = {
  journeyVersionMissing: 'JourneyVersionMissing',
  webhookRejected: 'WebhookRejected',
  connectorMissing: 'ConnectorMissing',
  /** The source database refused the login or the query: a definition to fix, not a blip. */
  sourceRejected: 'SourceRejected',
} as const;
