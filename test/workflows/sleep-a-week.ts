import { proxyActivities, sleep } from '@temporalio/workflow';

/** Activities of the time-skipping test, implemented in the test itself. */
export interface SleepActivities {
  stamp(label: string): Promise<string>;
}

const { stamp } = proxyActivities<SleepActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

/** Stamps, sleeps seven days of workflow time, stamps again; returns both stamps. */
export async function sleepAWeek(): Promise<string[]> {
  const before = await stamp('before');
  await sleep('7 days');
  const after = await stamp('after');
  return [before, after];
}
