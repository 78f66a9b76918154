// The journey, the delivery sink and the bulk helpers of the worker-crash chaos test.
import type { JourneyDefinitionInput } from '@junction/core';

import type { TestWorkspace } from '../server/src/audience-api/test-workspace.js';
import { startWebhookReceiver, type ReceivedRequest } from './harness.js';

/** The two message nodes every run passes, in order. */
export const SEND_NODES = ['first_send', 'second_send'] as const;

/** entry (API) → message → delay → message → exit, both sends through one webhook channel. */
export function chaosJourney(
  channel: string,
  template: string,
  delaySeconds: number,
): JourneyDefinitionInput {
  return {
    nodes: [
      { id: 'entry', type: 'entry', trigger: { kind: 'api' } },
      { id: 'first_send', type: 'message', channel, template },
      { id: 'pause', type: 'delay', duration: { amount: delaySeconds, unit: 'seconds' } },
      { id: 'second_send', type: 'message', channel, template },
      { id: 'done', type: 'exit' },
    ],
    edges: [
      { id: 'e1', source: 'entry', target: 'first_send' },
      { id: 'e2', source: 'first_send', target: 'pause' },
      { id: 'e3', source: 'pause', target: 'second_send' },
      { id: 'e4', source: 'second_send', target: 'done' },
    ],
  };
}

/** Creates a webhook channel to `url` and a template that names the person, under fixed keys. */
export async function createWebhookSetup(
  api: TestWorkspace,
  url: string,
): Promise<{ channel: string; template: string }> {
  const channel = 'chaos_sink';
  const template = 'chaos_note';
  const created = await api.post('/v1/channels', {
    key: channel,
    type: 'webhook',
    name: 'Chaos sink',
    config: { url },
  });
  if (created.status !== 201) throw new Error(`channel refused: ${created.text}`);
  const saved = await api.post('/v1/templates', {
    key: template,
    channelType: 'webhook',
    name: 'Chaos note',
    body: 'Hello {{ profile.first_name }} at {{ journey.nodeId }}',
  });
  if (saved.status !== 201) throw new Error(`template refused: ${saved.text}`);
  return { channel, template };
}

/** Runs `task` over `items` with at most `limit` in flight, keeping the order of the results. */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

interface SentBody {
  key: string;
  profile: { id: string };
  body: string;
  journey: { id: string; nodeId: string };
}

/** One idempotency key as the sink saw it. */
export interface KeyDelivery {
  /** HTTP requests that carried the key: more than one is a retry a provider dedupes. */
  requests: number;
  /** The `profile:node` pairs the key's requests named; a sound engine names exactly one. */
  pairs: Set<string>;
  bodies: Set<string>;
}

/** What the sink received, counted the way a provider that dedupes on the key would. */
export interface SinkTally {
  raw: number;
  byKey: Map<string, KeyDelivery>;
  /** Distinct keys per `profile:node`: more than one is a double send no provider can catch. */
  byPair: Map<string, Set<string>>;
  /** Requests without an idempotency key header, or whose header and body disagree. */
  malformed: ReceivedRequest[];
}

export function tallySink(received: readonly ReceivedRequest[]): SinkTally {
  const tally: SinkTally = {
    raw: received.length,
    byKey: new Map(),
    byPair: new Map(),
    malformed: [],
  };
  for (const request of received) {
    const header = request.headers['idempotency-key'];
    const sent = request.body as SentBody;
    if (typeof header !== 'string' || header !== sent.key) {
      tally.malformed.push(request);
      continue;
    }
    const pair = `${sent.profile.id}:${sent.journey.nodeId}`;
    const delivery = tally.byKey.get(header) ?? {
      requests: 0,
      pairs: new Set(),
      bodies: new Set(),
    };
    delivery.requests += 1;
    delivery.pairs.add(pair);
    delivery.bodies.add(sent.body);
    tally.byKey.set(header, delivery);
    tally.byPair.set(pair, (tally.byPair.get(pair) ?? new Set()).add(header));
  }
  return tally;
}

/** A real HTTP sink that answers 200 to every send and counts distinct keys as they arrive. */
export async function startDeliverySink() {
  const receiver = await startWebhookReceiver();
  return {
    url: receiver.url,
    received: receiver.received,
    distinctKeys: () =>
      new Set(receiver.received.map((request) => request.headers['idempotency-key'])).size,
    close: receiver.close,
  };
}
