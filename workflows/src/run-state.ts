import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';

import { JOURNEY_SEARCH_ATTRIBUTES, type JourneyNode, type JourneyRunInput } from '@junction/core';

import type { RunProgress, RunRef } from './activities.js';
import { recordRunProgress } from './journey-activities.js';
import type { JourneyGraph } from './journey-graph.js';
import type { JourneyPosition } from './journey-queries.js';

export type StepRecord = RunProgress['steps'][number];
export type ExitReason = NonNullable<RunProgress['exitReason']>;
/** What a step says beyond where and when it happened. */
export type StepFacts = Pick<StepRecord, 'branch' | 'reason' | 'until' | 'conditions' | 'detail'>;
type Assignment = NonNullable<RunProgress['assignments']>[number];
type Conversion = NonNullable<RunProgress['conversions']>[number];

/**
 * Where one run is and what it did since its last flush. Steps are kept in memory and stored
 * in one local activity before each wait and at the end, so a node costs no extra call.
 */
export class RunState {
  readonly ref: RunRef;
  /** How the person entered: the entering event, and when the run may start. */
  readonly entry: JourneyRunInput['entry'];
  graph: JourneyGraph;
  node: JourneyNode;
  /** Epoch ms when the person reached `node`. */
  since = Date.now();
  private seq = 0;
  private steps: StepRecord[] = [];
  private assignments: Assignment[] = [];
  private conversions: Conversion[] = [];
  private readonly visits = new Map<string, number>();
  private indexedNodeId: string | undefined;

  constructor(input: JourneyRunInput, graph: JourneyGraph) {
    const { workspaceId, journeyId, profileId, entryId } = input;
    const runId = workflowInfo().workflowId;
    this.ref = { runId, workspaceId, journeyId, version: graph.version, profileId, entryId };
    this.entry = input.entry;
    this.graph = graph;
    this.node = graph.entry;
  }

  /** Moves the person to `node`; returns which visit of it this is, from 1. */
  arrive(node: JourneyNode): number {
    this.node = node;
    this.since = Date.now();
    const visit = (this.visits.get(node.id) ?? 0) + 1;
    this.visits.set(node.id, visit);
    this.record('entered');
    return visit;
  }

  record(outcome: StepRecord['outcome'], facts: StepFacts = {}): void {
    const { node } = this;
    const at = new Date(Date.now());
    const { version } = this.graph;
    this.steps.push({
      seq: ++this.seq,
      nodeId: node.id,
      nodeType: node.type,
      version,
      at,
      outcome,
      ...facts,
    });
  }

  assign(nodeId: string, variant: string): void {
    this.assignments.push({ nodeId, variant, at: new Date(Date.now()).toISOString() });
  }

  convert(conversion: Omit<Conversion, 'at'>): void {
    this.conversions.push({ ...conversion, at: new Date(Date.now()).toISOString() });
  }

  /** Continues on another version of the journey, from the same node id. */
  switchVersion(graph: JourneyGraph): void {
    this.graph = graph;
    this.ref.version = graph.version;
    upsertSearchAttributes([
      {
        key: { name: JOURNEY_SEARCH_ATTRIBUTES.journeyVersion, type: 'INT' },
        value: graph.version,
      },
    ]);
  }

  position(): JourneyPosition {
    const { node, since } = this;
    return { nodeId: node.id, nodeType: node.type, version: this.graph.version, since };
  }

  /** Stores progress and marks the node as where the person waits, for visibility queries. */
  async startWaiting(): Promise<void> {
    await this.flush('active');
    if (this.indexedNodeId === this.node.id) return;
    this.indexedNodeId = this.node.id;
    upsertSearchAttributes([
      { key: { name: JOURNEY_SEARCH_ATTRIBUTES.nodeId, type: 'KEYWORD' }, value: this.node.id },
    ]);
  }

  async finish(exitReason: ExitReason): Promise<void> {
    await this.flush('finished', exitReason);
  }

  private async flush(status: RunProgress['status'], exitReason?: ExitReason): Promise<void> {
    const steps = this.steps.slice();
    const assignments = this.assignments.slice();
    const conversions = this.conversions.slice();
    const progress: RunProgress = {
      ...this.ref,
      steps,
      nodeId: this.node.id,
      since: new Date(this.since).toISOString(),
      status,
    };
    if (exitReason) progress.exitReason = exitReason;
    if (assignments.length > 0) progress.assignments = assignments;
    if (conversions.length > 0) progress.conversions = conversions;
    await recordRunProgress(progress);
    // Cleared only after the write, so a failed flush leaves them for the next one.
    this.steps = this.steps.slice(steps.length);
    this.assignments = this.assignments.slice(assignments.length);
    this.conversions = this.conversions.slice(conversions.length);
  }
}
