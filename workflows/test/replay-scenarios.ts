import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import type { JourneyDefinition } from '@junction/core';

import type { JourneyRunResult } from '../src/index.js';
import type { FakeJourneyActivities, FakeScript, ScriptedSend } from './fake-activities.js';
import {
  JOURNEY_ID,
  chain,
  journey,
  reach,
  type RunHandle,
  type RunOptions,
} from './journey-harness.js';
import {
  abTest,
  delayThen,
  done,
  event,
  greeting,
  personIn,
  splits,
  start,
  versioned,
  waitForOrder,
  week,
} from './replay-journeys.js';

/** Where the recorded histories live, one `<scenario>.json` each. */
export const HISTORIES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');

export const historyPath = (name: string) => path.join(HISTORIES_DIR, `${name}.json`);

const DAY = 86_400_000;

type Versions = Record<number, JourneyDefinition>;

/** What a scenario's `during` may use besides the run's handle. */
export interface ScenarioContext {
  env: TestWorkflowEnvironment;
  fake: FakeJourneyActivities;
}

/** One recorded run: `workflows/test/histories/<name>.json` holds its history. */
export interface ReplayScenario {
  /** Kebab-case; the history's file name and what a failing replay is reported under. */
  name: string;
  /** The node forms and ways out this run takes, as `type`, `type:form` or `type:branch`. */
  covers: string[];
  /** The journey's versions, or built from the test server's clock (ms) for absolute dates. */
  versions: Versions | ((nowMs: number) => Versions);
  splits?: FakeScript['splits'];
  timeZone?: string;
  /** Built once the test server runs, so deferrals can name an instant on its clock. */
  sends?: (env: TestWorkflowEnvironment) => Promise<ScriptedSend[]> | ScriptedSend[];
  input?: RunOptions['input'];
  during?: (handle: RunHandle, ctx: ScenarioContext) => Promise<void>;
  /** How the run ends; the recorder refuses to write a history of a run that ended otherwise. */
  ends: Omit<JourneyRunResult, 'steps'>;
}

const exitAt = (exitNodeId: string): ReplayScenario['ends'] => ({
  exitNodeId,
  exitReason: 'exit_node',
});

/** Recorded once each; add scenarios for new behaviour, never edit one that has a history. */
export const REPLAY_SCENARIOS: ReplayScenario[] = [
  {
    name: 'delay-duration-side-effects',
    covers: ['entry', 'delay:duration', 'message:sent', 'update_profile', 'webhook', 'exit'],
    versions: {
      1: journey({
        nodes: [
          start,
          { id: 'wait', type: 'delay', duration: { amount: 7, unit: 'days' } },
          { id: 'hello', type: 'message', channel: 'email', template: 'welcome' },
          { id: 'mark', type: 'update_profile', set: { plan: 'trial', churned: null } },
          { id: 'hook', type: 'webhook', url: 'https://example.test/hook' },
          done,
        ],
        edges: chain('start', 'wait', 'hello', 'mark', 'hook', 'done'),
      }),
    },
    ends: exitAt('done'),
  },
  {
    name: 'delay-until-date',
    covers: ['delay:date'],
    // Two days on: the test server ends any run after ten years, so no fixed date lasts.
    versions: (nowMs) => ({
      1: delayThen({ until: { kind: 'date', at: new Date(nowMs + 2 * DAY).toISOString() } }),
    }),
    ends: exitAt('done'),
  },
  {
    name: 'delay-until-local-time',
    covers: ['delay:local_time'],
    timeZone: 'Asia/Shanghai',
    versions: { 1: delayThen({ until: { kind: 'local_time', time: '09:00' } }) },
    ends: exitAt('done'),
  },
  {
    name: 'wait-for-event-event',
    covers: ['wait_for_event:event'],
    versions: { 1: waitForOrder },
    during: async (handle) => {
      await reach(handle, 'wait');
      await handle.signal('journeyEvent', event('ws1:m1', 'Page Viewed', { total: 500 }));
      await handle.signal('journeyEvent', event('ws1:m2', 'Order Completed', { total: 20 }));
      await handle.signal('journeyEvent', event('ws1:m3', 'Order Completed', { total: 120 }));
    },
    ends: exitAt('bought'),
  },
  {
    name: 'wait-for-event-timeout',
    covers: ['wait_for_event:timeout'],
    versions: { 1: waitForOrder },
    ends: exitAt('lapsed'),
  },
  {
    name: 'condition-yes-multi-split-branch',
    covers: ['condition:yes', 'multi_split:branch'],
    versions: { 1: splits },
    splits: { pro: 0, tier: 1 },
    ends: exitAt('silver_exit'),
  },
  {
    name: 'condition-yes-multi-split-else',
    covers: ['condition:yes', 'multi_split:else'],
    versions: { 1: splits },
    splits: { pro: 0 },
    ends: exitAt('other_exit'),
  },
  {
    name: 'condition-no',
    covers: ['condition:no'],
    versions: { 1: splits },
    ends: exitAt('no_exit'),
  },
  {
    name: 'ab-split-variant',
    covers: ['ab_split:variant', 'message:sent'],
    versions: { 1: abTest },
    input: { profileId: personIn('a') },
    ends: exitAt('a_exit'),
  },
  {
    name: 'ab-split-holdout',
    covers: ['ab_split:holdout'],
    versions: { 1: abTest },
    input: { profileId: personIn('holdout') },
    ends: { exitNodeId: 'test', exitReason: 'holdout' },
  },
  {
    name: 'message-suppressed',
    covers: ['message:suppressed'],
    versions: { 1: greeting },
    sends: () => [{ status: 'suppressed', reason: 'frequency_cap' }],
    ends: exitAt('done'),
  },
  {
    name: 'message-deferred',
    covers: ['message:deferred'],
    versions: { 1: greeting },
    sends: async (env) => {
      const until = new Date((await env.currentTimeMs()) + 8 * 3_600_000).toISOString();
      return [{ status: 'deferred', reason: 'quiet_hours', until }];
    },
    ends: exitAt('done'),
  },
  {
    name: 'message-failed',
    covers: ['message:failed'],
    versions: { 1: greeting },
    sends: () => [
      new Error('provider unavailable'),
      ApplicationFailure.nonRetryable('mailbox does not exist', 'PermanentSendError'),
    ],
    ends: exitAt('done'),
  },
  {
    name: 'goal-conversion',
    covers: ['goal:converted'],
    versions: { 1: week() },
    during: async (handle) => {
      await reach(handle, 'wait');
      await handle.signal('journeyEvent', event('ws1:o1', 'Order Completed', { revenue: 30 }));
    },
    ends: exitAt('end'),
  },
  {
    name: 'jump',
    covers: ['jump'],
    versions: {
      1: journey({
        nodes: [start, { id: 'next', type: 'jump', journeyId: 'onboarding' }],
        edges: chain('start', 'next'),
      }),
    },
    ends: { exitNodeId: 'next', exitReason: 'jump' },
  },
  {
    name: 'exit-criteria',
    covers: ['run:exit_criteria'],
    versions: { 1: week({ exitCriteria: [{ kind: 'event', event: 'Unsubscribed' }] }) },
    during: async (handle) => {
      await reach(handle, 'wait');
      await handle.signal('journeyEvent', event('ws1:u1', 'Unsubscribed'));
    },
    ends: { exitNodeId: 'wait', exitReason: 'exit_criteria' },
  },
  {
    name: 'pause-resume',
    covers: ['run:pause', 'run:resume'],
    versions: { 1: week() },
    during: async (handle, { env, fake }) => {
      await reach(handle, 'wait');
      await handle.signal('journeyControl', { v: 1, action: 'pause' });
      await env.sleep(8 * DAY);
      await flushes(fake, 2);
      await handle.signal('journeyControl', { v: 1, action: 'resume' });
    },
    ends: exitAt('done'),
  },
  {
    name: 'stop',
    covers: ['run:stop'],
    versions: { 1: week() },
    during: async (handle) => {
      await reach(handle, 'wait');
      await handle.signal('journeyControl', { v: 1, action: 'stop' });
    },
    ends: { exitNodeId: 'wait', exitReason: 'stopped' },
  },
  {
    name: 'migration',
    covers: ['run:migrate'],
    versions: { 1: versioned('old'), 2: versioned('new') },
    during: async (handle) => {
      await reach(handle, 'wait');
      await handle.signal('journeyMigrate', { v: 1, toVersion: 2 });
    },
    ends: exitAt('done'),
  },
  {
    name: 'migration-refused',
    covers: ['run:migrate_refused'],
    versions: {
      1: versioned('old'),
      3: journey({ nodes: [start, done], edges: chain('start', 'done') }),
    },
    during: async (handle) => {
      await reach(handle, 'wait');
      await handle.signal('journeyMigrate', { v: 1, toVersion: 3 });
    },
    ends: exitAt('done'),
  },
  {
    name: 'first-version-input',
    covers: ['run:input_v1'],
    versions: { 1: versioned('hook') },
    input: {
      v: 1,
      workspaceId: 'ws1',
      journeyId: JOURNEY_ID,
      version: 1,
      profileId: 'legacy',
      entryEventId: 'ws1:m9',
    },
    ends: exitAt('done'),
  },
];

/** Waits (in real time; the test server's clock stays still) until `count` flushes landed. */
async function flushes(fake: FakeJourneyActivities, count: number): Promise<void> {
  for (let attempt = 0; attempt < 200 && fake.progress.length < count; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (fake.progress.length < count) throw new Error(`expected ${count} progress flushes`);
}
