import { withTimeout } from './measure.js';

export const log = (line: string) => process.stderr.write(`${line}\n`);

type Step = () => Promise<void> | void;

/**
 * What a bench started, stopped once, newest first, carrying on past failures: on success, on
 * failure and on Ctrl-C alike (a terminal's Ctrl-C reaches the bench and scripts/bench.mjs,
 * which passes it on too, so a second signal must not run the steps again).
 */
export class Cleanups {
  private readonly steps: Step[] = [];
  private running: Promise<void> | undefined;

  add(step: Step): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await withTimeout(Promise.resolve().then(step), 15_000, 'cleanup step');
        } catch (error) {
          log(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.running;
  }
}

export interface BenchReport {
  /** The readable table and findings. */
  text: string;
  /** Every figure; printed as the last line. */
  summary: { ok: boolean };
}

/**
 * Runs a bench to its report: the text, then its summary as one JSON line; on failure a JSON
 * line with `failure` and the error. Exits non-zero unless the summary says ok; stops what the
 * bench started in every case.
 */
export async function runBench(
  cleanups: Cleanups,
  failure: Record<string, unknown>,
  main: () => Promise<BenchReport>,
): Promise<void> {
  let interrupted: NodeJS.Signals | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = signal;
      log(`${signal}: stopping`);
      void cleanups.run().then(() => process.exit(130));
    });
  }
  try {
    const { text, summary } = await main();
    process.stdout.write(`${text}\n${JSON.stringify(summary)}\n`);
    process.exitCode = summary.ok ? 0 : 1;
  } catch (caught) {
    const error = interrupted
      ? new Error(`interrupted by ${interrupted}`, { cause: caught })
      : caught;
    const message = error instanceof Error ? error.message : String(error);
    log(`bench failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
    process.stdout.write(`${JSON.stringify({ ...failure, ok: false, error: message })}\n`);
    process.exitCode = 1;
  } finally {
    await cleanups.run();
  }
}
