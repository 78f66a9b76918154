// Recorded runs must replay against the current journeyRun, or runs in flight break on deploy.
// A behaviour change in journeyRun goes behind `patched()`; histories are recorded only for new
// scenarios (workflows/test/record-histories.ts), never again to make an old one pass.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { defaultPayloadConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import type { temporal } from '@temporalio/proto';
import { DefaultLogger, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';

import { JourneyNode, type JourneyDefinition } from '@junction/core';

import { quietRuntime } from '../../test/time-skipping.js';
import { WORKFLOWS_PATH } from '../test/journey-harness.js';
import { HISTORIES_DIR, REPLAY_SCENARIOS } from '../test/replay-scenarios.js';
import type { JourneyRunResult } from './journey-run.js';

type History = temporal.api.history.v1.IHistory;
type Payloads = temporal.api.common.v1.IPayloads | null | undefined;

/** Ways through a journey some scenario must take, beyond each node type being recorded. */
const BRANCH_KINDS = [
  'delay:duration',
  'delay:date',
  'delay:local_time',
  'wait_for_event:event',
  'wait_for_event:timeout',
  'condition:yes',
  'condition:no',
  'multi_split:branch',
  'multi_split:else',
  'ab_split:variant',
  'ab_split:holdout',
  'message:sent',
  'message:suppressed',
  'message:deferred',
  'update_profile',
  'webhook',
  'goal:converted',
  'jump',
  'exit',
  'run:exit_criteria',
  'run:pause',
  'run:resume',
  'run:stop',
  'run:migrate',
];

/** What the histories themselves show happened: these must not depend on what scenarios say. */
const RECORDED_FACTS = [
  'ends:exit_node',
  'ends:jump',
  'ends:holdout',
  'ends:exit_criteria',
  'ends:stopped',
  'send:sent',
  'send:suppressed',
  'send:deferred',
  'signal:journeyEvent',
  'signal:journeyControl:pause',
  'signal:journeyControl:resume',
  'signal:journeyControl:stop',
  'signal:journeyMigrate',
  'timer',
];

const NODE_TYPES = JourneyNode.options.map((option) => option.shape.type.value);

const files = readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json'));
const recorded = new Map(
  files.map((file) => [
    path.basename(file, '.json'),
    historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8'))),
  ]),
);

let bundle: WorkflowBundle;
beforeAll(async () => {
  // Each replay starts and stops a worker, whose state changes would fill the output.
  quietRuntime();
  bundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: new DefaultLogger('WARN'),
  });
});

describe('journeyRun replay', () => {
  it.each([...recorded.keys()])('replays the recorded %s run on the current code', async (name) => {
    try {
      await Worker.runReplayHistory({ workflowBundle: bundle }, recorded.get(name), name);
    } catch (err) {
      throw new Error(`history ${name} no longer replays: ${String(err)}`, { cause: err });
    }
  });

  it('holds a history for every scenario, and a scenario for every history', () => {
    expect([...recorded.keys()].sort()).toEqual(REPLAY_SCENARIOS.map((s) => s.name).sort());
  });

  it('holds histories whose journeys use every node type and delay form', () => {
    const nodes = [...recorded.values()].flatMap(loadedVersions).flatMap((v) => v.nodes);
    const kinds = new Set(nodes.map((node) => node.type));
    const delayForms = new Set(nodes.map(delayForm).filter(Boolean));

    expect([...kinds].sort()).toEqual([...NODE_TYPES].sort());
    expect([...delayForms].sort()).toEqual(['delay:date', 'delay:duration', 'delay:local_time']);
  });

  it('holds histories that end as their scenarios say', () => {
    for (const scenario of REPLAY_SCENARIOS) {
      const history = recorded.get(scenario.name);
      const result = history && runResult(history);
      expect({ name: scenario.name, ...result }).toEqual({ name: scenario.name, ...scenario.ends });
    }
  });

  it('covers every branch kind and every ending, send outcome and signal between them', () => {
    const covered = new Set(REPLAY_SCENARIOS.flatMap((scenario) => scenario.covers));
    const facts = new Set([...recorded.values()].flatMap(factsOf));

    expect(BRANCH_KINDS.filter((kind) => !covered.has(kind))).toEqual([]);
    expect(RECORDED_FACTS.filter((fact) => !facts.has(fact))).toEqual([]);
  });
});

function decode<T>(payloads: Payloads): T | undefined {
  const payload = payloads?.payloads?.[0];
  return payload ? defaultPayloadConverter.fromPayload<T>(payload) : undefined;
}

/** Results of activities by type, local ones (markers) and regular ones alike. */
function activityResults(history: History, activityType: string): unknown[] {
  const scheduled = new Map<string, string>();
  const results: unknown[] = [];
  for (const event of history.events ?? []) {
    const marker = event.markerRecordedEventAttributes;
    const details = marker?.details;
    if (details?.['data'] && details['result']) {
      const data = decode<{ activity_type: string }>(details['data']);
      if (data?.activity_type === activityType) results.push(decode(details['result']));
    }
    const started = event.activityTaskScheduledEventAttributes;
    if (started?.activityType?.name) {
      scheduled.set(String(event.eventId), started.activityType.name);
    }
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed && scheduled.get(String(completed.scheduledEventId)) === activityType) {
      results.push(decode(completed.result));
    }
  }
  return results;
}

/** The journey versions the run loaded: what the interpreter walked. */
function loadedVersions(history: History): JourneyDefinition[] {
  return activityResults(history, 'loadJourneyVersion') as JourneyDefinition[];
}

function delayForm(node: JourneyNode): string | undefined {
  if (node.type !== 'delay') return undefined;
  return node.duration ? 'delay:duration' : `delay:${node.until?.kind}`;
}

function runResult(history: History): Omit<JourneyRunResult, 'steps'> | undefined {
  const completed = history.events?.at(-1)?.workflowExecutionCompletedEventAttributes;
  const result = decode<JourneyRunResult>(completed?.result);
  return result && { exitNodeId: result.exitNodeId, exitReason: result.exitReason };
}

/** How the run ended, what its sends answered, which signals it got, whether it slept. */
function factsOf(history: History): string[] {
  const facts = [`ends:${runResult(history)?.exitReason}`];
  for (const outcome of activityResults(history, 'sendMessage')) {
    facts.push(`send:${(outcome as { status: string }).status}`);
  }
  for (const event of history.events ?? []) {
    if (event.timerStartedEventAttributes) facts.push('timer');
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (!signal) continue;
    const action = decode<{ action?: string }>(signal.input)?.action;
    facts.push(['signal', signal.signalName, action].filter(Boolean).join(':'));
  }
  return facts;
}
