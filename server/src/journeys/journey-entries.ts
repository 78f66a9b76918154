import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import {
  defineSearchAttributeKey,
  SearchAttributeType,
  TypedSearchAttributes,
} from '@temporalio/common';

import {
  JOURNEY_SEARCH_ATTRIBUTES as SA,
  journeyRunWorkflowId,
  type JourneyDefinition,
  type JourneyRunInput,
} from '@junction/core';
import {
  journeyStatsId,
  type Collections,
  type JourneyCollections,
  type JourneyRunDoc,
} from '@junction/core/store';
import type { journeyRun } from '@junction/workflows';

import type { Logger } from '../logger.js';
import {
  EntryGuard,
  type EntryRefusal,
  type PersonInJourney,
  type Reservation,
} from './journey-entries-guard.js';
import { journeyTaskQueue } from './task-queue.js';
import type { LiveJourneys } from './triggers-cache.js';

export type { EntryRefusal } from './journey-entries-guard.js';

/** One entry of one person into one journey. */
export interface EntryRequest extends PersonInJourney {
  /** Unique per entry and stable across its retries; see `JourneyRunInput.entryId`. */
  entryId: string;
  entry: JourneyRunInput['entry'];
}

export type EntryResult =
  { entered: true; runId: string } | { entered: false; reason: EntryRefusal };

/** The live version an entry goes into. */
interface Target {
  version: number;
  definition: JourneyDefinition;
  entryNodeId: string;
}

const keys = {
  workspaceId: defineSearchAttributeKey(SA.workspaceId, SearchAttributeType.KEYWORD),
  journeyId: defineSearchAttributeKey(SA.journeyId, SearchAttributeType.KEYWORD),
  journeyVersion: defineSearchAttributeKey(SA.journeyVersion, SearchAttributeType.INT),
  profileId: defineSearchAttributeKey(SA.profileId, SearchAttributeType.KEYWORD),
  nodeId: defineSearchAttributeKey(SA.nodeId, SearchAttributeType.KEYWORD),
};

const EMPTY_COUNTS = { entered: 0, passed: 0, exited: 0, converted: 0, suppressed: 0 };

/** A lifecycle hook: what to do when a journey's status or live version changed. */
export interface JourneyChangeListener {
  journeyChanged(workspaceId: string, journeyId: string): Promise<void>;
}

/**
 * Enters people into journeys: checks that the journey is live, applies its re-entry policy
 * and entry cap, books the run (`journey_runs`, `journey_entries.active`), then starts it. Every
 * trigger goes through here: events, segment changes, schedules, the API and jump nodes.
 */
export class JourneyEntries {
  private readonly guard: EntryGuard;

  constructor(
    private readonly db: Collections & JourneyCollections,
    private readonly temporal: Client,
    private readonly live: LiveJourneys,
    private readonly log: Logger,
    private readonly listeners: JourneyChangeListener[] = [],
  ) {
    this.guard = new EntryGuard(db);
  }

  /** Forgets the workspace's cached triggers, after a publish, pause, resume or stop. */
  invalidate(workspaceId: string): void {
    this.live.invalidate(workspaceId);
  }

  /** `invalidate`, then brings what follows the journey's state (its schedule) in line. */
  async journeyChanged(workspaceId: string, journeyId: string): Promise<void> {
    this.invalidate(workspaceId);
    for (const listener of this.listeners) await listener.journeyChanged(workspaceId, journeyId);
  }

  async enter(request: EntryRequest): Promise<EntryResult> {
    const { target, refusal } = await this.resolve(request);
    if (refusal) return this.refuse(request, target, refusal);
    const { reEntry, entryCap } = target.definition.settings;
    const runId = journeyRunWorkflowId(
      request.workspaceId,
      request.journeyId,
      request.profileId,
      reEntry.policy === 'always' ? request.entryId : undefined,
    );
    const earlier = await this.db.journeyRuns.findOne(
      { _id: runId },
      { projection: { entryId: 1, status: 1, version: 1 } },
    );
    if (earlier?.entryId === request.entryId) {
      // The same entry again (a retried event or request): finish what the first one began.
      if (earlier.status === 'active') await this.start(request, runId, earlier.version, target);
      return { entered: true, runId };
    }
    const now = new Date();
    const reservation = await this.guard.reserve(request, runId, reEntry, now);
    if (typeof reservation === 'string') return this.refuse(request, target, reservation);
    if (!(await this.guard.takePlace(request.workspaceId, request.journeyId, entryCap))) {
      await this.guard.release(request, reservation);
      return this.refuse(request, target, 'entry_cap');
    }
    try {
      await this.bookRun(request, runId, target, now);
      await this.start(request, runId, target.version, target);
    } catch (error) {
      await this.undo(request, reservation);
      throw error;
    }
    return { entered: true, runId };
  }

  /** The live version to enter, or why not; a paused or stopped journey still names its version. */
  private async resolve(
    request: EntryRequest,
  ): Promise<{ target: Target; refusal: null } | { target: Target | null; refusal: EntryRefusal }> {
    const journey = await this.db.journeys.findOne(
      { _id: request.journeyId, workspaceId: request.workspaceId },
      { projection: { status: 1, liveVersion: 1 } },
    );
    if (!journey) return { target: null, refusal: 'not_found' };
    const version = journey.liveVersion;
    const definition =
      version === null ? null : await this.live.definition(request.journeyId, version);
    const entry = definition?.nodes.find((node) => node.type === 'entry');
    const target =
      version !== null && definition && entry
        ? { version, definition, entryNodeId: entry.id }
        : null;
    if (journey.status === 'paused' || journey.status === 'stopped') {
      return { target, refusal: journey.status };
    }
    if (journey.status !== 'live' || !target) {
      if (version !== null && !target)
        this.log.warn({ ...request, version }, 'live journey version unusable');
      return { target, refusal: 'not_live' };
    }
    return { target, refusal: null };
  }

  /** Written before the start, so the run is listed (and its trace kept) from the first step. */
  private async bookRun(request: EntryRequest, runId: string, target: Target, now: Date) {
    const run: JourneyRunDoc = {
      _id: runId,
      workspaceId: request.workspaceId,
      journeyId: request.journeyId,
      version: target.version,
      profileId: request.profileId,
      entryId: request.entryId,
      status: 'active',
      nodeId: target.entryNodeId,
      since: now,
      lastSeq: 0,
      steps: [],
      startedAt: now,
    };
    // Replaced, not inserted: runs of one person share a workflow id unless each entry is its own.
    await this.db.journeyRuns.replaceOne({ _id: runId }, run, { upsert: true });
  }

  private async start(request: EntryRequest, runId: string, version: number, target: Target) {
    const { workspaceId, journeyId, profileId, entryId, entry } = request;
    const input: JourneyRunInput = {
      v: 2,
      workspaceId,
      journeyId,
      version,
      profileId,
      entryId,
      entry,
    };
    try {
      await this.temporal.workflow.start<typeof journeyRun>('journeyRun', {
        workflowId: runId,
        taskQueue: journeyTaskQueue(),
        args: [input],
        typedSearchAttributes: new TypedSearchAttributes([
          { key: keys.workspaceId, value: workspaceId },
          { key: keys.journeyId, value: journeyId },
          { key: keys.journeyVersion, value: version },
          { key: keys.profileId, value: profileId },
          { key: keys.nodeId, value: target.entryNodeId },
        ]),
      });
      this.log.debug({ workspaceId, journeyId, version, profileId, runId }, 'journey run started');
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      this.log.debug({ workspaceId, journeyId, profileId, runId }, 'journey run already started');
    }
  }

  /** A run that could not start gives its slot and place back, so a retry can enter. */
  private async undo(request: EntryRequest, reservation: Reservation): Promise<void> {
    try {
      await this.db.journeyRuns.deleteOne({
        _id: reservation.runId,
        entryId: request.entryId,
        lastSeq: 0,
      });
      await this.guard.givePlaceBack(request.workspaceId, request.journeyId);
      await this.guard.release(request, reservation);
    } catch (err) {
      // The retry of the same entry finds its booked run and starts it; a stale slot is freed.
      this.log.error({ err, ...request }, 'journey entry could not be undone');
    }
  }

  private async refuse(
    request: EntryRequest,
    target: Target | null,
    reason: EntryRefusal,
  ): Promise<EntryResult> {
    const { workspaceId, journeyId, profileId } = request;
    this.log.debug({ workspaceId, journeyId, profileId, reason }, 'journey entry refused');
    if (target) await this.countRefusal(request, target, reason);
    return { entered: false, reason };
  }

  private async countRefusal(request: EntryRequest, target: Target, reason: EntryRefusal) {
    const { workspaceId, journeyId } = request;
    const { version, entryNodeId: nodeId } = target;
    await this.db.journeyNodeStats.updateOne(
      { _id: journeyStatsId(journeyId, version, nodeId) },
      {
        $inc: { refused: 1, [`refusedBy.${reason}`]: 1 },
        $setOnInsert: { ...EMPTY_COUNTS, workspaceId, journeyId, version, nodeId },
      },
      { upsert: true },
    );
  }
}
