import { log } from './bench-run.js';
import type { SinkMessage } from './webhook-sink.js';

/** How long after the last answer the bench still waits for messages a backlog holds up. */
const DRAIN_MS = 180_000;
const PROGRESS_EVERY_MS = 5_000;

export interface LatencyRun {
  events: number;
  /** `track` answers other than 200, and requests that failed outright. */
  errors: number;
  /** Events whose message never reached the sink within the drain time. */
  lost: number;
  /** The rate actually achieved, events per second. */
  rate: number;
  /** Request sent → tracking API answered, ms. */
  ackMs: number[];
  /** Request sent → the sink received the journey's message, ms. */
  sendMs: number[];
}

export interface LatencyLoad {
  /** Sends one `track` call for `seq` and resolves with the HTTP status. */
  track(seq: number): Promise<number>;
  rate: number;
  events: number;
  /** The first sequence number, so that runs of one bench never reuse one. */
  firstSeq: number;
  label: string;
}

/** The p-th percentile (nearest rank) of `values`, or NaN when there are none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const sleepUntil = (at: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));

/**
 * Open-loop load: event `i` is sent at `start + i / rate` whether or not earlier ones have been
 * answered, so a slow answer shows up as latency rather than as a lower rate. Messages are
 * matched to their event by the sequence number the template renders into the body.
 */
export function latencyRun(load: LatencyLoad) {
  const sentAt = new Map<number, number>();
  const run: LatencyRun = {
    events: load.events,
    errors: 0,
    lost: 0,
    rate: 0,
    ackMs: [],
    sendMs: [],
  };
  let fired = 0;
  let acked = 0;

  const onMessage = (message: SinkMessage) => {
    const at = sentAt.get(Number(message.body));
    if (at === undefined) return;
    run.sendMs.push(message.at - at);
    sentAt.delete(Number(message.body));
  };

  async function fire(seq: number): Promise<void> {
    const at = performance.now();
    sentAt.set(seq, at);
    fired++;
    try {
      const status = await load.track(seq);
      if (status === 200) run.ackMs.push(performance.now() - at);
      else run.errors++;
    } catch {
      run.errors++;
    } finally {
      acked++;
    }
  }

  async function execute(): Promise<LatencyRun> {
    const start = performance.now();
    const interval = 1000 / load.rate;
    const report = setInterval(() => {
      log(
        `${load.label}: ${fired}/${load.events} sent, ` +
          `${acked} answered, ${run.sendMs.length} messages received`,
      );
    }, PROGRESS_EVERY_MS);
    try {
      const requests: Promise<void>[] = [];
      for (let index = 0; index < load.events; index++) {
        await sleepUntil(start + index * interval);
        requests.push(fire(load.firstSeq + index));
      }
      run.rate = load.events / ((performance.now() - start) / 1000);
      await Promise.all(requests);
      const deadline = performance.now() + DRAIN_MS;
      while (run.sendMs.length + run.errors < load.events && performance.now() < deadline) {
        await sleepUntil(performance.now() + 100);
      }
    } finally {
      clearInterval(report);
    }
    run.lost = load.events - run.errors - run.sendMs.length;
    log(`${load.label}: ${run.sendMs.length} of ${load.events} messages, ${run.errors} errors`);
    return run;
  }

  return { onMessage, execute };
}
