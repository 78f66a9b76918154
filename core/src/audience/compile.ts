import type { Condition } from './condition.js';
import { compileConditionTree } from './compile-condition.js';
import { compileTagRule } from './compile-tag-rule.js';
import { Runtime, type CompileContext, type TagBody, type Test } from './compiled-runtime.js';
import type {
  AudienceDefinitions,
  AudienceProfile,
  AudienceResult,
  CounterSpec,
} from './context.js';
import { counterSpecId } from './counter-specs.js';
import type { TagValue } from './definitions.js';
import { LocalCalendar } from './local-calendar.js';

/** The bulk evaluator: definitions compiled once for a fixed `now`, then run per profile. */
export interface CompiledAudience {
  /** The tags each result carries: all of them, or those the chosen segments read. */
  readonly tagKeys: readonly string[];
  /** The segments each result reports membership of. */
  readonly segmentKeys: readonly string[];
  /** Same answers as `evaluateProfile` for the keys above. */
  evaluate(profile: AudienceProfile): AudienceResult;
}

// Tags and segments get a slot on first reference, so reading them compiles only what is read.
class AudienceCompiler implements CompileContext {
  readonly calendar: LocalCalendar;
  readonly tagSlots = new Map<string, number>();
  readonly segmentSlots = new Map<string, number>();
  private readonly tagBodies: TagBody[] = [];
  private readonly segmentBodies: Test[] = [];
  private readonly specSlots = new Map<string, number | undefined>();
  private readonly fieldSlots = new Map<string, number>();
  private readonly counterFields: string[] = [];

  constructor(
    readonly defs: AudienceDefinitions,
    readonly now: Date,
  ) {
    this.calendar = new LocalCalendar(now, defs.timeZone);
  }

  tagSlot(key: string): number | undefined {
    const known = this.tagSlots.get(key);
    if (known !== undefined) return known;
    const entry = this.defs.tags.get(key);
    if (!entry) return undefined;
    const slot = this.tagBodies.push(() => null) - 1;
    this.tagSlots.set(key, slot);
    this.tagBodies[slot] = compileTagRule(key, entry, this);
    return slot;
  }

  segmentSlot(key: string): number | undefined {
    const known = this.segmentSlots.get(key);
    if (known !== undefined) return known;
    const entry = this.defs.segments.get(key);
    if (!entry) return undefined;
    const slot = this.segmentBodies.push(() => false) - 1;
    this.segmentSlots.set(key, slot);
    this.segmentBodies[slot] = this.condition(entry.definition.condition);
    return slot;
  }

  condition(condition: Condition): Test {
    return compileConditionTree(condition, this);
  }

  counterSlot(spec: CounterSpec): number | undefined {
    const id = counterSpecId(spec);
    if (!this.specSlots.has(id)) {
      const field = this.defs.counters.get(id)?.field;
      this.specSlots.set(id, field === undefined ? undefined : this.fieldSlot(field));
    }
    return this.specSlots.get(id);
  }

  runtime(): Runtime {
    return new Runtime(this.now, this.tagBodies, this.segmentBodies, this.counterFields);
  }

  private fieldSlot(field: string): number {
    let slot = this.fieldSlots.get(field);
    if (slot === undefined) {
      slot = this.counterFields.push(field) - 1;
      this.fieldSlots.set(field, slot);
    }
    return slot;
  }
}

/**
 * Compiles every tag and segment (or only `options.segments` and what they read) for one
 * `now`: window dates, paths and operand sets are prepared once, so evaluating a profile
 * allocates little beyond its result. Build a new one when `now` or the definitions change.
 */
export function compileAudience(
  defs: AudienceDefinitions,
  now: Date,
  options: { segments?: string[] } = {},
): CompiledAudience {
  const compiler = new AudienceCompiler(defs, now);
  const wanted = options.segments && new Set(options.segments);
  const segmentKeys = [...defs.segments.keys()].filter((key) => !wanted || wanted.has(key));
  if (!wanted) for (const key of defs.tags.keys()) compiler.tagSlot(key);
  const segmentSlots = segmentKeys.map((key) => compiler.segmentSlot(key)!);
  // In definition order, like the interpreter, whatever order references compiled them in.
  const tagKeys = [...defs.tags.keys()].filter((key) => compiler.tagSlots.has(key));
  const tagSlots = tagKeys.map((key) => compiler.tagSlots.get(key)!);
  const runtime = compiler.runtime();

  return {
    tagKeys,
    segmentKeys,
    evaluate(profile) {
      runtime.load(profile);
      const tags: Record<string, TagValue> = {};
      for (let index = 0; index < tagKeys.length; index++) {
        tags[tagKeys[index]!] = runtime.tag(tagSlots[index]!);
      }
      const segments: string[] = [];
      for (let index = 0; index < segmentKeys.length; index++) {
        if (runtime.member(segmentSlots[index]!)) segments.push(segmentKeys[index]!);
      }
      return { tags, segments, nextCheckAt: runtime.next.toDate() };
    },
  };
}

/** A condition compiled once for a fixed `now`: the bulk form of `evaluateCondition`. */
export function compileCondition(
  condition: Condition,
  defs: AudienceDefinitions,
  now: Date,
): (profile: AudienceProfile) => boolean {
  const compiler = new AudienceCompiler(defs, now);
  const test = compiler.condition(condition);
  const runtime = compiler.runtime();
  return (profile) => {
    runtime.load(profile);
    return test(runtime);
  };
}
