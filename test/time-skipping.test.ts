import path from 'node:path';

import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import { JOURNEY_SEARCH_ATTRIBUTES } from '@junction/core';

import { ROOT } from '../scripts/lib/paths.mjs';
import { createTimeSkippingEnv } from './time-skipping.js';
import type { SleepActivities } from './workflows/sleep-a-week.js';

describe('the time-skipping test environment', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('finishes a workflow that sleeps seven days within seconds of wall time', async () => {
    const seen: Date[] = [];
    const activities: SleepActivities = {
      stamp: async (label) => {
        seen.push(new Date(await env.currentTimeMs()));
        return label;
      },
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'time-skipping-test',
      workflowsPath: path.join(ROOT, 'test/workflows/sleep-a-week.ts'),
      activities,
    });
    const startedAt = Date.now();
    const result = await worker.runUntil(
      env.client.workflow.execute('sleepAWeek', {
        taskQueue: 'time-skipping-test',
        workflowId: 'sleep-a-week',
        // Journey runs carry these; the test server accepts them only once registered.
        searchAttributes: {
          [JOURNEY_SEARCH_ATTRIBUTES.journeyId]: ['j1'],
          [JOURNEY_SEARCH_ATTRIBUTES.journeyVersion]: [1],
        },
      }),
    );

    expect(result).toEqual(['before', 'after']);
    expect(Date.now() - startedAt).toBeLessThan(30_000);
    const skippedMs = seen[1]!.getTime() - seen[0]!.getTime();
    expect(skippedMs).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000);
  });
});
