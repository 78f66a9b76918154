import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import {
  defineSearchAttributeKey,
  SearchAttributeType,
  TypedSearchAttributes,
} from '@temporalio/common';

import {
  JOURNEY_SEARCH_ATTRIBUTES as SA,
  JOURNEY_TASK_QUEUE,
  journeyRunWorkflowId,
  type JourneyRunInput,
} from '@junction/core';
import type { Collections } from '@junction/core/store';
import type { journeyRun } from '@junction/workflows';

import type { Logger } from '../logger.js';

export interface LiveJourney {
  journeyId: string;
  version: number;
}

/** How an event remembers a journey it must still enter the person into. */
export function pendingEntry(journey: LiveJourney): string {
  return `${journey.journeyId}@${journey.version}`;
}

export function parsePendingEntry(entry: string): LiveJourney {
  const at = entry.lastIndexOf('@');
  return { journeyId: entry.slice(0, at), version: Number(entry.slice(at + 1)) };
}

const keys = {
  workspaceId: defineSearchAttributeKey(SA.workspaceId, SearchAttributeType.KEYWORD),
  journeyId: defineSearchAttributeKey(SA.journeyId, SearchAttributeType.KEYWORD),
  journeyVersion: defineSearchAttributeKey(SA.journeyVersion, SearchAttributeType.INT),
  profileId: defineSearchAttributeKey(SA.profileId, SearchAttributeType.KEYWORD),
};

interface CachedTriggers {
  byEvent: Map<string, LiveJourney[]>;
  expires: number;
}

/**
 * Knows which live journeys an event enters people into, and starts their runs. The live set
 * is read once per workspace and cached for `ttlMs`, so ingestion does not scan journeys per
 * event; a publish in this process invalidates at once, other processes catch up within `ttlMs`.
 */
export class JourneyRuns {
  private readonly cache = new Map<string, CachedTriggers>();

  constructor(
    private readonly db: Collections,
    private readonly temporal: Client,
    private readonly log: Logger,
    private readonly ttlMs = 1_000,
  ) {}

  async journeysFor(workspaceId: string, event: string): Promise<LiveJourney[]> {
    let cached = this.cache.get(workspaceId);
    if (!cached || cached.expires <= Date.now()) {
      cached = { byEvent: await this.loadLive(workspaceId), expires: Date.now() + this.ttlMs };
      this.cache.set(workspaceId, cached);
    }
    return cached.byEvent.get(event) ?? [];
  }

  invalidate(workspaceId: string): void {
    this.cache.delete(workspaceId);
  }

  /**
   * Starts the run of one journey for this person. A run already in progress for the same
   * (journey, person) is left alone: the deterministic workflow id makes the start a no-op.
   */
  async start(
    workspaceId: string,
    profileId: string,
    entryEventId: string,
    journey: LiveJourney,
  ): Promise<void> {
    const { journeyId, version } = journey;
    const input: JourneyRunInput = {
      v: 1,
      workspaceId,
      journeyId,
      version,
      profileId,
      entryEventId,
    };
    try {
      await this.temporal.workflow.start<typeof journeyRun>('journeyRun', {
        workflowId: journeyRunWorkflowId(workspaceId, journeyId, profileId),
        taskQueue: JOURNEY_TASK_QUEUE,
        args: [input],
        typedSearchAttributes: new TypedSearchAttributes([
          { key: keys.workspaceId, value: workspaceId },
          { key: keys.journeyId, value: journeyId },
          { key: keys.journeyVersion, value: version },
          { key: keys.profileId, value: profileId },
        ]),
      });
      this.log.debug({ workspaceId, journeyId, version, profileId }, 'journey run started');
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      this.log.debug({ workspaceId, journeyId, profileId }, 'journey run already in progress');
    }
  }

  private async loadLive(workspaceId: string): Promise<Map<string, LiveJourney[]>> {
    const live = await this.db.journeys
      .find({ workspaceId, status: 'live' }, { projection: { entryEvents: 1, liveVersion: 1 } })
      .toArray();
    const byEvent = new Map<string, LiveJourney[]>();
    for (const journey of live) {
      if (journey.liveVersion === null) continue;
      for (const event of journey.entryEvents) {
        byEvent.set(event, [
          ...(byEvent.get(event) ?? []),
          { journeyId: journey._id, version: journey.liveVersion },
        ]);
      }
    }
    return byEvent;
  }
}
