import { randomBytes } from 'node:crypto';

import request from 'supertest';

import type { TagDefinition } from '@junction/core';
import { audienceCollections, type AudienceCollections } from '@junction/core/store';
import { createLogger } from '@junction/server';
import {
  audienceNightlyScheduleId,
  audienceSweepScheduleId,
  createAudience,
  type Audience,
} from '@junction/server/audience';

import {
  basicAuth,
  eventually,
  startStack,
  startWorker,
  type TestStack,
  type WorkerProcess,
} from './harness.js';
import { deleteAudienceSchedules, storeDefinition } from './audience-fixtures.js';

// Audience jobs of this file go to a queue of its own, served only by this file's worker.
process.env.JUNCTION_AUDIENCE_TASK_QUEUE = `junction-audience-${randomBytes(4).toString('hex')}`;
process.env.JUNCTION_WORKER_ROLES = 'audience';

const visits: TagDefinition = {
  key: 'visits',
  name: 'Visits',
  description: '',
  owner: '',
  rule: { kind: 'static', trait: 'usage.visits', valueType: 'number' },
};

const churnRisk: TagDefinition = {
  key: 'churn_risk',
  name: 'Churn risk',
  description: '',
  owner: '',
  rule: {
    kind: 'model',
    model: {
      method: 'logistic',
      purpose: 'churn',
      outcome: { type: 'trait', trait: 'churned', op: 'eq', value: true },
      features: [{ tag: 'visits' }, { trait: 'age' }],
      retrainEveryDays: 7,
    },
  },
};

const PEOPLE = 120;

describe('the nightly audience run on real FerretDB and Temporal', () => {
  let stack: TestStack;
  let audience: Audience;
  let store: AudienceCollections;
  let worker: WorkerProcess;
  let workspaceId: string;

  beforeAll(async () => {
    stack = await startStack();
    workspaceId = stack.workspace.workspaceId;
    store = audienceCollections(stack.db);
    audience = createAudience({ db: stack.db, temporal: stack.temporal, log: createLogger() });
    worker = await startWorker(stack.dbName);
  }, 120_000);

  afterAll(async () => {
    if (stack) await deleteAudienceSchedules(stack, workspaceId);
    await worker?.stop();
    await stack?.close();
  });

  it('creates the nightly and sweep schedules when the audience is first published', async () => {
    await storeDefinition(stack, workspaceId, { kind: 'tag', tag: visits });
    await audience.state.setTimeZone(workspaceId, 'Asia/Shanghai');
    await audience.state.published(workspaceId);

    const nightly = await stack.temporal.schedule
      .getHandle(audienceNightlyScheduleId(workspaceId))
      .describe();
    expect(nightly.spec.timezone).toBe('Asia/Shanghai');
    expect(nightly.spec.calendars).toEqual([
      expect.objectContaining({ hour: [{ start: 2, end: 2, step: 1 }] }),
    ]);
    expect(nightly.action).toMatchObject({
      workflowType: 'audienceNightly',
      taskQueue: process.env.JUNCTION_AUDIENCE_TASK_QUEUE,
    });
    const sweep = await stack.temporal.schedule
      .getHandle(audienceSweepScheduleId(workspaceId))
      .describe();
    expect(sweep.spec.intervals).toEqual([expect.objectContaining({ every: 5 * 60_000 })]);
  });

  it('retrains a classifier tag and writes its scores to every profile', async () => {
    // People with few visits churned: a signal the model must find.
    const batch = Array.from({ length: PEOPLE }, (_, n) => ({
      type: 'identify',
      userId: `person-${n}`,
      messageId: `identify-${n}`,
      traits: { usage: { visits: n % 40 }, age: 20 + (n % 30), churned: n % 40 < 15 },
    }));
    const sent = await request(stack.app)
      .post('/v1/batch')
      .set('Authorization', basicAuth(stack.workspace.writeKey))
      .send({ batch });
    expect(sent.status).toBe(200);
    await storeDefinition(stack, workspaceId, { kind: 'tag', tag: churnRisk });
    await audience.state.published(workspaceId);

    const job = await audience.backfills.start(workspaceId, 'all', 'nightly');
    const done = await eventually(
      async () => {
        const current = await audience.backfills.get(workspaceId, job._id);
        return current && current.status !== 'running' ? current : null;
      },
      60_000,
      'the nightly job to finish',
    );
    expect(done).toMatchObject({ status: 'completed', kind: 'nightly', processed: PEOPLE });

    const model = await store.audienceModels.findOne({ _id: `${workspaceId}:churn_risk` });
    expect(model).toMatchObject({ workspaceId, tag: 'churn_risk', tagVersion: 1 });
    expect(model!.holdout.auc).toBeGreaterThan(0.8);
    const profiles = await stack.store.profiles.find({ workspaceId }).toArray();
    const scores = profiles.map((profile) => profile.tags?.churn_risk);
    expect(scores.every((score) => typeof score === 'number' && score >= 0 && score <= 1)).toBe(
      true,
    );
    const scoreOf = (visitCount: number) =>
      profiles.find((profile) => profile.tags?.visits === visitCount)?.tags?.churn_risk as number;
    expect(scoreOf(2)).toBeGreaterThan(scoreOf(35));
  }, 90_000);
});
