import type { Client } from '@temporalio/client';

import type {
  AudienceBackfillInput,
  AudienceNightlyInput,
  audienceBackfill,
  audienceNightly,
} from '@junction/workflows';
import type { AudienceCollections, AudienceJobDoc, Collections } from '@junction/core/store';

import { HttpError } from '../http/errors.js';
import type { Logger } from '../logger.js';
import { newId } from '../workspaces/credentials.js';
import { audienceBackfillWorkflowId } from './temporal-names.js';

export type AudienceTarget = `tag:${string}` | `segment:${string}` | 'all';

/**
 * Batch passes over a workspace's profiles, started on demand: a backfill after a change, or a
 * nightly run outside its schedule. Each is a job document the API can show, and a workflow.
 */
export class AudienceBackfills {
  constructor(
    private readonly db: Collections & AudienceCollections,
    private readonly temporal: Client,
    private readonly taskQueue: string,
    private readonly log: Logger,
  ) {}

  async start(
    workspaceId: string,
    target: AudienceTarget,
    kind: 'backfill' | 'nightly' = 'backfill',
  ): Promise<AudienceJobDoc> {
    const now = new Date();
    const job: AudienceJobDoc = {
      _id: newId('ajob'),
      workspaceId,
      kind,
      target,
      status: 'running',
      total: await this.db.profiles.countDocuments({ workspaceId }),
      processed: 0,
      changed: 0,
      eventsRead: 0,
      startedAt: now,
      updatedAt: now,
    };
    await this.db.audienceJobs.insertOne(job);
    try {
      await this.startWorkflow(job);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.db.audienceJobs.updateOne(
        { _id: job._id },
        {
          $set: { status: 'failed', error: message, updatedAt: new Date(), finishedAt: new Date() },
        },
      );
      throw new HttpError(503, 'audience_jobs_unavailable', 'the job could not start; retry', [], {
        cause: error,
      });
    }
    this.log.info({ workspaceId, jobId: job._id, kind, target }, 'audience job started');
    return job;
  }

  async get(workspaceId: string, jobId: string): Promise<AudienceJobDoc | null> {
    const job = await this.db.audienceJobs.findOne({ _id: jobId });
    return job?.workspaceId === workspaceId ? job : null;
  }

  private async startWorkflow(job: AudienceJobDoc): Promise<void> {
    const common = {
      workflowId: audienceBackfillWorkflowId(job.workspaceId, job._id),
      taskQueue: this.taskQueue,
    };
    if (job.kind === 'nightly') {
      const input: AudienceNightlyInput = { v: 1, workspaceId: job.workspaceId, jobId: job._id };
      await this.temporal.workflow.start<typeof audienceNightly>('audienceNightly', {
        ...common,
        args: [input],
      });
      return;
    }
    const input: AudienceBackfillInput = { v: 1, workspaceId: job.workspaceId, jobId: job._id };
    await this.temporal.workflow.start<typeof audienceBackfill>('audienceBackfill', {
      ...common,
      args: [input],
    });
  }
}
