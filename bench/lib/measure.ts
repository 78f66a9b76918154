/**
 * Runs `tasks` with at most `concurrency` in flight and calls `onDone` after each. After a task
 * fails no new task starts; the first error is thrown once the tasks in flight have settled.
 */
export async function runPool(
  tasks: (() => Promise<void>)[],
  concurrency: number,
  onDone: (done: number) => void = () => {},
): Promise<void> {
  let next = 0;
  let done = 0;
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < tasks.length && errors.length === 0) {
      const task = tasks[next++]!;
      try {
        await task();
        onDone(++done);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  if (errors.length > 0) throw errors[0];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * Progress on stderr with the seconds elapsed: one line rewritten in place on a terminal,
 * otherwise a line every 25 %, so logs of CI runs stay short.
 */
export function progress(label: string, total: number): (done: number) => void {
  const tty = process.stderr.isTTY;
  const started = performance.now();
  let lastQuarter = 0;
  return (done) => {
    const percent = Math.floor((done / total) * 100);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const line = `${label}: ${percent}% (${done}/${total}) ${seconds} s`;
    if (tty) {
      process.stderr.write(`\r${line}`);
      if (done === total) process.stderr.write('\n');
      return;
    }
    const quarter = Math.floor(percent / 25);
    if (quarter > lastQuarter) {
      lastQuarter = quarter;
      process.stderr.write(`${line}\n`);
    }
  };
}

/** A plain text table: the first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...cells.slice(1).map(line)].join('\n');
}

/** Rejects when `promise` has not settled within `ms`; a stalled server fails the bench. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
