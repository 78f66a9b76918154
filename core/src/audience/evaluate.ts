import type {
  AllCondition,
  AnyCondition,
  Condition,
  NotCondition,
  Predicate,
} from './condition.js';
import type {
  AudienceDefinitions,
  AudienceProfile,
  AudienceResult,
  CounterBuckets,
  CounterSpec,
} from './context.js';
import { counterSpecId, eventConditionSpec } from './counter-specs.js';
import { aggregateBuckets } from './counters.js';
import type { TagValue } from './definitions.js';
import { considerDate, considerWindow, isRelative, NextCheck } from './expiry.js';
import { LocalCalendar } from './local-calendar.js';
import { asDate, readPath, testPredicate } from './predicate.js';
import { computeTagValue, type TagScope } from './tag-values.js';

/** A condition that reads one value of the profile: anything but `all`, `any` and `not`. */
export type LeafCondition = Exclude<Condition, AllCondition | AnyCondition | NotCondition>;

/**
 * The reference evaluator: walks the condition tree of one profile, computing tags and
 * segments on first use. `compileAudience` must give the same answers, only faster.
 */
export class Evaluation implements TagScope {
  readonly next: NextCheck;
  private readonly calendar: LocalCalendar;
  private readonly tags = new Map<string, TagValue>();
  private readonly segments = new Map<string, boolean>();
  // What is being computed right now: reached again, a tag is missing and a segment has no one.
  private readonly busy = new Set<string>();

  constructor(
    private readonly profile: AudienceProfile,
    readonly defs: AudienceDefinitions,
    private readonly now: Date,
  ) {
    this.calendar = new LocalCalendar(now, defs.timeZone);
    this.next = new NextCheck(now.getTime());
  }

  tag(key: string): TagValue {
    if (this.tags.has(key)) return this.tags.get(key)!;
    const entry = this.defs.tags.get(key);
    if (!entry || this.busy.has(`tag:${key}`)) return null;
    this.busy.add(`tag:${key}`);
    const value = computeTagValue(key, entry, this);
    this.busy.delete(`tag:${key}`);
    this.tags.set(key, value);
    return value;
  }

  member(key: string): boolean {
    if (this.segments.has(key)) return this.segments.get(key)!;
    const entry = this.defs.segments.get(key);
    if (!entry || this.busy.has(`segment:${key}`)) return false;
    this.busy.add(`segment:${key}`);
    const member = this.test(entry.definition.condition);
    this.busy.delete(`segment:${key}`);
    this.segments.set(key, member);
    return member;
  }

  test(condition: Condition): boolean {
    switch (condition.type) {
      case 'all':
        return condition.conditions.every((child) => this.test(child));
      case 'any':
        return condition.conditions.some((child) => this.test(child));
      case 'not':
        return !this.test(condition.condition);
      default:
        return this.leaf(condition).result;
    }
  }

  /** What one leaf read of the profile and whether it holds; explanations show both. */
  leaf(condition: LeafCondition): { input: unknown; result: boolean } {
    switch (condition.type) {
      case 'trait': {
        const input = this.trait(condition.trait);
        return { input, result: this.holds(condition, input) };
      }
      case 'tag': {
        const input = this.tag(condition.tag);
        return { input, result: this.holds(condition, input) };
      }
      case 'segment': {
        const input = this.member(condition.segment);
        return { input, result: input === condition.member };
      }
      case 'event': {
        const { buckets, keys } = this.counter(
          eventConditionSpec(condition),
          condition.within.days,
        );
        const input = aggregateBuckets(buckets, condition.aggregate, keys);
        return { input, result: this.holds(condition, input) };
      }
    }
  }

  trait(path: string): unknown {
    return readPath(this.profile.traits, path, true);
  }

  counter(
    spec: CounterSpec,
    days: number,
  ): { buckets: CounterBuckets | undefined; keys: string[] } {
    const plan = this.calendar.window(days);
    const field = this.defs.counters.get(counterSpecId(spec))?.field;
    const buckets = field === undefined ? undefined : this.profile.counters?.[field];
    considerWindow(this.next, buckets, plan, this.calendar);
    return { buckets, keys: plan.keys };
  }

  private holds(predicate: Predicate, value: unknown): boolean {
    if (isRelative(predicate)) {
      considerDate(this.next, asDate(value)?.getTime() ?? NaN, predicate.value);
    }
    return testPredicate(predicate, value, this.now);
  }
}

/** Every tag's value and every segment membership of one profile, computed fresh. */
export function evaluateProfile(
  profile: AudienceProfile,
  defs: AudienceDefinitions,
  now: Date,
): AudienceResult {
  const evaluation = new Evaluation(profile, defs, now);
  const tags: Record<string, TagValue> = {};
  for (const key of defs.tags.keys()) tags[key] = evaluation.tag(key);
  const segments = [...defs.segments.keys()].filter((key) => evaluation.member(key));
  return { tags, segments, nextCheckAt: evaluation.next.toDate() };
}

/**
 * Whether one profile meets a condition that need not be saved anywhere (a segment preview);
 * the tags and segments it reads are computed from their definitions.
 */
export function evaluateCondition(
  condition: Condition,
  profile: AudienceProfile,
  defs: AudienceDefinitions,
  now: Date,
): boolean {
  return new Evaluation(profile, defs, now).test(condition);
}
