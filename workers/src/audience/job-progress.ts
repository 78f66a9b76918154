import { Context } from '@temporalio/activity';

import type { AudienceJobDoc } from '@junction/core/store';
import type { Collection } from 'mongodb';

type Counts = Partial<Pick<AudienceJobDoc, 'processed' | 'changed' | 'eventsRead'>>;

/**
 * A job's progress as it goes: heartbeats on every call (with what a retried attempt resumes
 * from) and the job document at most once per interval, so watching a job costs few writes.
 */
export class JobProgress<Resume> {
  private lastWrite = 0;

  constructor(
    private readonly jobs: Collection<AudienceJobDoc>,
    private readonly jobId: string,
    private readonly intervalMs = 1_000,
  ) {}

  /** What the previous attempt of this activity heartbeat last, if it was retried. */
  resumeFrom(): Resume | undefined {
    return Context.current().info.heartbeatDetails as Resume | undefined;
  }

  async report(counts: Counts, resume?: Resume, force = false): Promise<void> {
    Context.current().heartbeat(resume);
    const now = Date.now();
    if (!force && now - this.lastWrite < this.intervalMs) return;
    this.lastWrite = now;
    await this.jobs.updateOne(
      { _id: this.jobId },
      { $set: { ...counts, updatedAt: new Date(now) } },
    );
  }
}
