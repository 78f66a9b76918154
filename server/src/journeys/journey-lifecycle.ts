import type { InputIssue, JourneyDefinition } from '@junction/core';
import type { Author, JourneyDoc, JourneyStatus, JourneyVersionDoc } from '@junction/core/store';

import { HttpError } from '../http/errors.js';
import type { Logger } from '../logger.js';
import { assertPublishable, journeyIssues } from './journey-checks.js';
import type { JourneyReferenceLoader } from './journey-references.js';
import type { JourneyRunSignals, SignalReport } from './journey-run-signals.js';
import type { JourneyStore } from './journey-store.js';

/**
 * Journey entry (`JourneyEntries`): told after every status or version change, so its trigger
 * cache and the journey's schedule follow.
 */
export interface EntryGate {
  journeyChanged(workspaceId: string, journeyId: string): Promise<void>;
}

export type ControlAction = 'pause' | 'resume' | 'stop';

export interface LifecycleDeps {
  store: JourneyStore;
  references: JourneyReferenceLoader;
  signals: JourneyRunSignals;
  entries: EntryGate;
  log: Logger;
}

export interface PublishRequest {
  author: Author;
  notes: string | null;
  /** Also move the active runs on older versions to the new one. */
  migrate?: boolean | undefined;
}

export interface Published {
  journey: JourneyDoc;
  version: JourneyVersionDoc;
  migrated: SignalReport | null;
}

export interface Controlled {
  journey: JourneyDoc;
  signals: SignalReport;
}

/** The status each control action moves from and to. */
const TRANSITIONS: Record<ControlAction, { from: JourneyStatus[]; to: JourneyStatus }> = {
  pause: { from: ['live'], to: 'paused' },
  resume: { from: ['paused'], to: 'live' },
  stop: { from: ['live', 'paused'], to: 'stopped' },
};

/** The signal that brings runs in line with a status. */
const ACTION_FOR: Partial<Record<JourneyStatus, ControlAction>> = {
  live: 'resume',
  paused: 'pause',
  stopped: 'stop',
};

/** Rounds of re-signalling after a racing status change; two racing requests settle in one. */
const SETTLE_ROUNDS = 3;

function refused(journey: JourneyDoc, action: ControlAction | 'publish' | 'migrate'): HttpError {
  if (journey.status === 'stopped') {
    return new HttpError(409, 'journey_stopped', 'the journey was stopped and cannot change');
  }
  if (journey.status === 'draft') {
    return new HttpError(409, 'not_live', 'the journey has never been published');
  }
  if (action === 'pause') return new HttpError(409, 'already_paused', 'the journey is paused');
  return new HttpError(409, 'not_paused', 'the journey is live, not paused');
}

/**
 * Publishing, pausing, resuming, stopping, rolling back and migrating a journey: the status
 * change on the journey document first (conditional, so racing requests get a 409), then the
 * entry cache, then the signals to the runs already going.
 */
export class JourneyLifecycle {
  constructor(private readonly deps: LifecycleDeps) {}

  /** The issues a draft would be refused for; a draft save returns them without refusing. */
  async draftIssues(
    workspaceId: string,
    journeyId: string,
    draft: JourneyDefinition,
  ): Promise<InputIssue[]> {
    return journeyIssues(draft, await this.deps.references.load(workspaceId, journeyId), 'draft');
  }

  async publish(
    workspaceId: string,
    journeyId: string,
    request: PublishRequest,
  ): Promise<Published> {
    const journey = await this.deps.store.get(workspaceId, journeyId);
    if (journey.status === 'stopped') throw refused(journey, 'publish');
    const refs = await this.deps.references.load(workspaceId, journeyId);
    assertPublishable(journey.draft, refs, 'draft');
    const next = { definition: journey.draft, author: request.author, notes: request.notes };
    return this.release(journey, next, request.migrate);
  }

  /** Publishes an earlier version's definition again, as a new version. */
  async rollback(
    workspaceId: string,
    journeyId: string,
    version: number,
    request: PublishRequest,
  ): Promise<Published> {
    const journey = await this.deps.store.get(workspaceId, journeyId);
    if (journey.status === 'stopped') throw refused(journey, 'publish');
    const earlier = await this.deps.store.version(workspaceId, journeyId, version);
    // What it refers to may have been deleted since, so it is checked like a draft.
    const refs = await this.deps.references.load(workspaceId, journeyId);
    assertPublishable(earlier.definition, refs, 'definition');
    const next = {
      definition: earlier.definition,
      author: request.author,
      notes: request.notes ?? `rollback to version ${version}`,
      rolledBackFrom: version,
    };
    return this.release(journey, next, request.migrate);
  }

  async control(
    workspaceId: string,
    journeyId: string,
    action: ControlAction,
    author: Author,
  ): Promise<Controlled> {
    const rule = TRANSITIONS[action];
    const journey = await this.deps.store.get(workspaceId, journeyId);
    if (!rule.from.includes(journey.status)) throw refused(journey, action);
    const changed = await this.deps.store.setStatus(journey, rule.to, author);
    if (!changed) {
      const now = await this.deps.store.get(workspaceId, journeyId);
      if (!rule.from.includes(now.status)) throw refused(now, action);
      throw new HttpError(409, 'journey_conflict', 'the journey changed meanwhile; retry');
    }
    await this.entriesFollow(workspaceId, journeyId);
    this.deps.log.info({ workspaceId, journeyId, action }, 'journey status changed');
    const signals = await this.signalSettled(workspaceId, journeyId, action);
    return { journey: changed, signals };
  }

  /** Moves the active runs on versions before `toVersion` (the live one by default) to it. */
  async migrate(
    workspaceId: string,
    journeyId: string,
    toVersion?: number,
  ): Promise<{ toVersion: number; signals: SignalReport }> {
    const journey = await this.deps.store.get(workspaceId, journeyId);
    if (journey.status === 'draft' || journey.status === 'stopped') {
      throw refused(journey, 'migrate');
    }
    const target = toVersion ?? journey.liveVersion ?? 0;
    await this.deps.store.version(workspaceId, journeyId, target);
    const signals = await this.deps.signals.migrate(workspaceId, journeyId, target);
    this.deps.log.info(
      { workspaceId, journeyId, toVersion: target, ...signals },
      'journey runs migrated',
    );
    return { toVersion: target, signals };
  }

  private async release(
    journey: JourneyDoc,
    next: Parameters<JourneyStore['publish']>[1],
    migrate: boolean | undefined,
  ): Promise<Published> {
    const { workspaceId, _id: journeyId } = journey;
    const published = await this.deps.store.publish(journey, next);
    await this.entriesFollow(workspaceId, journeyId);
    const { version } = published.version;
    this.deps.log.info({ workspaceId, journeyId, version }, 'journey version published');
    const migrated = migrate
      ? await this.deps.signals.migrate(workspaceId, journeyId, version)
      : null;
    return { ...published, migrated };
  }

  /**
   * Entry refuses people whenever the journey is not live, so a schedule left running by a
   * failure here only fires entries that are refused: logged, and the change still stands.
   */
  private async entriesFollow(workspaceId: string, journeyId: string): Promise<void> {
    try {
      await this.deps.entries.journeyChanged(workspaceId, journeyId);
    } catch (err) {
      this.deps.log.error({ err, workspaceId, journeyId }, 'journey entry did not follow a change');
    }
  }

  /**
   * Sends `action` to the active runs, then re-reads the status: when a racing request changed
   * it meanwhile, its signals may have reached some runs before ours, so the signal matching
   * the status now is sent again until the two agree.
   */
  private async signalSettled(
    workspaceId: string,
    journeyId: string,
    action: ControlAction,
  ): Promise<SignalReport> {
    const report = await this.deps.signals.control(workspaceId, journeyId, action);
    let sent = action;
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      const { status } = await this.deps.store.get(workspaceId, journeyId);
      const wanted = ACTION_FOR[status];
      if (!wanted || wanted === sent) break;
      await this.deps.signals.control(workspaceId, journeyId, wanted);
      sent = wanted;
    }
    return report;
  }
}
