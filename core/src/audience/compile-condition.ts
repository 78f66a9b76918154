import type { Condition, EventCondition, Predicate } from './condition.js';
import { compilePath, type CompileContext, type Test } from './compiled-runtime.js';
import { compileWindowRead } from './compile-window.js';
import { compilePredicate, dateTime, type ValueTest } from './compile-predicate.js';
import { eventConditionSpec } from './counter-specs.js';
import { considerDate, isRelative, type NextCheck } from './expiry.js';
import { compileAggregate } from './window-aggregate.js';

const always: Test = () => true;
const never: Test = () => false;

/** One condition as a closure over the profile being evaluated; children left to right. */
export function compileConditionTree(condition: Condition, context: CompileContext): Test {
  switch (condition.type) {
    case 'all':
      return compileAll(condition.conditions.map((child) => context.condition(child)));
    case 'any':
      return compileAny(condition.conditions.map((child) => context.condition(child)));
    case 'not': {
      const child = context.condition(condition.condition);
      return (runtime) => !child(runtime);
    }
    case 'trait': {
      const read = compilePath(condition.trait);
      const holds = compileHolds(condition, context.now);
      return (runtime) => holds(runtime.next, read(runtime.traits));
    }
    case 'tag': {
      const slot = context.tagSlot(condition.tag);
      const holds = compileHolds(condition, context.now);
      if (slot === undefined) return holds(undefined, null) ? always : never;
      return (runtime) => holds(runtime.next, runtime.tag(slot));
    }
    case 'segment': {
      const slot = context.segmentSlot(condition.segment);
      const { member } = condition;
      if (slot === undefined) return member ? never : always;
      return (runtime) => runtime.member(slot) === member;
    }
    case 'event':
      return compileEvent(condition, context);
  }
}

function compileAll(children: Test[]): Test {
  if (children.length === 1) return children[0]!;
  return (runtime) => {
    for (let index = 0; index < children.length; index++) {
      if (!children[index]!(runtime)) return false;
    }
    return true;
  };
}

function compileAny(children: Test[]): Test {
  if (children.length === 1) return children[0]!;
  return (runtime) => {
    for (let index = 0; index < children.length; index++) {
      if (children[index]!(runtime)) return true;
    }
    return false;
  };
}

function compileEvent(condition: EventCondition, context: CompileContext): Test {
  const read = compileWindowRead(context, eventConditionSpec(condition), condition.within.days);
  const aggregate = compileAggregate(condition.aggregate);
  const holds = compileHolds(condition, context.now);
  return (runtime) => {
    const count = read(runtime);
    return holds(runtime.next, aggregate(runtime.selected, count));
  };
}

type Holds = (next: NextCheck | undefined, value: unknown) => boolean;

/** A predicate that, when time-relative, also notes when its date crosses the boundary. */
function compileHolds(predicate: Predicate, now: Date): Holds {
  const test: ValueTest = compilePredicate(predicate, now);
  if (!isRelative(predicate)) return (_next, value) => test(value);
  const days = predicate.value;
  return (next, value) => {
    if (next) considerDate(next, dateTime(value), days);
    return test(value);
  };
}
