import { log, setHandler } from '@temporalio/workflow';

import { eventMatches, exitCriterionMatches, type EventSelector } from '@junction/core';

import type { JourneyGraph } from './journey-graph.js';
import {
  journeyControlSignal,
  journeyEventSignal,
  journeyMigrateSignal,
  type JourneyControlSignal,
  type JourneyEventSignal,
  type JourneyMigrateSignal,
} from './journey-queries.js';

/** Why a run must end wherever the person is. */
export type RunEnding = { kind: 'stopped' } | { kind: 'exit_criteria'; eventId: string };

/** A goal node's event: the person converts there and moves to it. */
export interface GoalHit {
  nodeId: string;
  event: JourneyEventSignal;
}

// Bounds history-replayed memory for people who send many events during one long run.
const MAX_BUFFERED_EVENTS = 200;
const MAX_SEEN_IDS = 2_000;

/**
 * The signals one run receives. Events are deduplicated by id and kept in arrival order, so a
 * wait can ask for "a matching event since I arrived"; exit criteria and goal events are
 * recognised as they arrive and interrupt whatever the run waits for.
 */
export class RunEvents {
  ending: RunEnding | null = null;
  paused = false;
  /** The version a migration signal asked for, until the next node boundary takes it. */
  migrateTo: number | null = null;
  private goals: GoalHit[] = [];
  private readonly seen = new Set<string>();
  private readonly buffer: JourneyEventSignal[] = [];
  /** Events received in total; `buffer` holds the newest of them. */
  private received = 0;
  private scanned = 0;
  private graph: JourneyGraph | null = null;

  /** The entering event is already spent: it must not convert or satisfy a wait. */
  constructor(entryEventId: string | undefined) {
    if (entryEventId !== undefined) this.seen.add(entryEventId);
  }

  /** Installs the handlers; call before the first await so no signal finds none. */
  listen(): void {
    setHandler(journeyEventSignal, (signal) => this.onEvent(signal));
    setHandler(journeyControlSignal, (signal) => this.onControl(signal));
    setHandler(journeyMigrateSignal, (signal) => this.onMigrate(signal));
  }

  /** Reads exit criteria and goals from this version from now on, and for events waiting. */
  use(graph: JourneyGraph): void {
    this.graph = graph;
    this.goals = this.goals.filter((goal) => graph.nodes.has(goal.nodeId));
    this.scan();
  }

  /** The oldest goal event not acted on yet. */
  takeGoal(): GoalHit | undefined {
    return this.goals.shift();
  }

  /** True when the run must stop waiting: it ends, or a goal moves the person. */
  interrupted(): boolean {
    return this.ending !== null || this.goals.length > 0;
  }

  /** A position in the event stream; `matchSince` looks only at events after it. */
  cursor(): number {
    return this.received;
  }

  matchSince(cursor: number, selector: EventSelector): JourneyEventSignal | undefined {
    const first = Math.max(0, cursor - (this.received - this.buffer.length));
    return this.buffer.slice(first).find((event) => eventMatches(selector, event));
  }

  private onEvent(signal: JourneyEventSignal): void {
    if (signal.v !== 1) return log.warn('journey event signal ignored', { v: signal.v });
    if (this.seen.has(signal.eventId)) return;
    this.seen.add(signal.eventId);
    if (this.seen.size > MAX_SEEN_IDS) this.seen.delete(this.seen.values().next().value!);
    this.buffer.push(signal);
    this.received++;
    this.scan();
    if (this.buffer.length > MAX_BUFFERED_EVENTS) this.buffer.shift();
  }

  private onControl(signal: JourneyControlSignal): void {
    if (signal.v !== 1) return log.warn('journey control signal ignored', { v: signal.v });
    if (signal.action === 'stop') this.ending ??= { kind: 'stopped' };
    else this.paused = signal.action === 'pause';
  }

  private onMigrate(signal: JourneyMigrateSignal): void {
    if (signal.v !== 1) return log.warn('journey migrate signal ignored', { v: signal.v });
    this.migrateTo = signal.toVersion;
  }

  /** Classifies events not yet looked at against the version in use. */
  private scan(): void {
    const { graph } = this;
    if (!graph) return;
    const offset = this.received - this.buffer.length;
    for (; this.scanned < this.received; this.scanned++) {
      const event = this.buffer[this.scanned - offset];
      if (event) this.classify(graph, event);
    }
  }

  private classify(graph: JourneyGraph, event: JourneyEventSignal): void {
    if (graph.settings.exitCriteria.some((criterion) => exitCriterionMatches(criterion, event))) {
      this.ending ??= { kind: 'exit_criteria', eventId: event.eventId };
      return;
    }
    const goal = graph.goals.find((node) => eventMatches(node, event));
    if (goal) this.goals.push({ nodeId: goal.id, event });
  }
}
