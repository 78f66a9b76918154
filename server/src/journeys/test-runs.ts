// Run documents and real Temporal workflows for the journey API tests.
import { randomBytes } from 'node:crypto';

import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';

import { journeyRunWorkflowId } from '@junction/core';
import { journeyCollections, type JourneyRunDoc, type StepRecord } from '@junction/core/store';

import type { TestStack } from '../../../test/harness.js';

export interface RunSpec {
  workspaceId: string;
  journeyId: string;
  profileId: string;
  version?: number;
  nodeId?: string;
  status?: JourneyRunDoc['status'];
  steps?: StepRecord[];
  startedAt?: Date;
}

/** Stores a run document as the entry code and the workers would have left it. */
export async function insertRun(stack: TestStack, spec: RunSpec): Promise<JourneyRunDoc> {
  const now = spec.startedAt ?? new Date();
  const steps = spec.steps ?? [];
  const doc: JourneyRunDoc = {
    _id: journeyRunWorkflowId(spec.workspaceId, spec.journeyId, spec.profileId),
    workspaceId: spec.workspaceId,
    journeyId: spec.journeyId,
    version: spec.version ?? 1,
    profileId: spec.profileId,
    entryId: `api:${spec.profileId}`,
    status: spec.status ?? 'active',
    nodeId: spec.nodeId ?? 'wait',
    since: now,
    lastSeq: steps.length,
    steps,
    startedAt: now,
    ...(spec.status === 'finished' ? { endedAt: now, exitReason: 'exit_node' as const } : {}),
  };
  await journeyCollections(stack.db).journeyRuns.insertOne(doc);
  return doc;
}

/**
 * Starts a workflow under the run's id on a task queue nobody polls: Temporal accepts and
 * records its signals, which is all a test of who-gets-signalled needs, without a worker.
 */
export async function startIdleWorkflow(temporal: Client, runId: string): Promise<void> {
  await temporal.workflow.start('journeyRun', {
    workflowId: runId,
    taskQueue: `idle-${randomBytes(6).toString('hex')}`,
    args: [{}],
    workflowExecutionTimeout: '10 minutes',
  });
}

export interface RecordedSignal {
  name: string;
  arg: unknown;
}

/** The signals a workflow received, in order, from its history. */
export async function signalsOf(temporal: Client, runId: string): Promise<RecordedSignal[]> {
  const history = await temporal.workflow.getHandle(runId).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const signaled = event.workflowExecutionSignaledEventAttributes;
    if (!signaled) return [];
    const payload = signaled.input?.payloads?.[0];
    const arg = payload ? defaultPayloadConverter.fromPayload(payload) : undefined;
    return [{ name: signaled.signalName ?? '', arg }];
  });
}

export async function terminateAll(temporal: Client, runIds: string[]): Promise<void> {
  await Promise.all(
    runIds.map((runId) =>
      temporal.workflow
        .getHandle(runId)
        .terminate('test finished')
        .catch(() => undefined),
    ),
  );
}
