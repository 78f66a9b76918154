import type { ConnectorPageResult, ConnectorRunRef, JourneyDefinition } from '@junction/core';

/** What a webhook node asks the workers to do; `key` makes the call idempotent. */
export interface WebhookCall {
  key: string;
  workspaceId: string;
  journeyId: string;
  version: number;
  nodeId: string;
  profileId: string;
  entryEventId: string;
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  headers?: Record<string, string> | undefined;
}

export interface WebhookOutcome {
  status: number;
  /** True when an earlier attempt already delivered it and this call sent nothing. */
  deduplicated: boolean;
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
  callWebhook(call: WebhookCall): Promise<WebhookOutcome>;
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
