import { ApplicationFailure } from '@temporalio/common';

import { journeyRunWorkflowId, sideEffectKey } from '@junction/core';

import { FakeJourneyActivities } from '../test/fake-activities.js';
import {
  JOURNEY_ID,
  WORKSPACE_ID,
  chain,
  journey,
  reach,
  startJourneyHarness,
  type JourneyHarness,
} from '../test/journey-harness.js';
import { done, start, waitForOrder } from '../test/replay-journeys.js';

const DAY = 86_400_000;

const atOf = (step: { at: unknown }) => Date.parse(String(step.at));

let harness: JourneyHarness;
beforeAll(async () => {
  harness = await startJourneyHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('journeyRun: waits', () => {
  it('finishes a seven-day delay in seconds, storing progress only before the wait and at the end', async () => {
    const fake = new FakeJourneyActivities({
      versions: {
        1: journey({
          nodes: [
            start,
            { id: 'wait', type: 'delay', duration: { amount: 7, unit: 'days' } },
            done,
          ],
          edges: chain('start', 'wait', 'done'),
        }),
      },
    });
    const startedAt = Date.now();

    const result = await harness.run(fake);

    expect(result).toEqual({ exitNodeId: 'done', exitReason: 'exit_node', steps: 3 });
    expect(Date.now() - startedAt).toBeLessThan(30_000);
    expect(fake.path()).toEqual([
      'start:entered',
      'start:passed',
      'wait:entered',
      'wait:passed',
      'done:entered',
      'done:exited',
    ]);
    const [entered, passed] = fake.steps().filter((step) => step.nodeId === 'wait');
    expect(atOf(passed!) - atOf(entered!)).toBeGreaterThanOrEqual(7 * DAY);
    expect(fake.progress.map((progress) => progress.status)).toEqual(['active', 'finished']);
    expect(fake.last()).toMatchObject({ nodeId: 'done', exitReason: 'exit_node', version: 1 });
  });

  it('leaves a wait for an event by its timeout branch after 30 days without the event', async () => {
    const fake = new FakeJourneyActivities({
      versions: { 1: waitForOrder },
    });

    const result = await harness.run(fake);

    expect(result.exitNodeId).toBe('lapsed');
    expect(fake.path()).toContain('wait:passed:timeout');
    const [entered, passed] = fake.steps().filter((step) => step.nodeId === 'wait');
    expect(atOf(passed!) - atOf(entered!)).toBeGreaterThanOrEqual(30 * DAY);
  });

  it('takes the event branch on the first matching event signal after arriving', async () => {
    const fake = new FakeJourneyActivities({ versions: { 1: waitForOrder } });
    const signal = (eventId: string, event: string, total: number) => ({
      v: 1 as const,
      eventId,
      event,
      properties: { total },
      timestamp: '2026-01-05T10:00:00Z',
    });

    const result = await harness.run(fake, {
      during: async (handle) => {
        await reach(handle, 'wait');
        await handle.signal('journeyEvent', signal('ws1:m1', 'Page Viewed', 500));
        await handle.signal('journeyEvent', signal('ws1:m2', 'Order Completed', 20));
        await handle.signal('journeyEvent', signal('ws1:m3', 'Order Completed', 120));
        await handle.signal('journeyEvent', signal('ws1:m3', 'Order Completed', 120));
      },
    });

    expect(result.exitNodeId).toBe('bought');
    const passed = fake.steps().find((step) => step.nodeId === 'wait' && step.outcome === 'passed');
    expect(passed).toMatchObject({ branch: 'event', detail: { eventId: 'ws1:m3' } });
    const [entered] = fake.steps().filter((step) => step.nodeId === 'wait');
    expect(atOf(passed!) - atOf(entered!)).toBeLessThan(DAY);
  });

  it('does not count the event that entered the person as the awaited event', async () => {
    const fake = new FakeJourneyActivities({ versions: { 1: waitForOrder } });

    const result = await harness.run(fake, {
      input: { entry: { kind: 'event', eventId: 'ws1:m0', at: '2026-01-05T09:00:00Z' } },
      during: async (handle) => {
        await reach(handle, 'wait');
        await handle.signal('journeyEvent', {
          v: 1,
          eventId: 'ws1:m0',
          event: 'Order Completed',
          properties: { total: 500 },
          timestamp: '2026-01-05T09:00:00Z',
        });
      },
    });

    expect(result.exitNodeId).toBe('lapsed');
  });

  it('waits until the next 09:00 on the person clock for a local-time delay', async () => {
    const fake = new FakeJourneyActivities({
      timeZone: 'Asia/Shanghai',
      versions: {
        1: journey({
          nodes: [
            start,
            { id: 'wait', type: 'delay', until: { kind: 'local_time', time: '09:00' } },
            done,
          ],
          edges: chain('start', 'wait', 'done'),
        }),
      },
    });

    await harness.run(fake);

    const passed = fake.steps().find((step) => step.nodeId === 'wait' && step.outcome === 'passed');
    const wallClock = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      hour: '2-digit',
      minute: '2-digit',
    }).format(atOf(passed!));
    expect(wallClock).toBe('09:00');
    expect(fake.callsOf('personTimeZone')[0]).toMatchObject({ clock: 'person' });
  });

  it('starts a run whose entry says notBefore only at that instant', async () => {
    const fake = new FakeJourneyActivities({
      versions: { 1: journey({ nodes: [start, done], edges: chain('start', 'done') }) },
    });
    const notBefore = new Date((await harness.env.currentTimeMs()) + 3 * DAY);

    await harness.run(fake, {
      input: {
        entry: { kind: 'schedule', at: '2026-01-05T09:00:00Z', notBefore: notBefore.toISOString() },
      },
    });

    const passed = fake
      .steps()
      .find((step) => step.nodeId === 'start' && step.outcome === 'passed');
    expect(atOf(passed!)).toBeGreaterThanOrEqual(notBefore.getTime());
  });
});

describe('journeyRun: side effects', () => {
  const messageJourney = () =>
    journey({
      nodes: [start, { id: 'hello', type: 'message', channel: 'email', template: 'welcome' }, done],
      edges: chain('start', 'hello', 'done'),
      settings: { sendRateLimit: { perMinute: 60 } },
    });

  it('sleeps through a deferral and sends once more with the same key', async () => {
    const fake = new FakeJourneyActivities({
      versions: { 1: messageJourney() },
      sends: [
        async () => ({
          status: 'deferred',
          reason: 'quiet_hours',
          until: new Date((await harness.env.currentTimeMs()) + 8 * 3_600_000).toISOString(),
        }),
      ],
    });

    await harness.run(fake);

    const sends = fake.callsOf('sendMessage');
    expect(sends).toHaveLength(2);
    expect(sends[0]!.key).toBe(sends[1]!.key);
    expect(sends[0]).toMatchObject({ channel: 'email', template: 'welcome', perMinute: 60 });
    expect(fake.path()).toEqual([
      'start:entered',
      'start:passed',
      'hello:entered',
      'hello:deferred',
      'hello:passed',
      'done:entered',
      'done:exited',
    ]);
    const [deferred, passed] = fake
      .steps()
      .filter((step) => step.nodeId === 'hello')
      .slice(1);
    expect(deferred).toMatchObject({ reason: 'quiet_hours' });
    expect(atOf(passed!) - atOf(deferred!)).toBeGreaterThanOrEqual(8 * 3_600_000);
    expect(passed!.detail).toMatchObject({ messageId: `message:${sends[0]!.key}` });
  });

  it('records a suppressed send and moves on', async () => {
    const fake = new FakeJourneyActivities({
      versions: { 1: messageJourney() },
      sends: [{ status: 'suppressed', reason: 'frequency_cap' }],
    });

    const result = await harness.run(fake);

    expect(result.exitNodeId).toBe('done');
    expect(fake.steps().find((step) => step.outcome === 'suppressed')).toMatchObject({
      nodeId: 'hello',
      reason: 'frequency_cap',
    });
  });

  it('retries a failed send attempt with the same key', async () => {
    const fake = new FakeJourneyActivities({
      versions: { 1: messageJourney() },
      sends: [new Error('provider unavailable')],
    });

    const entryId = 'api:retried';
    const result = await harness.run(fake, { input: { profileId: 'retried', entryId } });

    const sends = fake.callsOf('sendMessage');
    const runId = journeyRunWorkflowId(WORKSPACE_ID, JOURNEY_ID, 'retried');
    const key = sideEffectKey({ runId, entryId }, 'hello', 1);
    expect(sends.map((send) => send.key)).toEqual([key, key]);
    expect(result.exitNodeId).toBe('done');
    expect(fake.path()).not.toContain('hello:failed');
  });

  it('records a send the channel refused for good as failed and moves on', async () => {
    const fake = new FakeJourneyActivities({
      versions: { 1: messageJourney() },
      sends: [ApplicationFailure.nonRetryable('mailbox does not exist', 'PermanentSendError')],
    });

    const result = await harness.run(fake);

    expect(result.exitNodeId).toBe('done');
    expect(fake.callsOf('sendMessage')).toHaveLength(1);
    expect(fake.steps().find((step) => step.outcome === 'failed')).toMatchObject({
      nodeId: 'hello',
      reason: 'mailbox does not exist',
    });
  });

  it('keys profile updates, webhooks and jumps by run, entry, node and visit, and ends at a jump', async () => {
    const fake = new FakeJourneyActivities({
      versions: {
        1: journey({
          nodes: [
            start,
            { id: 'mark', type: 'update_profile', set: { plan: 'trial', churned: null } },
            { id: 'hook', type: 'webhook', url: 'https://example.test/hook' },
            { id: 'next', type: 'jump', journeyId: 'onboarding' },
          ],
          edges: chain('start', 'mark', 'hook', 'next'),
        }),
      },
    });

    const entryId = 'api:keys';
    const result = await harness.run(fake, { input: { profileId: 'keys', entryId } });

    const run = { runId: journeyRunWorkflowId(WORKSPACE_ID, JOURNEY_ID, 'keys'), entryId };
    expect(result).toEqual({ exitNodeId: 'next', exitReason: 'jump', steps: 4 });
    expect(fake.callsOf('updateProfile')[0]).toMatchObject({
      key: sideEffectKey(run, 'mark', 1),
      set: { plan: 'trial', churned: null },
    });
    expect(fake.callsOf('callWebhook')[0]).toMatchObject({
      key: sideEffectKey(run, 'hook', 1),
      url: 'https://example.test/hook',
      method: 'POST',
    });
    expect(fake.callsOf('jumpToJourney')[0]).toMatchObject({
      key: sideEffectKey(run, 'next', 1),
      targetJourneyId: 'onboarding',
    });
    expect(fake.last()).toMatchObject({ status: 'finished', exitReason: 'jump' });
  });

  it('accepts a first-version input and treats its event as the entry', async () => {
    const fake = new FakeJourneyActivities({
      versions: {
        1: journey({
          nodes: [start, { id: 'hook', type: 'webhook', url: 'https://example.test/hook' }, done],
          edges: chain('start', 'hook', 'done'),
        }),
      },
    });

    await harness.run(fake, {
      input: {
        v: 1,
        workspaceId: WORKSPACE_ID,
        journeyId: JOURNEY_ID,
        version: 1,
        profileId: 'legacy',
        entryEventId: 'ws1:m9',
      },
    });

    expect(fake.callsOf('callWebhook')[0]).toMatchObject({ entryEventId: 'ws1:m9' });
    expect(fake.last()).toMatchObject({ entryId: 'ws1:m9', status: 'finished' });
  });
});
