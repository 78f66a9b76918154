import path from 'node:path';

import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';

import {
  JourneyDefinition,
  journeyRunWorkflowId,
  type JourneyDefinitionInput,
  type JourneyRunInput,
  type JourneyRunInputV1,
} from '@junction/core';

import { ROOT } from '../../scripts/lib/paths.mjs';
import { createTimeSkippingEnv } from '../../test/time-skipping.js';
import { currentPositionQuery, type journeyRun, type JourneyRunResult } from '../src/index.js';
import type { FakeJourneyActivities } from './fake-activities.js';

export const WORKFLOWS_PATH = path.join(ROOT, 'workflows/src/index.ts');
export const WORKSPACE_ID = 'ws1';
export const JOURNEY_ID = 'welcome';

export type RunHandle = WorkflowHandle<typeof journeyRun>;

export interface RunOptions {
  /** A v1 input, or fields to change in the default v2 one. */
  input?: Partial<JourneyRunInput> | JourneyRunInputV1;
  /** Runs while the workflow runs and before its result is awaited (time stays still). */
  during?: (handle: RunHandle) => Promise<void>;
}

/** A time-skipping Temporal test server and the workflow bundle, shared by one test file. */
export interface JourneyHarness {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundle;
  /** Runs one journey run to its end on a fresh worker answering with `fake`. */
  run(fake: FakeJourneyActivities, options?: RunOptions): Promise<JourneyRunResult>;
  /** Like `run`, and returns the run's history as the JSON that replay tests read. */
  record(fake: FakeJourneyActivities, options?: RunOptions): Promise<string>;
  close(): Promise<void>;
}

let runs = 0;

export async function startJourneyHarness(): Promise<JourneyHarness> {
  const env = await createTimeSkippingEnv();
  const bundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: new DefaultLogger('WARN'),
  });
  async function execute(fake: FakeJourneyActivities, options: RunOptions = {}) {
    const taskQueue = `journeys-${++runs}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: fake.activities,
    });
    const input = runInput(runs, options.input);
    return worker.runUntil(async () => {
      const handle: RunHandle = await env.client.workflow.start('journeyRun', {
        taskQueue,
        workflowId: journeyRunWorkflowId(WORKSPACE_ID, JOURNEY_ID, input.profileId),
        args: [input],
      });
      await options.during?.(handle);
      return { handle, result: await handle.result() };
    });
  }
  return {
    env,
    bundle,
    run: async (fake, options) => (await execute(fake, options)).result,
    record: async (fake, options) => {
      const { handle } = await execute(fake, options);
      return historyToJSON(await handle.fetchHistory());
    },
    close: () => env.teardown(),
  };
}

function runInput(n: number, input: RunOptions['input'] = {}): JourneyRunInput | JourneyRunInputV1 {
  if ('v' in input && input.v === 1) return input;
  return {
    v: 2,
    workspaceId: WORKSPACE_ID,
    journeyId: JOURNEY_ID,
    version: 1,
    profileId: `person-${n}`,
    entryId: `api:request-${n}`,
    entry: { kind: 'api', at: '2026-01-05T09:00:00Z' },
    ...input,
  };
}

/** Polls the run until the person is at `nodeId` (and its progress is stored). */
export async function reach(handle: RunHandle, nodeId: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const position = await handle.query(currentPositionQuery);
    if (position?.nodeId === nodeId) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the run never reached ${nodeId}`);
}

/** A journey definition with defaults filled in, as a published version holds it. */
export function journey(definition: JourneyDefinitionInput): JourneyDefinition {
  return JourneyDefinition.parse(definition);
}

/** `a → b → c` edges without branches, named `e1`, `e2`, ... */
export function chain(...ids: string[]): JourneyDefinitionInput['edges'] {
  return ids.slice(1).map((target, index) => ({
    id: `e${index + 1}`,
    source: ids[index]!,
    target,
  }));
}
