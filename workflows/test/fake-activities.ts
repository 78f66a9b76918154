import { ApplicationFailure } from '@temporalio/common';

import type { ConditionTrace, JourneyDefinition } from '@junction/core';

import type {
  JourneyActivities,
  MessageOutcome,
  MessageSend,
  RunProgress,
} from '../src/activities.js';

type StepRecord = RunProgress['steps'][number];

export type ScriptedSend =
  MessageOutcome | Error | ((send: MessageSend) => Promise<MessageOutcome>);

/** What the fake answers; everything not scripted succeeds plainly. */
export interface FakeScript {
  /** The journey's versions by number. */
  versions: Record<number, JourneyDefinition>;
  /** What successive `sendMessage` calls return; an Error fails that attempt. Then `sent`. */
  sends?: ScriptedSend[];
  /** Index of the first condition that holds, per split node id (-1: none; default -1). */
  splits?: Record<string, number>;
  timeZone?: string;
}

export interface ActivityCall {
  name: keyof JourneyActivities;
  input: unknown;
}

/**
 * An in-memory stand-in for the journey activities: records every call in order and answers
 * from a script, so a workflow test can assert what the interpreter asked for and when.
 */
export class FakeJourneyActivities {
  readonly calls: ActivityCall[] = [];
  readonly progress: RunProgress[] = [];
  private readonly sends: ScriptedSend[];

  constructor(private readonly script: FakeScript) {
    this.sends = [...(script.sends ?? [])];
  }

  /** Every stored step, in order (a retried flush would repeat a `seq`: kept once). */
  steps(): StepRecord[] {
    const bySeq = new Map<number, StepRecord>();
    for (const step of this.progress.flatMap((progress) => progress.steps)) {
      bySeq.set(step.seq, step);
    }
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Steps as `nodeId:outcome[:branch]`, the shape most assertions read best in. */
  path(): string[] {
    return this.steps().map((step) =>
      [step.nodeId, step.outcome, step.branch].filter(Boolean).join(':'),
    );
  }

  callsOf<Name extends keyof JourneyActivities>(
    name: Name,
  ): Parameters<JourneyActivities[Name]>[0][] {
    return this.calls
      .filter((call) => call.name === name)
      .map((call) => call.input as Parameters<JourneyActivities[Name]>[0]);
  }

  last(): RunProgress | undefined {
    return this.progress.at(-1);
  }

  readonly activities: JourneyActivities = {
    loadJourneyVersion: async (ref) => {
      this.calls.push({ name: 'loadJourneyVersion', input: ref });
      const definition = this.script.versions[ref.version];
      if (!definition) {
        throw ApplicationFailure.nonRetryable('no such version', 'JourneyVersionMissing');
      }
      return definition;
    },
    recordRunProgress: async (progress) => {
      this.calls.push({ name: 'recordRunProgress', input: progress });
      this.progress.push(progress);
    },
    personTimeZone: async (ref) => {
      this.calls.push({ name: 'personTimeZone', input: ref });
      return this.script.timeZone ?? 'UTC';
    },
    evaluateSplit: async (input) => {
      this.calls.push({ name: 'evaluateSplit', input });
      const matched = this.script.splits?.[input.nodeId] ?? -1;
      const evaluated = matched < 0 ? input.conditions : input.conditions.slice(0, matched + 1);
      const traces = evaluated.map((condition, index): ConditionTrace[] => [
        {
          path: [],
          type: condition.type,
          summary: `condition ${index}`,
          result: index === matched,
        },
      ]);
      return { matched, traces };
    },
    sendMessage: async (send: MessageSend) => {
      this.calls.push({ name: 'sendMessage', input: send });
      const next = this.sends.shift();
      if (next instanceof Error) throw next;
      if (typeof next === 'function') return next(send);
      return next ?? { status: 'sent', messageId: `message:${send.key}`, deduplicated: false };
    },
    callWebhook: async (call) => {
      this.calls.push({ name: 'callWebhook', input: call });
      return { status: 200, deduplicated: false };
    },
    updateProfile: async (input) => {
      this.calls.push({ name: 'updateProfile', input });
    },
    jumpToJourney: async (input) => {
      this.calls.push({ name: 'jumpToJourney', input });
      return { entered: true };
    },
  };
}
