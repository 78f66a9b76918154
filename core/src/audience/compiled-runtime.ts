import { encodeKey } from '../storage-keys.js';
import type { Condition } from './condition.js';
import type {
  AudienceDefinitions,
  AudienceProfile,
  CounterBucket,
  CounterBuckets,
  CounterSpec,
} from './context.js';
import { CounterView } from './counter-view.js';
import type { TagValue } from './definitions.js';
import { NextCheck } from './expiry.js';
import type { LocalCalendar } from './local-calendar.js';

export type Test = (runtime: Runtime) => boolean;
export type TagBody = (runtime: Runtime) => TagValue;

const NOT_STARTED = 0;
const BUSY = 1;
const DONE = 2;
const NO_TRAITS: Record<string, unknown> = Object.freeze({});

/** What compiling a condition or tag rule needs: slots of the tags and segments it reads. */
export interface CompileContext {
  readonly defs: AudienceDefinitions;
  readonly now: Date;
  readonly calendar: LocalCalendar;
  /** The slot of a tag, compiling it on first reference; `undefined` when there is no such tag. */
  tagSlot(key: string): number | undefined;
  segmentSlot(key: string): number | undefined;
  condition(condition: Condition): Test;
  /** The slot of an active counter's field; `undefined` reads as no events. */
  counterSlot(spec: CounterSpec): number | undefined;
}

/**
 * The per-profile state of a compiled audience, allocated once and reset for each profile.
 * Tags and segments are computed on first read, like the interpreter does, so both give the
 * same answers even on a cycle that validation let through.
 */
export class Runtime {
  traits: Record<string, unknown> = NO_TRAITS;
  counters: Record<string, CounterBuckets> | undefined;
  readonly next: NextCheck;
  /** Scratch space of the window read in progress: its buckets, today first, and their ages. */
  readonly selected: CounterBucket[] = [];
  readonly ages: number[] = [];
  private generation = 0;
  private readonly views: CounterView[];
  private readonly tagValues: TagValue[];
  private readonly tagState: Uint8Array;
  private readonly memberships: boolean[];
  private readonly segmentState: Uint8Array;

  constructor(
    now: Date,
    private readonly tagBodies: readonly TagBody[],
    private readonly segmentBodies: readonly Test[],
    private readonly counterFields: readonly string[],
  ) {
    this.next = new NextCheck(now.getTime());
    this.views = counterFields.map(() => new CounterView());
    this.tagValues = tagBodies.map(() => null);
    this.tagState = new Uint8Array(tagBodies.length);
    this.memberships = segmentBodies.map(() => false);
    this.segmentState = new Uint8Array(segmentBodies.length);
  }

  load(profile: AudienceProfile): void {
    // A profile read with a projection may lack traits altogether, whatever its type says.
    const traits: Record<string, unknown> | undefined = profile.traits;
    this.traits = traits ?? NO_TRAITS;
    this.counters = profile.counters;
    this.generation++;
    this.next.reset();
    this.tagState.fill(NOT_STARTED);
    this.segmentState.fill(NOT_STARTED);
  }

  tag(slot: number): TagValue {
    const state = this.tagState[slot];
    if (state === DONE) return this.tagValues[slot]!;
    if (state === BUSY) return null;
    this.tagState[slot] = BUSY;
    const value = this.tagBodies[slot]!(this);
    this.tagValues[slot] = value;
    this.tagState[slot] = DONE;
    return value;
  }

  /** A counter of this profile, newest bucket first. */
  counter(slot: number): CounterView {
    const view = this.views[slot]!;
    if (view.stamp !== this.generation) {
      view.load(this.counters?.[this.counterFields[slot]!], this.generation);
    }
    return view;
  }

  member(slot: number): boolean {
    const state = this.segmentState[slot];
    if (state === DONE) return this.memberships[slot]!;
    if (state === BUSY) return false;
    this.segmentState[slot] = BUSY;
    const member = this.segmentBodies[slot]!(this);
    this.memberships[slot] = member;
    this.segmentState[slot] = DONE;
    return member;
  }
}

export type PathReader = (source: Record<string, unknown>) => unknown;

/**
 * `readPath` on stored (escaped) keys with the path split and escaped once. The value comes
 * back undecoded: no predicate, tag type or model input tells the two apart.
 */
export function compilePath(path: string): PathReader {
  const keys = path.split('.').map(encodeKey);
  return (source) => {
    let current: unknown = source;
    for (let index = 0; index < keys.length; index++) {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) {
        return undefined;
      }
      const key = keys[index]!;
      if (!Object.hasOwn(current, key)) return undefined;
      current = (current as Record<string, unknown>)[key];
    }
    return current;
  };
}
