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

/** Failure types an activity raises for permanent errors; retrying them cannot help. */
export const NON_RETRYABLE = {
  journeyVersionMissing: 'JourneyVersionMissing',
  webhookRejected: 'WebhookRejected',
  connectorMissing: 'ConnectorMissing',
  /** The source database refused the login or the query: a definition to fix, not a blip. */
  sourceRejected: 'SourceRejected',
} as const;
