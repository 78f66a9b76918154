import type { CompileContext, Runtime } from './compiled-runtime.js';
import type { CounterSpec } from './context.js';
import { selectWindow } from './counter-view.js';

/** Fills `runtime.selected` with a counter's buckets in a window; returns how many. */
export type WindowRead = (runtime: Runtime) => number;

const none: WindowRead = () => 0;

/** A read of one counter over a window of `days`, noting when it can change. */
export function compileWindowRead(
  context: CompileContext,
  spec: CounterSpec,
  days: number,
): WindowRead {
  const slot = context.counterSlot(spec);
  if (slot === undefined) return none;
  const { calendar } = context;
  const plan = calendar.window(days);
  return (runtime) =>
    selectWindow(
      runtime.counter(slot),
      plan,
      calendar,
      runtime.next,
      runtime.selected,
      runtime.ages,
    );
}
