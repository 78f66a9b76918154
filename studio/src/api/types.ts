import type { InputIssue, JourneyDefinition } from '@junction/core';

export type JourneyStatus = 'draft' | 'live' | 'paused' | 'stopped';

export interface JourneySummary {
  id: string;
  name: string;
  status: JourneyStatus;
  liveVersion: number | null;
  latestVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface JourneyWithDraft extends JourneySummary {
  draft: JourneyDefinition;
}

export interface JourneyVersionSummary {
  version: number;
  publishedAt: string;
  notes: string | null;
}

export interface JourneyDetail {
  journey: JourneyWithDraft;
  versions: JourneyVersionSummary[];
}

export interface JourneyVersion {
  journeyId: string;
  version: number;
  definition: JourneyDefinition;
  publishedAt: string;
  notes: string | null;
}

export type ApiIssue = InputIssue;
